import { encodeBase64url } from '../../../shared/core/base64url';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { SdJwtInfo } from '../../../shared/core/sd-jwt';
import type { DecodeResult, DecodedToken } from '../../../shared/core/token';
import { flagOption, singleTokenArgument } from '../args';
import type { Command } from '../command';
import { describeNumericDate, describeTokenError, pointAt } from '../format';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';

/** How `payload` in the JSON output is to be read: parsed JSON, UTF-8 text, or base64url bytes. */
export type PayloadFormat = 'json' | 'text' | 'base64url';

export interface DecodeJson {
  /** `sd-jwt` for an SD-JWT (RFC 9901), whose header, payload and signature are the issuer-signed JWT's. */
  kind: DecodedToken['kind'] | 'sd-jwt' | null;
  serialization: DecodedToken['serialization'] | null;
  header: Record<string, unknown> | null;
  payload: unknown;
  payloadFormat: PayloadFormat | null;
  signature: string | null;
  /** Non-fatal problems found while decoding (payload not JSON, a numeric date that is not a number, …). */
  notes: TokenErrorInfo[];
  /** Why the token was not decoded; a TokenFailure when it was not even handled (too large, a defect). */
  error: TokenErrorInfo | TokenFailure | null;
  /** SD-JWT only: each Disclosure, the claims with the disclosed ones in place, and the KB-JWT. */
  disclosures?: Array<{ digest: string | null; salt: string; name: string | null; value: unknown; path: string | null }>;
  claims?: unknown;
  keyBinding?: { header: Record<string, unknown>; payload: unknown; signature: string } | null;
}

/** The `decode --json` shape of a token that did not decode. */
function failedJson(error: TokenErrorInfo | TokenFailure): DecodeJson {
  return {
    kind: null,
    serialization: null,
    header: null,
    payload: null,
    payloadFormat: null,
    signature: null,
    notes: [],
    error,
  };
}

/** The `decode --json` shape (also used by the tests as the reference). */
export function decodeJson(result: DecodeResult): DecodeJson {
  if (!result.ok) return failedJson(result.error);
  const token = result.token;
  const { payload, payloadFormat } = payloadView(token);
  return {
    kind: token.kind,
    serialization: token.serialization,
    header: token.header,
    payload,
    payloadFormat,
    // A JWE has no signature; an unsecured JWS has an empty one.
    signature: token.kind === 'jwe' ? null : token.signature,
    notes: token.notes,
    error: null,
    ...(token.sdJwt && sdJwtView(token.sdJwt)),
  };
}

function sdJwtView(sd: SdJwtInfo): Pick<DecodeJson, 'kind' | 'disclosures' | 'claims' | 'keyBinding'> {
  const kb = sd.keyBinding;
  return {
    kind: 'sd-jwt',
    disclosures: sd.disclosures.map((d) => ({ digest: d.digest, salt: d.salt, name: d.name, value: d.value, path: d.path })),
    claims: sd.claims,
    keyBinding: kb ? { header: kb.header, payload: kb.payload, signature: kb.signature } : null,
  };
}

function payloadView(token: DecodedToken): { payload: unknown; payloadFormat: PayloadFormat | null } {
  if (token.kind === 'jwe') return { payload: null, payloadFormat: null };
  if (token.payloadIsJson) return { payload: token.payload, payloadFormat: 'json' };
  if (token.payloadText !== null) return { payload: token.payloadText, payloadFormat: 'text' };
  return { payload: encodeBase64url(token.payloadBytes), payloadFormat: 'base64url' };
}

const TIME_CLAIMS = ['exp', 'nbf', 'iat'] as const;

