/**
 * Resolves the key a token names about itself (shared/core/token-key.ts) into keys to verify with — only
 * when the user explicitly trusts it (`verify --trust-token-key`, the debugger's "Token's own key"). Header
 * keys are used as they are; `jku` / `x5u` are fetched under the JWKS fetch limits (http(s), no
 * credentials, deadline, size cap). The source says which, so every verdict can call the key self-asserted.
 */
import type { TokenKeyErrorCode } from '../../shared/contract/errors';
import type { HostVerifyResult } from '../../shared/contract/key-discovery';
import { decodeToken } from '../../shared/core/decode';
import { WorkbenchError } from '../../shared/core/errors';
import { KeyError, prepareKeys, type PreparedKeys } from '../../shared/core/keys';
import type { DecodedToken } from '../../shared/core/token';
import { embeddedKeys, firstCertificate } from '../../shared/core/token-key';
import { verifyToken, type SignatureBackend } from '../../shared/core/verify';
import type { VerifyOptions } from '../../shared/core/verify-types';
import { fetchJwks, fetchLimited, JwksFetchError, type JwksFetchOptions } from './jwks-fetch';

export type { TokenKeyErrorCode };

export class TokenKeyError extends WorkbenchError<TokenKeyErrorCode> {
  override readonly name = 'TokenKeyError';
}

export interface TokenOwnKeys {
  keys: PreparedKeys;
  /** `self-asserted:jwk`, `self-asserted:x5c`, `self-asserted:jku:<url>` or `self-asserted:x5u:<url>`. */
  source: string;
}

/** The first key the token names (jwk, x5c, jku, x5u), prepared for verification. */
export async function tokenOwnKeys(token: DecodedToken, options: JwksFetchOptions = {}): Promise<TokenOwnKeys> {
  const [first] = embeddedKeys(token);
  if (!first) throw new TokenKeyError('no-token-key', 'The token names no key of its own (no jwk, x5c, jku or x5u in its header)');
  try {
    if ('input' in first) return { keys: await prepareKeys(first.input), source: `self-asserted:${first.kind}` };
    if (first.kind === 'jku') {
      const { jwks, url } = await fetchJwks(first.url, options);
      return { keys: await prepareKeys({ type: 'jwks', value: jwks }), source: `self-asserted:jku:${url}` };
    }
    const { text, url } = await fetchLimited(first.url, 'application/pem-certificate-chain, application/x-pem-file;q=0.9', options);
    const pem = firstCertificate(text);
    if (pem === null) throw new TokenKeyError('token-key-unusable', 'The x5u answer holds no PEM certificate');
    return { keys: await prepareKeys({ type: 'pem', value: pem }), source: `self-asserted:x5u:${url}` };
  } catch (err) {
    if (err instanceof KeyError) throw new TokenKeyError('token-key-unusable', `The token's own ${first.kind} is not a usable key: ${err.code}: ${err.message}`, { cause: err });
    if (err instanceof JwksFetchError) throw new TokenKeyError('token-key-fetch-failed', `Could not fetch the token's ${first.kind}: ${err.code}: ${err.message}`, { cause: err });
    throw err;
  }
}

/**
 * crypto.verify with `{ type: 'token-key' }`: verifies `token` with the key it names about itself, and says
 * so in `key.source`. A token that does not decode gets the core's own malformed-token verdict.
 */
export async function verifyWithTokenKey(
  token: string,
  options: VerifyOptions | undefined,
  backend: SignatureBackend,
  fetchOptions: JwksFetchOptions = {},
): Promise<HostVerifyResult> {
  const decoded = decodeToken(token);
  // The verdict for an undecodable token never looks at the key: an empty JWKS stands in for none.
  if (!decoded.ok) return verifyToken(token, { type: 'jwks', value: '{"keys":[]}' }, options, backend);
  const { keys, source } = await tokenOwnKeys(decoded.token, fetchOptions);
  const result = await verifyToken(decoded.token, keys, options, backend);
  return { ...result, key: result.key && { ...result.key, source } };
}
