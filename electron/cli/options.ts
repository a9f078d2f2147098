import type { KeyInput, SecretEncoding } from '../../shared/core/keys';
import { SECRET_ENCODINGS } from '../../shared/core/keys';
import { listOption, stringOption, type OptionSpec, type OptionValues } from './args';
import { readTextFile } from './files';
import { UsageError } from './usage-error';

/** The key flags shared by verify and sign. */
export const KEY_OPTIONS: OptionSpec = {
  key: { type: 'string' },
  secret: { type: 'string' },
  'secret-encoding': { type: 'string' },
};

export const KEY_HELP = `Key (one of):
  --key FILE               PEM public/private key or certificate, JWK or JWKS (detected)
  --secret TEXT            shared secret for HS256/384/512
  --secret-encoding ENC    how TEXT is written: utf8 (default), base64, base64url, hex`;

/** The key given by --key FILE or --secret TEXT, for the core importer. */
export interface NamedKeyInput {
  input: KeyInput;
  /** How to name the key in messages: never its content. */
  label: string;
}

/** Reads `--key FILE` or `--secret TEXT`; null when neither was given. */
export async function readKeyOptions(values: OptionValues, command: string): Promise<NamedKeyInput | null> {
  const file = stringOption(values, 'key');
  const secret = stringOption(values, 'secret');
  const encoding = stringOption(values, 'secret-encoding');
  if (file !== undefined && secret !== undefined) throw new UsageError('give either --key or --secret, not both', command);
  if (encoding !== undefined && secret === undefined) throw new UsageError('--secret-encoding applies only to --secret', command);
  if (secret !== undefined) {
    if (secret === '') throw new UsageError('--secret is empty', command);
    return { input: { type: 'secret', value: secret, encoding: parseSecretEncoding(encoding, command) }, label: '--secret' };
  }
  if (file !== undefined) {
    if (file === '') throw new UsageError('--key needs a file name', command);
    const value = await readTextFile(file, 'key file', command);
    return { input: { type: 'auto', value }, label: `key file '${file}'` };
  }
  return null;
}

function parseSecretEncoding(value: string | undefined, command: string): SecretEncoding {
  if (value === undefined) return 'utf8';
  const found = SECRET_ENCODINGS.find((e) => e === value);
  if (!found) throw new UsageError(`--secret-encoding must be one of ${SECRET_ENCODINGS.join(', ')}`, command);
  return found;
}

/** `--now`: a NumericDate (seconds since the epoch, fractions allowed). */
export function parseNumericDate(values: OptionValues, name: string, command: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    throw new UsageError(`--${name} must be a NumericDate (seconds since 1970-01-01T00:00:00Z)`, command);
  }
  return value;
}

/** `--leeway`: a non-negative number of seconds. */
export function parseSeconds(values: OptionValues, name: string, command: string): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a number of seconds, 0 or more`, command);
  return value;
}

/** A repeatable flag that also takes comma lists: `--alg RS256,PS256 --alg ES256`. */
export function parseList(values: OptionValues, name: string, command: string): string[] | undefined {
  const given = listOption(values, name);
  if (given.length === 0) return undefined;
  const items = given.flatMap((v) => v.split(',')).map((v) => v.trim());
  if (items.some((v) => v === '')) throw new UsageError(`--${name} has an empty item`, command);
  return [...new Set(items)];
}
