/**
 * `jwks.fetch`: the one network request the debugger makes, only when the user presses "Fetch", and
 * made by the host (the renderer's CSP allows no other origin). The URL is checked here, in the
 * contract, so every transport refuses the same things before a service sees them.
 */
import type { ParseResult, Schema } from './schema';

export const JWKS_FETCH_LIMITS = {
  /** Characters of the URL. */
  url: 2048,
  /** Bytes of the response body: a JWKS of dozens of RSA keys with certificate chains fits. */
  bytes: 512 * 1024,
  /** Whole request, connect to last byte. */
  timeoutMs: 10_000,
} as const;

export interface JwksFetchResponse {
  /** The response body as text: a JWKS (checked to have a `keys` array). */
  jwks: string;
  /** How many entries `keys` has. */
  keys: number;
  /** The URL the body came from after redirects. */
  url: string;
}

/** An absolute http: or https: URL without user info, as a Schema for the contract. */
export const httpUrlSchema: Schema<string> = {
  expected: 'an http(s) URL',
  parse(input: unknown, path = ''): ParseResult<string> {
    const where = path || 'url';
    if (typeof input !== 'string') return { ok: false, issue: { path: where, message: 'expected an http(s) URL' } };
    const problem = httpUrlProblem(input);
    return problem ? { ok: false, issue: { path: where, message: problem } } : { ok: true, value: input.trim() };
  },
};

/**
 * Why `text` is not a fetchable http(s) URL, or null when it is. A syntactic check (shared/ has no URL
 * class); the service parses the URL properly before fetching.
 */
export function httpUrlProblem(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'the URL is empty';
  if (trimmed.length > JWKS_FETCH_LIMITS.url) return `the URL is longer than ${JWKS_FETCH_LIMITS.url} characters`;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(trimmed);
  if (!scheme) return 'not an absolute URL (it must start with https:// or http://)';
  const protocol = scheme[1]!.toLowerCase();
  if (protocol !== 'https' && protocol !== 'http') return `only http and https URLs are fetched, not ${protocol}:`;
  const authority = /^[A-Za-z]+:\/\/([^/?#]*)/.exec(trimmed);
  if (!authority || authority[1] === '') return 'the URL has no host';
  if (authority[1]!.includes('@')) return 'the URL must not carry a user name or password';
  if (/\s/.test(trimmed)) return 'the URL contains white space';
  return null;
}
