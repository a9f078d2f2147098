/**
 * WebCrypto binds a CryptoKey to one algorithm, so a prepared RSA key becomes up to six CryptoKeys. Each is
 * imported on first use and kept per prepared key (a WeakMap: they go when the key goes).
 */
import { importJWK, type CryptoKey } from 'jose';
import type { JwsAlgorithm } from './algorithms';
import { keyMaterial, type PreparedKey } from './keys';
import { subtle } from './webcrypto';

type Usage = 'verify' | 'sign';
const cache = new WeakMap<PreparedKey, Map<string, Promise<CryptoKey>>>();

export function cryptoKeyFor(key: PreparedKey, alg: JwsAlgorithm, usage: Usage): Promise<CryptoKey> {
  let byAlg = cache.get(key);
  if (!byAlg) cache.set(key, (byAlg = new Map()));
  const slot = `${usage}:${alg.name}`;
  let pending = byAlg.get(slot);
  if (!pending) {
    pending = importFor(key, alg, usage);
    byAlg.set(slot, pending);
    // A failed import is not remembered: the next call reports the same error afresh.
    pending.catch(() => byAlg.delete(slot));
  }
  return pending;
}

async function importFor(key: PreparedKey, alg: JwsAlgorithm, usage: Usage): Promise<CryptoKey> {
  const m = keyMaterial(key);
  if (m.secret) {
    return subtle().importKey('raw', m.secret, { name: 'HMAC', hash: alg.hash as string }, false, [usage]);
  }
  const jwk = usage === 'sign' ? m.privateJwk : m.jwk;
  if (!jwk) throw new TypeError('a public key cannot sign; a private key is needed');
  return importJWK({ ...jwk }, alg.name) as Promise<CryptoKey>;
}
