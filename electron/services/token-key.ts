/**
 * Resolves the key a token names about itself (shared/core/token-key.ts) into keys to verify with — only
 * when the user explicitly trusts it (`verify --trust-token-key`, the debugger's "Token's own key"). Header
 * keys are used as they are; `jku` / `x5u` are fetched under the JWKS fetch limits (http(s), no
 * credentials, deadline, size cap). The source says which, so every verdict can call the key self-asserted.
 */
import { WorkbenchError } from '../../shared/core/errors';
import { KeyError, prepareKeys, type PreparedKeys } from '../../shared/core/keys';
import type { DecodedToken } from '../../shared/core/token';
import { embeddedKeys, firstCertificate } from '../../shared/core/token-key';
import { fetchJwks, fetchLimited, JwksFetchError, type JwksFetchOptions } from './jwks-fetch';

export type TokenKeyErrorCode = 'no-token-key' | 'token-key-unusable' | 'token-key-fetch-failed';

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
