import { decodeToken } from '../../../shared/core/decode';
import { KeyError } from '../../../shared/core/keys';
import { SignError, signToken } from '../../../shared/core/sign';
import { flagOption, singleTokenArgument, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { describeTokenError } from '../format';
import { KEY_HELP, KEY_OPTIONS, readKeyOptions } from '../options';
import { InputError, UsageError } from '../usage-error';

export interface SignJson {
  token: string;
  alg: string;
  warnings: string[];
}

/** Used when --header is not given; `--alg` (or the key) supplies the alg. */
export const DEFAULT_HEADER = '{"typ":"JWT"}';

/**
 * `--header`/`--payload` take JSON text or `@FILE`. The text is signed byte for byte, except that
 * one trailing line break of a file is dropped: editors add it, nobody means it as part of the JSON.
 */
async function readTextArgument(values: OptionValues, name: string): Promise<string | undefined> {
  const value = stringOption(values, name);
  if (value === undefined || !value.startsWith('@')) return value;
  const file = value.slice(1);
  if (file === '') throw new UsageError(`--${name} @FILE needs a file name`, 'sign');
  const text = await readTextFile(file, `${name} file`, 'sign');
  return text.replace(/\r?\n$/, '');
}

/** The header and payload text of a token to re-sign, read by the decoder (so any pasted form works). */
function tokenTexts(text: string): { headerText: string; payloadText: string } {
  const decoded = decodeToken(text);
  if (!decoded.ok) throw new InputError(`cannot re-sign: ${describeTokenError(decoded.error)}`, 'sign');
  const token = decoded.token;
  if (token.kind === 'jwe') throw new InputError('cannot re-sign a JWE: it is encrypted, not signed', 'sign');
  if (token.payloadText === null) throw new InputError('cannot re-sign: the payload is not UTF-8 text (give --payload)', 'sign');
  if (token.headerText === '') throw new InputError('cannot re-sign: the token has no protected header (give --header)', 'sign');
  return { headerText: token.headerText, payloadText: token.payloadText };
}

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a header and payload exactly as written, or re-sign a token',
  help: `Usage: jwtdbg sign --payload JSON|@FILE [--header JSON|@FILE] [--alg ALG] (--key FILE | --secret TEXT)
                   [--json]
       jwtdbg sign TOKEN [--payload …] [--header …] (--key FILE | --secret TEXT) [--json]

Signs the header and payload text exactly as given (spacing and member order are kept, so the
token decodes to the same text) and prints the compact JWS. With @FILE the text is read from the
file, minus one trailing line break.

With TOKEN (pasted as decode takes it: whitespace, quotes, "Bearer ", "Authorization: Bearer ",
name=), re-signs the token's own header and payload text, exactly as they decode; --header or
--payload replaces either one. A token decode refuses is refused with decode's error.

${KEY_HELP}
  (for sign, --key is a private key: PEM or a private JWK)

Options:
  --payload JSON|@FILE  the payload (required without TOKEN)
  --header JSON|@FILE   the protected header; default ${DEFAULT_HEADER}, or TOKEN's
  --alg ALG             fills in the header's alg when it has none ("none" makes an
                        unsecured token and needs no key)
  --json                machine output: {"token","alg","warnings"}
  -h, --help            show this help

Warnings (e.g. the header alg and the key disagree) go to stderr, or into "warnings" with --json.
Exit status: 0 signed; 2 bad usage, unreadable input, or header/key that cannot sign.`,
  options: {
    ...KEY_OPTIONS,
    header: { type: 'string' },
    payload: { type: 'string' },
    alg: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('sign', positionals);
    const original = token === undefined ? undefined : tokenTexts(token);
    const payloadText = (await readTextArgument(values, 'payload')) ?? original?.payloadText;
    if (payloadText === undefined) throw new UsageError('--payload is required (or a TOKEN to re-sign)', 'sign');
    const headerText = (await readTextArgument(values, 'header')) ?? original?.headerText ?? DEFAULT_HEADER;
    const alg = stringOption(values, 'alg');
    if (alg !== undefined && alg.trim() === '') throw new UsageError('--alg is empty', 'sign');
    // No key is fine for alg "none" (an unsecured token); signToken says key-missing otherwise.
    const source = await readKeyOptions(values, 'sign');

    let signed: SignJson;
    try {
      signed = await signToken({ headerText, payloadText, ...(source && { key: source.input }), ...(alg !== undefined && { alg }) });
    } catch (err) {
      if (!(err instanceof SignError || err instanceof KeyError)) throw err;
      throw new InputError(`cannot sign: ${err.code}: ${err.message}`, 'sign');
    }
    if (flagOption(values, 'json')) {
      io.stdout.write(`${JSON.stringify({ token: signed.token, alg: signed.alg, warnings: signed.warnings } satisfies SignJson)}\n`);
    } else {
      io.stdout.write(`${signed.token}\n`);
      for (const warning of signed.warnings) io.stderr.write(`jwtdbg sign: warning: ${warning}\n`);
    }
    return 0;
  },
};
