import { flagOption, stringOption } from '../args';
import type { Command } from '../command';
import {
  GENERATE_ALGS,
  generateKey,
  isGenerateAlg,
  keygenOutput,
  KeyStoreError,
  writeKeyFiles,
  type ExportFormat,
} from '../../services/keys';
import { InputError, UsageError } from '../usage-error';

export const keygenCommand: Command = {
  name: 'keygen',
  summary: 'generate a test key pair or HMAC secret',
  help: `Usage: jwtdbg keygen ALG [--bits N] [--kid KID] [--format jwk|pem] [--out DIR]

Generates a key for ALG (${GENERATE_ALGS.join(', ')}) and prints
  {"kid", "alg", "public": JWK|null, "private": JWK}
as JSON. "public" is null for an HMAC secret. The kid defaults to the key's RFC 7638 thumbprint.
The private JWK (or PEM) is what \`jwtdbg sign --key FILE\` takes; the public one is for
\`jwtdbg verify --key FILE\`.

Options:
  --bits N          RSA modulus: 2048 (default), 3072 or 4096; HMAC secret length (default the
                    hash size, at least 128, a multiple of 8). EC and EdDSA keys have fixed sizes.
  --kid KID         the key id to put in both JWKs
  --format jwk|pem  jwk (default), or PEM strings: PKCS#8 private, SPKI public (not for HS*)
  --out DIR         write KID.private.EXT (mode 0600) and KID.public.EXT into DIR instead of
                    printing the private part; prints {"kid","alg","public","files"}. Never
                    overwrites a file.
  -h, --help        show this help

Exit status: 0 generated; 2 bad usage (unknown ALG, bits that do not apply) or files not written.`,
  options: {
    bits: { type: 'string' },
    kid: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'ALG is required' : 'keygen takes one ALG', 'keygen');
    const alg = positionals[0] as string;
    if (!isGenerateAlg(alg)) throw new UsageError(`cannot generate a key for ${JSON.stringify(alg.slice(0, 32))}; ALG is one of ${GENERATE_ALGS.join(', ')}`, 'keygen');
    const format = parseFormat(stringOption(values, 'format'));
    const bitsText = stringOption(values, 'bits');
    if (bitsText !== undefined && !/^\d{1,6}$/.test(bitsText)) throw new UsageError('--bits must be a whole number', 'keygen');
    const kid = stringOption(values, 'kid');
    const out = stringOption(values, 'out');
    if (out === '') throw new UsageError('--out needs a folder', 'keygen');
    // `--json` is accepted (the output is always JSON) so scripts can pass it uniformly.
    void flagOption(values, 'json');

    try {
      const key = await generateKey(alg, { ...(bitsText !== undefined && { bits: Number(bitsText) }), ...(kid !== undefined && { kid }) });
      const output = await keygenOutput(key, format);
      if (out === undefined) {
        io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
        return 0;
      }
      const files = await writeKeyFiles(output, out, format);
      const printed = { kid: output.kid, alg: output.alg, public: output.public, files: { private: files.privatePath, public: files.publicPath } };
      io.stdout.write(`${JSON.stringify(printed, null, 2)}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof KeyStoreError)) throw error;
      if (error.code === 'file-write-failed') throw new InputError(error.message, 'keygen');
      throw new UsageError(error.message, 'keygen');
    }
  },
};

function parseFormat(value: string | undefined): ExportFormat {
  if (value === undefined || value === 'jwk') return 'jwk';
  if (value === 'pem') return 'pem';
  throw new UsageError(`--format must be jwk or pem, got ${JSON.stringify(value.slice(0, 16))}`, 'keygen');
}
