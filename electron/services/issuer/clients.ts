/**
 * OAuth clients and client authentication (RFC 6749 §2.3): `client_secret_basic`, `client_secret_post`, or
 * `none` for public clients. Secrets are compared as SHA-256 digests in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { WorkbenchError } from '../../../shared/core/errors';

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'password', 'client_credentials'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface ClientConfig {
  id: string;
  /** null or absent: a public client (authenticates with its client_id alone). */
  secret?: string | null;
  grants: GrantType[];
  /** Scopes the client may ask for. */
  scopes: string[];
  /** Granted when a request names no scope. */
  defaultScope?: string[];
  /**
   * Exact redirect URIs. Absent: loopback redirect URIs on any port (RFC 8252 §7.3), plus those the issuer
   * settings register for the client (`redirectUris`); never any other host (an open redirect).
   */
  redirectUris?: string[];
}

export interface Client {
  id: string;
  isPublic: boolean;
  grants: ReadonlySet<GrantType>;
  scopes: ReadonlySet<string>;
  defaultScope: string[];
  redirectUris: readonly string[] | null;
  secretDigest: Buffer | null;
}

export class ClientConfigError extends WorkbenchError<'invalid-client-config'> {
  override readonly name = 'ClientConfigError';
  constructor(message: string) {
    super('invalid-client-config', message);
  }
}

export type ClientAuthResult =
  | { ok: true; client: Client; method: 'client_secret_basic' | 'client_secret_post' | 'none' }
  | { ok: false; error: 'invalid_client' | 'invalid_request'; description: string; usedBasic: boolean };

const CLIENT_ID = /^[\x21-\x7e]{1,128}$/;

const digest = (secret: string): Buffer => createHash('sha256').update(secret).digest();

export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class ClientRegistry {
  private readonly clients = new Map<string, Client>();

  constructor(configs: readonly ClientConfig[]) {
    for (const config of configs) {
      if (!CLIENT_ID.test(config.id)) throw new ClientConfigError(`client id ${JSON.stringify(config.id)} must be 1–128 visible ASCII characters`);
      if (this.clients.has(config.id)) throw new ClientConfigError(`client ${config.id} is defined twice`);
      if (config.secret !== undefined && config.secret !== null && config.secret.length < 16) {
        throw new ClientConfigError(`client ${config.id}: a secret must have at least 16 characters`);
      }
      for (const grant of config.grants) {
        if (!GRANT_TYPES.includes(grant)) throw new ClientConfigError(`client ${config.id}: unknown grant ${String(grant)}`);
      }
      const isPublic = config.secret === undefined || config.secret === null;
      if (isPublic && config.grants.includes('client_credentials')) {
        throw new ClientConfigError(`client ${config.id}: client_credentials needs a confidential client (a secret)`);
      }
      for (const uri of config.redirectUris ?? []) {
        const problem = redirectUriProblem(uri);
        if (problem !== null) throw new ClientConfigError(`client ${config.id}: redirect URI ${uri.slice(0, 200)}: ${problem}`);
      }
      const defaultScope = config.defaultScope ?? [];
      for (const scope of defaultScope) {
        if (!config.scopes.includes(scope)) throw new ClientConfigError(`client ${config.id}: default scope ${scope} is not among its scopes`);
      }
      this.clients.set(config.id, {
        id: config.id,
        isPublic,
        grants: new Set(config.grants),
        scopes: new Set(config.scopes),
        defaultScope,
        redirectUris: config.redirectUris ?? null,
        secretDigest: isPublic ? null : digest(config.secret as string),
      });
    }
  }

  get(id: string): Client | undefined {
    return this.clients.get(id);
  }

  /** Every scope some client may ask for (discovery's scopes_supported). */
  allScopes(): string[] {
    const all = new Set<string>();
    for (const client of this.clients.values()) for (const scope of client.scopes) all.add(scope);
    return [...all];
  }

  /**
   * Authenticates the client of a token, revocation or introspection request from its Authorization header
   * and form parameters. `confidentialOnly` refuses public clients (introspection).
   */
  authenticate(authorization: string | undefined, form: URLSearchParams, confidentialOnly = false): ClientAuthResult {
    const postedId = form.get('client_id');
    const postedSecret = form.get('client_secret');
    let id: string;
    let secret: string | null;
    let method: 'client_secret_basic' | 'client_secret_post' | 'none';
    if (authorization !== undefined && /^basic /i.test(authorization)) {
      const basic = parseBasic(authorization.slice(6).trim());
      if (!basic) return { ok: false, error: 'invalid_client', description: 'malformed Basic credentials', usedBasic: true };
      if (postedSecret !== null) return { ok: false, error: 'invalid_request', description: 'client authenticated with more than one method', usedBasic: true };
      if (postedId !== null && postedId !== basic.id) return { ok: false, error: 'invalid_request', description: 'client_id differs from the Basic credentials', usedBasic: true };
      ({ id, secret } = basic);
      method = 'client_secret_basic';
    } else if (postedId !== null) {
      id = postedId;
      secret = postedSecret;
      method = secret === null ? 'none' : 'client_secret_post';
    } else {
      return { ok: false, error: 'invalid_client', description: 'client authentication is required (client_id)', usedBasic: false };
    }
    const client = this.clients.get(id);
    const usedBasic = method === 'client_secret_basic';
    if (!client) return { ok: false, error: 'invalid_client', description: 'unknown client', usedBasic };
    if (client.secretDigest === null) {
      if (confidentialOnly) return { ok: false, error: 'invalid_client', description: 'this endpoint needs a confidential client', usedBasic };
      if (secret !== null && secret !== '') return { ok: false, error: 'invalid_client', description: 'public client sent a secret', usedBasic };
      return { ok: true, client, method: 'none' };
    }
    if (secret === null || !timingSafeEqual(digest(secret), client.secretDigest)) {
      return { ok: false, error: 'invalid_client', description: 'client authentication failed', usedBasic };
    }
    return { ok: true, client, method };
  }
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before being joined with ':' and base64-encoded. */
function parseBasic(encoded: string): { id: string; secret: string } | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.length > 2048) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return null;
  try {
    return {
      id: decodeURIComponent(text.slice(0, colon).replace(/\+/g, ' ')),
      secret: decodeURIComponent(text.slice(colon + 1).replace(/\+/g, ' ')),
    };
  } catch {
    return null;
  }
}

