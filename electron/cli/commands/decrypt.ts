import { encodeBase64url } from '../../../shared/core/base64url';
import { decodeToken } from '../../../shared/core/decode';
import { MAX_DECOMPRESSED_BYTES, MAX_P2C, decryptJwe, type DecryptOutcome, type JweKeyInput } from '../../../shared/core/jwe';
import { flagOption, singleTokenArgument, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';
import { UsageError } from '../usage-error';
import { decodeJson, type DecodeJson } from './decode';

export interface DecryptJson {
  ok: boolean;
  header: Record<string, unknown> | null;
  /** The plaintext as UTF-8 text; null when it is not UTF-8 (then see plaintextBase64url) or not decrypted. */
  plaintext: string | null;
  plaintextBase64url: string | null;
  /** For `cty: JWT`: exactly what `decode --json` prints for the inner token. */
  nested: DecodeJson | null;
  reason: string | null;
  warnings: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function utf8Text(bytes: Uint8Array): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

export function decryptJson(outcome: DecryptOutcome): DecryptJson {
  if (!outcome.ok) {
    return { ok: false, header: outcome.header, plaintext: null, plaintextBase64url: null, nested: null, reason: outcome.reason, warnings: outcome.warnings };
  }
  return {
    ok: true,
    header: outcome.header,
    plaintext: utf8Text(outcome.plaintext),
    plaintextBase64url: encodeBase64url(outcome.plaintext),
    nested: outcome.nestedToken === null ? null : decodeJson(decodeToken(outcome.nestedToken)),
    reason: null,
    warnings: outcome.warnings,
  };
}

function failureJson(failure: TokenFailure): DecryptJson {
  return { ok: false, header: null, plaintext: null, plaintextBase64url: null, nested: null, reason: `${failure.code}: ${failure.message}`, warnings: [] };
}

function decryptText(outcome: DecryptOutcome, style: Style): string {
  const view = decryptJson(outcome);
  const lines: string[] = [];
  if (view.header !== null) lines.push(style.bold('Header'), JSON.stringify(view.header, null, 2), '');
  if (!view.ok) lines.push(style.bad(`error ${view.reason ?? ''}`));
  else if (view.nested !== null) lines.push(style.bold('Nested token (cty JWT)'), JSON.stringify(view.nested, null, 2));
  else if (view.plaintext !== null) lines.push(style.bold('Plaintext'), view.plaintext);
  else lines.push(style.bold('Plaintext'), style.dim('(not UTF-8; base64url)'), view.plaintextBase64url ?? '');
  for (const warning of view.warnings) lines.push(style.warn(`warning: ${warning}`));
  return lines.join('\n');
}

/** `--key FILE` (PEM, JWK, JWKS) or `--password TEXT` (PBES2): exactly one. Shared with encrypt. */
export async function readJweKey(values: OptionValues, command: string): Promise<JweKeyInput> {
  const file = stringOption(values, 'key');
  const password = stringOption(values, 'password');
  if (file !== undefined && password !== undefined) throw new UsageError('give either --key or --password, not both', command);
  if (password !== undefined) {
    if (password === '') throw new UsageError('--password is empty', command);
    return { type: 'password', value: password };
  }
  if (file === undefined) throw new UsageError('a key is required: --key FILE or --password TEXT', command);
  if (file === '') throw new UsageError('--key needs a file name', command);
  return { type: 'text', value: await readTextFile(file, 'key file', command) };
}

export const JWE_KEY_OPTIONS = { key: { type: 'string' }, password: { type: 'string' } } as const;

export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'decrypt a JWE (compact or JSON serialization) and show its plaintext',
  help: `Usage: jwtdbg decrypt [TOKEN] (--key FILE | --password TEXT) [--json]

Decrypts a JWE (compact, flattened or general JSON serialization; pasted as decode takes it).
A plaintext whose "cty" is JWT is decoded in place, as decode --json shows it.
Without TOKEN, reads tokens from stdin, one per line, and prints one JSON line per token.

Key (one of):
  --key FILE       PKCS#8 PEM private key, a private JWK, a JWKS (picked by kid, else each usable
                   key is tried) or an "oct" JWK (dir, AES key wrap)
  --password TEXT  the password of a PBES2 token

Limits: "p2c" above ${MAX_P2C} is refused before any work; a "zip":"DEF" plaintext may inflate to
${MAX_DECOMPRESSED_BYTES} bytes at most. A wrong key and an altered token get the same reason.
RSA1_5 is not decryptable (jose v6 dropped it); it is reported with a deprecation warning.

Options:
  --json      machine output: {"ok","header","plaintext","plaintextBase64url","nested","reason",
              "warnings"}
  -h, --help  show this help

Exit status: 0 decrypted, 1 not decryptable with that key (any, for stdin), 2 bad usage.`,
  options: { ...JWE_KEY_OPTIONS },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('decrypt', positionals);
    const key = await readJweKey(values, 'decrypt');
    return runOnTokens(io, 'decrypt', token, flagOption(values, 'json'), {
      handle: (text) => decryptJwe(text, key),
      ok: (outcome) => outcome.ok,
      json: decryptJson,
      text: decryptText,
      failure: failureJson,
    });
  },
};