/** Readable rendering: header, payload (with its time claims spelled out), signature, notes. */
export function decodeText(result: DecodeResult, input: string, style: Style, now: number): string {
  if (!result.ok) return errorText(result.error, input, style);
  const view = decodeJson(result);
  const token = result.token;
  const lines: string[] = [];
  const alg = typeof token.header.alg === 'string' ? ` · ${token.header.alg}` : '';
  lines.push(style.bold(`${token.kind.toUpperCase()} (${token.serialization})${alg}`), '');
  lines.push(style.bold('Header'), JSON.stringify(token.header, null, 2), '');
  if (token.kind === 'jwe') {
    lines.push(style.dim('Payload: encrypted (JWE); decoding shows the protected header only.'));
  } else {
    lines.push(style.bold('Payload'));
    if (view.payloadFormat === 'json') lines.push(JSON.stringify(view.payload, null, 2));
    else if (view.payloadFormat === 'text') lines.push(String(view.payload));
    else lines.push(style.dim(`(${token.payloadBytes.length} bytes, not UTF-8; base64url)`), String(view.payload));
    const claims = isRecord(view.payload) ? view.payload : null;
    for (const claim of TIME_CLAIMS) {
      const value = claims?.[claim];
      if (typeof value === 'number') lines.push(style.dim(`  ${claim}: ${describeNumericDate(value, now)}`));
    }
    lines.push('', style.bold('Signature'), token.signature === '' ? style.dim('(none)') : token.signature);
  }
  if (token.sdJwt) lines.push('', ...sdJwtText(token.sdJwt, style));
  for (const note of token.notes) lines.push(style.warn(`note ${note.code}: ${note.message}`));
  return lines.join('\n');
}

function sdJwtText(sd: SdJwtInfo, style: Style): string[] {
  const lines = [style.bold(`Disclosures (${sd.disclosures.length}, ${sd.hashAlg}; ${sd.undisclosed} digest${sd.undisclosed === 1 ? '' : 's'} not disclosed)`)];
  for (const d of sd.disclosures) {
    lines.push(`  ${d.path ?? style.bad('(matches no digest)')} = ${JSON.stringify(d.value)}  ${style.dim(`salt ${d.salt}, digest ${d.digest ?? '?'}`)}`);
  }
  lines.push('', style.bold('Claims, as disclosed'), JSON.stringify(sd.claims, null, 2));
  const kb = sd.keyBinding;
  lines.push('', style.bold('Key-binding JWT'), kb ? `${JSON.stringify(kb.header)}\n${JSON.stringify(kb.payload, null, 2)}` : style.dim('(none: the SD-JWT ends with ~)'));
  return lines;
}

function errorText(error: TokenErrorInfo, input: string, style: Style): string {
  const head = style.bad(`error ${describeTokenError(error)}`);
  return error.offset !== null ? `${head}\n${pointAt(input, error.offset)}` : head;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'show the header, payload and signature of a token',
  help: `Usage: jwtdbg decode [TOKEN] [--json]

Decodes a JWS (compact or JSON serialization), an unsecured JWS, a JWE (protected header only) or an
SD-JWT (RFC 9901: the issuer-signed JWT, each Disclosure, the claims as disclosed, the KB-JWT)
without verifying it. Whitespace, a leading "Bearer " and surrounding quotes are ignored.
Without TOKEN, reads tokens from stdin, one per line, and prints one JSON line per token.

Options:
  --json      machine output: {"kind","serialization","header","payload","payloadFormat",
              "signature","notes","error"}; payloadFormat says whether payload is parsed JSON,
              UTF-8 text or base64url bytes; error is null or {"code","message","segment","offset"}.
              An SD-JWT has kind "sd-jwt" and also "disclosures": [{"digest","salt","name","value",
              "path"}] (name null for an array element, path null when no digest matches),
              "claims" (the payload with the disclosed claims in place) and "keyBinding" (null or
              {"header","payload","signature"})
  -h, --help  show this help

Exit status: 0 decoded, 1 not a decodable token (any, for stdin), 2 bad usage.`,
  options: {},
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('decode', positionals);
    const now = Date.now() / 1000;
    return runOnTokens(io, 'decode', token, flagOption(values, 'json'), {
      handle: (text) => ({ text, result: decodeToken(text) }),
      ok: ({ result }) => result.ok,
      json: ({ result }) => decodeJson(result),
      text: ({ text, result }, style) => decodeText(result, text, style, now),
      failure: failedJson,
    });
  },
};
