import { CONTENT_ENCRYPTION_ALGORITHMS, JweError, KEY_MANAGEMENT_ALGORITHMS, encryptJwe, type EncryptResult } from '../../../shared/core/jwe';
import { flagOption, stringOption } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { InputError, UsageError } from '../usage-error';
import { JWE_KEY_OPTIONS, readJweKey } from './decrypt';

export type EncryptJson = Pick<EncryptResult, 'token' | 'alg' | 'enc'>;

export const encryptCommand: Command = {
  name: 'encrypt',
  summary: 'encrypt a payload into a compact JWE',
  help: `Usage: jwtdbg encrypt (--key FILE | --password TEXT) --alg ALG --enc ENC --payload TEXT|@FILE
                      [--cty TYPE] [--json]

Encrypts the payload (UTF-8 text as given; with @FILE the file's text, minus one trailing line
break) and prints the compact JWE.

Key (one of):
  --key FILE       SPKI PEM public key, certificate, public JWK (a private one is used by its public
                   part), a JWKS (the first key that fits ALG) or an "oct" JWK (dir, AES key wrap)
  --password TEXT  the password, for PBES2-*

Options:
  --alg ALG       ${KEY_MANAGEMENT_ALGORITHMS.join(', ')}
  --enc ENC       ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}
  --payload TEXT|@FILE  the plaintext
  --cty TYPE      the "cty" header (JWT for a nested token)
  --json          machine output: {"token","alg","enc"}
  -h, --help      show this help

Exit status: 0 encrypted; 2 bad usage, unreadable input, or a key that does not fit ALG.`,
  options: {
    ...JWE_KEY_OPTIONS,
    alg: { type: 'string' },
    enc: { type: 'string' },
    payload: { type: 'string' },
    cty: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError('encrypt takes no TOKEN argument (give --payload)', 'encrypt');
    const alg = stringOption(values, 'alg');
    const enc = stringOption(values, 'enc');
    if (alg === undefined || alg === '') throw new UsageError('--alg is required', 'encrypt');
    if (enc === undefined || enc === '') throw new UsageError('--enc is required', 'encrypt');
    if (!(KEY_MANAGEMENT_ALGORITHMS as readonly string[]).includes(alg)) throw new UsageError(`--alg "${alg}" is not a supported key management algorithm`, 'encrypt');
    if (!(CONTENT_ENCRYPTION_ALGORITHMS as readonly string[]).includes(enc)) throw new UsageError(`--enc "${enc}" is not a supported content encryption algorithm`, 'encrypt');
    const payloadArg = stringOption(values, 'payload');
    if (payloadArg === undefined) throw new UsageError('--payload is required', 'encrypt');
    let plaintext = payloadArg;
    if (payloadArg.startsWith('@')) {
      const file = payloadArg.slice(1);
      if (file === '') throw new UsageError('--payload @FILE needs a file name', 'encrypt');
      plaintext = (await readTextFile(file, 'payload file', 'encrypt')).replace(/\r?\n$/, '');
    }
    const cty = stringOption(values, 'cty');
    const key = await readJweKey(values, 'encrypt');
    let result: EncryptResult;
    try {
      result = await encryptJwe({ plaintext, alg, enc, key, ...(cty !== undefined && { cty }) });
    } catch (err) {
      if (!(err instanceof JweError)) throw err;
      throw new InputError(`cannot encrypt: ${err.code}: ${err.message}`, 'encrypt');
    }
    if (flagOption(values, 'json')) io.stdout.write(`${JSON.stringify({ token: result.token, alg: result.alg, enc: result.enc } satisfies EncryptJson)}\n`);
    else io.stdout.write(`${result.token}\n`);
    return 0;
  },
};
