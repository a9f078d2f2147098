import { KeyError } from '../../../shared/core/keys';
import { SignError, signToken } from '../../../shared/core/sign';
import { flagOption, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
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

export const signCommand: Command = {
  name: 'sign',
  summary: 'sign a header and payload exactly as written',
  help: `Usage: jwtdbg sign --payload JSON|@FILE [--header JSON|@FILE] [--alg ALG] (--key FILE | --secret TEXT)
                   [--json]

Signs the header and payload text exactly as given (spacing and member order are kept, so the
token decodes to the same text) and prints the compact JWS. With @FILE the text is read from the
file, minus one trailing line break.

${KEY_HELP}
  (for sign, --key is a private key: PEM or a private JWK)

Options:
  --payload JSON|@FILE  the payload (required)
  --header JSON|@FILE   the protected header; default ${DEFAULT_HEADER}
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
    if (positionals.length > 0) throw new UsageError('sign takes no TOKEN argument; give --header and --payload', 'sign');
    const payloadText = await readTextArgument(values, 'payload');
    if (payloadText === undefined) throw new UsageError('--payload is required', 'sign');
    const headerText = (await readTextArgument(values, 'header')) ?? DEFAULT_HEADER;
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
