/**
 * Finds a token issuer's keys from its `iss`, on the user's explicit request only (`verify --discover`):
 * the OpenID Connect discovery document (OIDC Discovery §4), else the OAuth 2.0 authorization server
 * metadata (RFC 8414 §3), whose `issuer` must equal `iss` (OIDC Discovery §4.3, RFC 8414 §3.3: otherwise a
 * server could hand out another issuer's keys), then its `jwks_uri`. Every request goes through
 * jwks-fetch's limits (http(s) only, no credentials, deadline, size cap, redirects only to http(s)).
 */
import type { KeyDiscoveryErrorCode } from '../../shared/contract/errors';
import { httpUrlProblem } from '../../shared/contract/jwks';
import { decodeToken } from '../../shared/core/decode';
import { WorkbenchError } from '../../shared/core/errors';
import { fetchJwks, fetchLimited, JwksFetchError, type JwksFetchOptions } from './jwks-fetch';

export type { KeyDiscoveryErrorCode };

export class KeyDiscoveryError extends WorkbenchError<KeyDiscoveryErrorCode> {
  override readonly name = 'KeyDiscoveryError';
}

export interface DiscoveredKeys {
  /** The JWKS as text (checked to have a `keys` array). */
  jwks: string;
  /** The `jwks_uri` the metadata named. */
  jwksUri: string;
  /** The metadata document the `jwks_uri` came from. */
  metadataUrl: string;
}

const METADATA_ACCEPT = 'application/json';

/**
 * The metadata URLs to try for an issuer, in order: OIDC's (the well-known path appended to the issuer),
 * then RFC 8414's (the well-known segment inserted between host and path, §3.1).
 */
export function metadataUrls(iss: string): string[] {
  const url = new URL(iss);
  const path = url.pathname.replace(/\/+$/, '');
  const oidc = `${url.origin}${path}/.well-known/openid-configuration`;
  const oauth = `${url.origin}/.well-known/oauth-authorization-server${path}`;
  return [oidc, oauth];
}

/** Checks `iss` is something discovery may fetch from, and answers it as a string. */
export function issuerUrl(iss: unknown): string {
  if (iss === undefined || iss === null) throw new KeyDiscoveryError('iss-missing', 'The token has no "iss" claim, so its issuer cannot be discovered');
  if (typeof iss !== 'string') throw new KeyDiscoveryError('iss-not-url', 'The token\'s "iss" claim is not a string');
  const problem = httpUrlProblem(iss);
  if (problem) throw new KeyDiscoveryError('iss-not-url', `The token's "iss" is not a discoverable issuer URL: ${problem}`);
  try {
    new URL(iss);
  } catch {
    throw new KeyDiscoveryError('iss-not-url', 'The token\'s "iss" is not a discoverable issuer URL: it does not parse');
  }
  if (iss !== iss.trim()) throw new KeyDiscoveryError('iss-not-url', 'The token\'s "iss" has white space around it');
  return iss;
}

export async function discoverKeys(iss: unknown, options: JwksFetchOptions = {}): Promise<DiscoveredKeys> {
  const issuer = issuerUrl(iss);
  const failures: string[] = [];
  for (const metadataUrl of metadataUrls(issuer)) {
    let metadata: unknown;
    try {
      const { text } = await fetchLimited(metadataUrl, METADATA_ACCEPT, options);
      metadata = JSON.parse(text);
    } catch (error) {
      // Not there (or not JSON): the other well-known location may be; a mismatch below is never retried.
      failures.push(`${metadataUrl}: ${error instanceof Error && !(error instanceof SyntaxError) ? error.message : 'the answer is not JSON'}`);
      continue;
    }
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      failures.push(`${metadataUrl}: the answer is not a JSON object`);
      continue;
    }
    const { issuer: named, jwks_uri: jwksUri } = metadata as { issuer?: unknown; jwks_uri?: unknown };
    if (named !== issuer) {
      // The server's value is shown only when it is a short string: a hostile answer is not echoed whole.
      const shown = typeof named === 'string' && named.length <= 200 ? JSON.stringify(named) : 'another value';
      throw new KeyDiscoveryError('issuer-mismatch', `The metadata at ${metadataUrl} names issuer ${shown}, not the token's ${JSON.stringify(issuer)}`, {
        details: { metadataUrl },
      });
    }
    if (typeof jwksUri !== 'string') throw new KeyDiscoveryError('jwks-uri-invalid', `The metadata at ${metadataUrl} has no "jwks_uri"`, { details: { metadataUrl } });
    const problem = httpUrlProblem(jwksUri);
    if (problem) throw new KeyDiscoveryError('jwks-uri-invalid', `The metadata's "jwks_uri" cannot be fetched: ${problem}`, { details: { metadataUrl } });
    try {
      const { jwks } = await fetchJwks(jwksUri, options);
      return { jwks, jwksUri: jwksUri.trim(), metadataUrl };
    } catch (error) {
      if (!(error instanceof JwksFetchError)) throw error;
      throw new KeyDiscoveryError('jwks-fetch-failed', `The issuer's JWKS could not be fetched: ${error.code}: ${error.message}`, { cause: error, details: { metadataUrl, jwksUri } });
    }
  }
  throw new KeyDiscoveryError('discovery-failed', `No metadata found for issuer ${JSON.stringify(issuer)}: ${failures.join('; ')}`, { details: { issuer } });
}

/** `keys.discover`: the issuer's keys for a pasted token, found from its `iss`, with how many there are. */
export async function discoverTokenKeys(token: string, options: JwksFetchOptions = {}): Promise<DiscoveredKeys & { keys: number }> {
  const decoded = decodeToken(token);
  if (!decoded.ok) throw new KeyDiscoveryError('token-invalid', `The token does not decode: ${decoded.error.message}`);
  if (decoded.token.kind === 'jwe') throw new KeyDiscoveryError('token-invalid', 'The token is encrypted (JWE): its "iss" cannot be read');
  const payload = decoded.token.payload;
  const iss = typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as { iss?: unknown }).iss : undefined;
  const found = await discoverKeys(iss, options);
  // fetchJwks checked `keys` is an array.
  const { keys } = JSON.parse(found.jwks) as { keys: unknown[] };
  return { ...found, keys: keys.length };
}
