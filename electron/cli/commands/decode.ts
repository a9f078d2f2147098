import { encodeBase64url } from '../../../shared/core/base64url';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodeResult, DecodedToken } from '../../../shared/core/token';
import { flagOption, singleTokenArgument } from '../args';
import type { Command } from '../command';
import { describeNumericDate, describeTokenError, pointAt } from '../format';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';

/** How `payload` in the JSON output is to be read: parsed JSON, UTF-8 text, or base64url bytes. */
export type PayloadFormat = 'json' | 'text' | 'base64url';

export interface DecodeJson {
  kind: DecodedToken['kind'] | null;
  serialization: DecodedToken['serialization'] | null;
  header: Record<string, unknown> | null;
  payload: unknown;
  payloadFormat: PayloadFormat | null;
  signature: string | null;
  /** Non-fatal problems found while decoding (payload not JSON, a numeric date that is not a number, …). */
  notes: TokenErrorInfo[];
  /** Why the token was not decoded; a TokenFailure when it was not even handled (too large, a defect). */
  error: TokenErrorInfo | TokenFailure | null;
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
  for (const note of token.notes) lines.push(style.warn(`note ${note.code}: ${note.message}`));
  return lines.join('\n');
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

Decodes a JWS (compact or JSON serialization), an unsecured JWS or a JWE (protected header only)
without verifying it. Whitespace, a leading "Bearer " and surrounding quotes are ignored.
Without TOKEN, reads tokens from stdin, one per line, and prints one JSON line per token.

Options:
  --json      machine output: {"kind","serialization","header","payload","payloadFormat",
              "signature","notes","error"}; payloadFormat says whether payload is parsed JSON,
              UTF-8 text or base64url bytes; error is null or {"code","message","segment","offset"}
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
