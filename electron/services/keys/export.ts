/**
 * Key export forms: PEM (SPKI for public, PKCS#8 for private) via jose over node:crypto KeyObjects,
 * JWKS documents, and the exact JSON the CLI's `jwtdbg keygen` prints.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { exportPKCS8, exportSPKI, type JWK } from 'jose';
import type { GeneratedKey } from './generate';
import { KeyStoreError } from './errors';
import type { StoredKeyMaterial } from './material';

export type ExportFormat = 'jwk' | 'pem';

type PemSource = Pick<StoredKeyMaterial, 'kty' | 'jwk' | 'hasPrivate'>;

/** SPKI PEM of the public half (node:crypto derives it from a private JWK too). */
export async function publicPem(material: PemSource): Promise<string> {
  if (material.kty === 'oct') throw new KeyStoreError('no-public-part', 'an HMAC secret has no public key');
  return exportSPKI(createPublicKey({ key: material.jwk, format: 'jwk' }));
}

/** PKCS#8 PEM of the private key. Callers keep this in the main process. */
export async function privatePem(material: PemSource): Promise<string> {
  if (material.kty === 'oct') {
    throw new KeyStoreError('format-unsupported', 'an HMAC secret has no PEM form; export it as a JWK');
  }
  if (!material.hasPrivate) throw new KeyStoreError('no-private-part', 'this key has no private part');
  return exportPKCS8(createPrivateKey({ key: material.jwk, format: 'jwk' }));
}

export interface Jwks {
  keys: JWK[];
}

/** A JWKS of public JWKs; two keys with one kid would make `kid` selection ambiguous, so that is refused. */
export function toJwks(publicJwks: JWK[]): Jwks {
  const seen = new Set<string>();
  for (const jwk of publicJwks) {
    if (jwk.kid === undefined) continue;
    if (seen.has(jwk.kid)) {
      throw new KeyStoreError('invalid-argument', `two selected keys share kid ${JSON.stringify(jwk.kid)}`);
    }
    seen.add(jwk.kid);
  }
  return { keys: publicJwks };
}

/** What `jwtdbg keygen ALG` prints: `{"kid","alg","public","private"}`, as JWKs or PEM strings. */
export interface KeygenOutput {
  kid: string;
  alg: string;
  public: JWK | string | null;
  private: JWK | string;
}

export async function keygenOutput(key: GeneratedKey, format: ExportFormat = 'jwk'): Promise<KeygenOutput> {
  if (format === 'jwk') return { kid: key.kid, alg: key.alg, public: key.publicJwk, private: key.privateJwk };
  if (key.publicJwk === null) {
    throw new KeyStoreError('format-unsupported', `${key.alg} secrets have no PEM form; use the JWK format`);
  }
  const material: PemSource = { kty: key.publicJwk.kty as StoredKeyMaterial['kty'], jwk: key.privateJwk, hasPrivate: true };
  return { kid: key.kid, alg: key.alg, public: await publicPem(material), private: await privatePem(material) };
}