const MAX_REDIRECT_URI = 2048;
/** Hosts of a loopback redirect URI (RFC 8252 §7.3; `localhost` too, as native apps commonly use it). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Why `uri` can never be a redirect URI, or null. Checked on the raw string, before any URL parser (which
 * would silently drop a TAB or a newline): a CR, LF or TAB, raw or percent-encoded, could split the Location
 * header or a log line of whoever follows it; anything but visible ASCII has no place in one either.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > MAX_REDIRECT_URI) return `must be at most ${MAX_REDIRECT_URI} characters`;
  if (/[\r\n\t]|%0[9ad]/i.test(uri)) return 'must not contain CR, LF or TAB, raw or percent-encoded';
  if (!/^[\x21-\x7e]+$/.test(uri) || uri.includes('\\')) return 'must be visible ASCII, without spaces or backslashes';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (uri.includes('#')) return 'must not have a fragment (RFC 6749 §3.1.2)';
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  return null;
}

/** RFC 8252 §7.3: http to a loopback host, any port, any path. */
export function isLoopbackRedirectUri(uri: string): boolean {
  if (redirectUriProblem(uri) !== null) return false;
  const url = new URL(uri);
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * RFC 6749 §3.1.2.3 / RFC 9700 §2.1: an exact match with a URI registered for the client — in its
 * configuration, or in the issuer settings (`registered`); a client configured without any also takes
 * loopback URIs on any port. `uri` must already have passed redirectUriProblem.
 */
export function redirectUriAllowed(client: Client, uri: string, registered: readonly string[] = []): boolean {
  if (redirectUriProblem(uri) !== null) return false;
  if (registered.includes(uri)) return true;
  return client.redirectUris === null ? isLoopbackRedirectUri(uri) : client.redirectUris.includes(uri);
}
