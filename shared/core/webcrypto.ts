/**
 * The part of WebCrypto (`crypto.subtle`) the core calls directly: signing the exact bytes a user typed
 * (jose's signers re-serialize the header) and importing HMAC keys once. platform.d.ts declares only the
 * `crypto` members every layer may touch, so the subtle surface is typed here, narrowly.
 */
import type { CryptoKey } from 'jose';

export interface Subtle {
  importKey(
    format: 'raw',
    keyData: Uint8Array,
    algorithm: { name: string; hash?: string },
    extractable: boolean,
    usages: ('sign' | 'verify')[],
  ): Promise<CryptoKey>;
  sign(algorithm: object, key: CryptoKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: object, key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  digest(algorithm: 'SHA-256' | 'SHA-384' | 'SHA-512', data: Uint8Array): Promise<ArrayBuffer>;
}

export function subtle(): Subtle {
  const s = (globalThis as { crypto?: { subtle?: Subtle } }).crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return s;
}
