/**
 * The default signature backend: jose's flattenedVerify over WebCrypto, so it runs in every layer (renderer,
 * worker, Node). The core has already chosen the key and checked the algorithm against it; this only
 * answers "does this signature match these bytes under this key".
 */
import { errors, flattenedVerify, type FlattenedJWSInput } from 'jose';
import { webCryptoSignParams, type JwsAlgorithm } from './algorithms';
import { decodeBase64url, encodeBase64url, utf8Bytes, utf8OrNull } from './base64url';
import { cryptoKeyFor } from './crypto-keys';
import type { PreparedKey } from './keys';
import type { SignatureBackend } from './verify';
import { subtle } from './webcrypto';

export const joseBackend: SignatureBackend = {
  name: 'jose',
  async verify(alg: JwsAlgorithm, key: PreparedKey, signingInput: string, signature: Uint8Array): Promise<boolean> {
    const cryptoKey = await cryptoKeyFor(key, alg, 'verify');
    // jose refuses RSA keys under 2048 bits outright (RFC 7518 §3.3). The core reports those as a key-policy
    // warning and still answers the signature question, as the node backend does, so ask WebCrypto directly.
    if (alg.kty === 'RSA' && key.bits < 2048) {
      try {
        return await subtle().verify(webCryptoSignParams(alg), cryptoKey, signature, utf8Bytes(signingInput));
      } catch {
        return false;
      }
    }
    try {
      await flattenedVerify(toFlattened(alg, signingInput, signature), cryptoKey, { algorithms: [alg.name] });
      return true;
    } catch (e) {
      if (e instanceof errors.JWSSignatureVerificationFailed) return false;
      throw e;
    }
  },
};

/** Rebuilds the flattened JWS whose signing input is `signingInput` (RFC 7515 §5.2: protected || '.' || payload). */
function toFlattened(alg: JwsAlgorithm, signingInput: string, signature: Uint8Array): FlattenedJWSInput {
  const dot = signingInput.indexOf('.');
  const protectedB64 = signingInput.slice(0, dot);
  let header: Record<string, unknown> = {};
  if (protectedB64) {
    const bytes = decodeBase64url(protectedB64);
    const text = bytes && utf8OrNull(bytes);
    header = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  return {
    ...(protectedB64 && { protected: protectedB64 }),
    // The alg may have come from an unprotected header (JWS JSON serialization); jose needs it somewhere.
    ...(header.alg === undefined && { header: { alg: alg.name } }),
    // For b64:false, jose signs the UTF-8 of a string payload, as the core does.
    payload: signingInput.slice(dot + 1),
    signature: encodeBase64url(signature),
  };
}
