/** RFC 7638 JWK thumbprints: the default `kid` of every stored key. */
import { calculateJwkThumbprint } from 'jose';
import type { JWK } from 'jose';

/**
 * SHA-256 thumbprint, base64url. jose hashes exactly the required members in lexicographic order
 * (RFC 7638 §3.2), so extra members (kid, alg, private parts) do not change it. For an HMAC secret
 * it is a hash of the secret itself — the same definition the verify core reports for oct keys.
 */
export function jwkThumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}
