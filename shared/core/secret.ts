/**
 * Shared secrets as users give them: text in one of four encodings, decoded exactly one way everywhere (the
 * verify core, the key store, the CLI, the renderer's key fields). A module of its own so the renderer can
 * decode a secret without loading the key importer (shared/core/keys.ts).
 */
import { decodeBase64, utf8Bytes } from './base64url';
import { KeyError } from './key-error';

export type SecretEncoding = 'utf8' | 'base64' | 'base64url' | 'hex';

export const SECRET_ENCODINGS: readonly SecretEncoding[] = ['utf8', 'base64', 'base64url', 'hex'];

const HEX_DIGIT = /^[0-9a-fA-F]$/;

/** The bytes of a secret in the given encoding; KeyError 'secret-encoding' says where it went wrong. */
export function decodeSecret(value: string, encoding: SecretEncoding): Uint8Array {
  let bytes: Uint8Array;
  switch (encoding) {
    case 'utf8':
      bytes = utf8Bytes(value);
      break;
    case 'hex':
      bytes = decodeHex(value);
      break;
    case 'base64':
    case 'base64url':
      bytes = decodeSecretBase64(value, encoding);
      break;
    default:
      throw new KeyError('secret-encoding', `unknown secret encoding ${JSON.stringify(encoding)} (use utf8, base64, base64url or hex)`);
  }
  if (bytes.length === 0) throw new KeyError('secret-empty', 'the secret is empty');
  return bytes;
}

function decodeHex(value: string): Uint8Array {
  for (let i = 0; i < value.length; i++) {
    if (!HEX_DIGIT.test(value[i] as string)) {
      throw new KeyError('secret-encoding', `not valid hex at position ${i} (${JSON.stringify(value[i])})`, i);
    }
  }
  if (value.length % 2 === 1) {
    throw new KeyError('secret-encoding', `hex needs an even number of digits; got ${value.length}`, value.length - 1);
  }
  const out = new Uint8Array(value.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(value.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function decodeSecretBase64(value: string, encoding: 'base64' | 'base64url'): Uint8Array {
  const unpadded = value.replace(/={1,2}$/, '');
  const alphabet = encoding === 'base64' ? /[A-Za-z0-9+/\-_]/ : /[A-Za-z0-9\-_]/;
  for (let i = 0; i < unpadded.length; i++) {
    const c = unpadded[i] as string;
    if (!alphabet.test(c)) {
      const hint = encoding === 'base64url' && (c === '+' || c === '/') ? ' (that is standard base64: use the base64 encoding)' : '';
      throw new KeyError('secret-encoding', `not valid ${encoding} at position ${i} (${JSON.stringify(c)})${hint}`, i);
    }
  }
  if (unpadded.length % 4 === 1) {
    throw new KeyError('secret-encoding', `${encoding} text of length ${unpadded.length} is truncated`, unpadded.length - 1);
  }
  const bytes = decodeBase64(unpadded);
  if (!bytes) throw new KeyError('secret-encoding', `not valid ${encoding}`);
  return bytes;
}
