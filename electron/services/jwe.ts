/**
 * crypto.decrypt / crypto.encrypt: the shared JWE core (shared/core/jwe.ts) with the contract's key forms.
 * A stored key is resolved here, in the host, by id: its private JWK goes from the store to the core and
 * never into an answer. An undecryptable token is an error Result with the core's code and its one generic
 * reason (no padding or tag oracle); the protected header and warnings ride along in `details`.
 */
import type { DecryptResponse, EncryptResponse, JweHostKeyInput, NestedDecode } from '../../shared/contract/jwe';
import { encodeBase64url, utf8OrNull } from '../../shared/core/base64url';
import { decodeToken } from '../../shared/core/decode';
import { JweError, decryptJwe, encryptJwe } from '../../shared/core/jwe';
import type { ContentEncryptionAlgorithm, JweKeyInput, KeyManagementAlgorithm } from '../../shared/core/jwe';
import { decodeSecret } from '../../shared/core/secret';
import type { KeyStoreSession } from './keys/store-session';

/** The core's key input for a contract key; `purpose` decides which part of a stored key is used. */
async function coreKey(session: KeyStoreSession, key: JweHostKeyInput, purpose: 'decrypt' | 'encrypt'): Promise<JweKeyInput> {
  switch (key.type) {
    case 'password':
      return { type: 'password', value: key.value };
    case 'secret':
      // A shared secret is the raw key of dir / AES key wrap: the core takes it as an oct JWK.
      return { type: 'text', value: JSON.stringify({ kty: 'oct', k: encodeBase64url(decodeSecret(key.value, key.encoding)) }) };
    case 'stored': {
      const store = await session.open();
      const info = await store.get(key.id);
      // Encrypting needs only the public part, except for a secret, which is its own (only) part.
      const usePublic = purpose === 'encrypt' && info.kty !== 'oct';
      if (!usePublic && !info.hasPrivate) throw new JweError('key-unusable', `stored key ${info.kid} is a public key: decrypting needs its private part`);
      const jwk = usePublic ? { ...(await store.exportPublicJwk(key.id)) } : (JSON.parse(await store.revealPrivateKey(key.id, 'jwk')) as Record<string, unknown>);
      // The store pins a key to a signing alg (and use "sig"); the user chose this key for the JWE by id.
      delete jwk.alg;
      delete jwk.use;
      delete jwk.key_ops;
      return { type: 'text', value: JSON.stringify(jwk) };
    }
    default:
      return { type: 'text', value: key.value };
  }
}

function nestedDecode(token: string): NestedDecode {
  const result = decodeToken(token);
  if (!result.ok) return { token, kind: null, header: null, payload: null, error: result.error };
  const decoded = result.token;
  const payload = decoded.kind !== 'jwe' && decoded.payloadIsJson ? decoded.payload : null;
  return { token, kind: decoded.kind, header: decoded.header, payload, error: null };
}

export async function decryptForHost(session: KeyStoreSession, request: { token: string; key: JweHostKeyInput }): Promise<DecryptResponse> {
  const outcome = await decryptJwe(request.token, await coreKey(session, request.key, 'decrypt'));
  if (!outcome.ok) {
    throw new JweError(outcome.code, outcome.reason, { details: { header: outcome.header, warnings: outcome.warnings } });
  }
  return {
    header: outcome.header,
    plaintext: utf8OrNull(outcome.plaintext),
    plaintextBase64url: encodeBase64url(outcome.plaintext),
    nested: outcome.nestedToken === null ? null : nestedDecode(outcome.nestedToken),
    warnings: outcome.warnings,
  };
}

export async function encryptForHost(
  session: KeyStoreSession,
  request: { payload: string; key: JweHostKeyInput; alg: KeyManagementAlgorithm; enc: ContentEncryptionAlgorithm; cty?: string },
): Promise<EncryptResponse> {
  const key = await coreKey(session, request.key, 'encrypt');
  const result = await encryptJwe({ plaintext: request.payload, alg: request.alg, enc: request.enc, key, ...(request.cty !== undefined && { cty: request.cty }) });
  return { token: result.token, alg: result.alg, enc: result.enc };
}
