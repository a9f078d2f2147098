/**
 * The mock issuer's part of the host contract (issue 5): request schemas and response types of the
 * `issuer.*` methods. The host owns one issuer; these methods start and stop it, drive its control plane
 * (clock, keys, families, users, settings, log) and, with `issuer.request`, make HTTP calls to it from the
 * host — so the renderer's stepper talks to the issuer without CORS and without knowing its port.
 * Responses carry public keys, token labels and client secrets of this local mock only; never a private key.
 */
import * as s from './schema';
import type { Schema } from './schema';

export const ISSUER_LIMITS = {
  url: 2048,
  path: 4096,
  body: 64 * 1024,
  header: 8192,
  name: 128,
  password: 1024,
  claims: 16 * 1024,
  id: 128,
  /** Redirect URIs registered per client in the settings, and clients named there. */
  redirectUris: 20,
  clients: 32,
  /** Seconds: ten years, beyond which a TTL or a clock move is a typo. */
  seconds: 10 * 366 * 24 * 3600,
} as const;

export const ISSUER_SIGNING_ALGS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'HS256', 'HS384', 'HS512',
] as const;
export type IssuerSigningAlg = (typeof ISSUER_SIGNING_ALGS)[number];

/** `T | null` (the schema module has no null literal). */
function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return {
    expected: `${inner.expected} or null`,
    parse(input, path = '') {
      return input === null ? { ok: true, value: null } : inner.parse(input, path);
    },
  };
}

export type JsonObject = { [key: string]: unknown };

/** A plain JSON object (user claims), bounded in size and depth. */
function jsonObject(maxChars: number): Schema<JsonObject> {
  const depthOk = (value: unknown, depth: number): boolean => {
    if (depth > 16) return false;
    if (Array.isArray(value)) return value.every((v) => depthOk(v, depth + 1));
    if (typeof value === 'object' && value !== null) return Object.values(value).every((v) => depthOk(v, depth + 1));
    return true;
  };
  return {
    expected: 'a JSON object',
    parse(input, path = '') {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return { ok: false, issue: { path, message: 'expected a JSON object' } };
      }
      let text: string;
      try {
        text = JSON.stringify(input);
      } catch {
        return { ok: false, issue: { path, message: 'must be JSON data' } };
      }
      if (text.length > maxChars) return { ok: false, issue: { path, message: `must be at most ${maxChars} characters as JSON` } };
      if (!depthOk(input, 0)) return { ok: false, issue: { path, message: 'is nested too deeply' } };
      // A fresh copy: only JSON data reaches the handler (no prototypes, no undefined members).
      return { ok: true, value: JSON.parse(text) as JsonObject };
    },
  };
}

/** Client id → its registered redirect URIs (a partial update: the clients named get these lists). */
function redirectUriLists(): Schema<Record<string, string[]>> {
  const uris = s.array(s.string({ max: ISSUER_LIMITS.url, min: 1 }), { max: ISSUER_LIMITS.redirectUris });
  return {
    expected: 'an object of client ids to arrays of redirect URIs',
    parse(input, path = '') {
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        return { ok: false, issue: { path, message: 'expected an object of client ids to arrays of redirect URIs' } };
      }
      const entries = Object.entries(input);
      if (entries.length > ISSUER_LIMITS.clients) return { ok: false, issue: { path, message: `must name at most ${ISSUER_LIMITS.clients} clients` } };
      const out: Array<[string, string[]]> = [];
      for (const [client, list] of entries) {
        const at = `${path}.${client.slice(0, 64)}`;
        if (!/^[\x21-\x7e]{1,128}$/.test(client)) return { ok: false, issue: { path: at, message: 'must be a client id (1–128 visible ASCII characters)' } };
        const parsed = uris.parse(list, at);
        if (!parsed.ok) return parsed;
        out.push([client, parsed.value]);
      }
      // Own properties only: a client id such as __proto__ stays a plain key.
      return { ok: true, value: Object.fromEntries(out) };
    },
  };
}

const seconds = s.number({ min: 0, max: ISSUER_LIMITS.seconds, integer: true });
const positiveSeconds = s.number({ min: 1, max: ISSUER_LIMITS.seconds, integer: true });
const rateLimitRule = s.object({ max: s.number({ min: 0, max: 1_000_000, integer: true }), windowSeconds: positiveSeconds });

export const settingsPatchSchema = s.object({
  accessTokenTtl: s.optional(positiveSeconds),
  idTokenTtl: s.optional(positiveSeconds),
  refreshTokenTtl: s.optional(positiveSeconds),
  refreshAbsoluteTtl: s.optional(positiveSeconds),
  rotation: s.optional(s.boolean()),
  graceWindow: s.optional(seconds),
  cookieMode: s.optional(s.boolean()),
  authCodeTtl: s.optional(positiveSeconds),
  audience: s.optional(nullable(s.string({ max: ISSUER_LIMITS.url, min: 1 }))),
  resourceChecksDenyList: s.optional(s.boolean()),
  resourceChecksVersion: s.optional(s.boolean()),
  demoVulnerable: s.optional(s.boolean()),
  rateLimits: s.optional(s.object({ login: s.optional(rateLimitRule), token: s.optional(rateLimitRule) })),
  maxFamiliesPerUser: s.optional(s.number({ min: 1, max: 100_000, integer: true })),
  maxRotationsPerFamily: s.optional(s.number({ min: 1, max: 10_000_000, integer: true })),
  corsOrigins: s.optional(s.array(s.string({ max: ISSUER_LIMITS.url, min: 1 }), { max: 32 })),
  redirectUris: s.optional(redirectUriLists()),
});

const userSchema = s.object({
  name: s.string({ max: ISSUER_LIMITS.name, min: 1 }),
  password: s.string({ max: ISSUER_LIMITS.password, min: 1 }),
  claims: s.optional(jsonObject(ISSUER_LIMITS.claims)),
});

export const issuerRequests = {
  start: s.object({
    /** 0 or absent: a free port. */
    port: s.optional(s.number({ min: 0, max: 65535, integer: true })),
    issuer: s.optional(s.string({ max: ISSUER_LIMITS.url, min: 1 })),
    /** Algorithm of a generated signing key (ignored with keyId, which signs with its own). */
    alg: s.optional(s.oneOf(ISSUER_SIGNING_ALGS)),
    /** Sign with this stored key (the key store must be unlocked). */
    keyId: s.optional(s.string({ max: ISSUER_LIMITS.id, min: 1 })),
    settings: s.optional(settingsPatchSchema),
    users: s.optional(s.array(userSchema, { max: 64 })),
  }),
  stop: s.object({}),
  status: s.object({}),
  settingsGet: s.object({}),
  settingsPut: settingsPatchSchema,
  clock: s.union([
    s.object({}),
    s.object({ advance: s.number({ min: -ISSUER_LIMITS.seconds, max: ISSUER_LIMITS.seconds }) }),
    s.object({ set: s.number({ min: 0, max: 253402300799 }) }),
    // Back to real time (offset 0): the stepper's Reset.
    s.object({ reset: s.literal(true) }),
  ]),
  rotateKeys: s.object({}),
  families: s.object({ user: s.optional(s.string({ max: ISSUER_LIMITS.name, min: 1 })) }),
  revokeFamily: s.object({ id: s.string({ max: ISSUER_LIMITS.id, min: 1 }) }),
  users: s.object({}),
  putUser: s.object({
    name: s.string({ max: ISSUER_LIMITS.name, min: 1 }),
    password: s.optional(s.string({ max: ISSUER_LIMITS.password, min: 1 })),
    claims: s.optional(jsonObject(ISSUER_LIMITS.claims)),
  }),
  log: s.object({ after: s.optional(s.number({ min: 0, integer: true })) }),
  request: s.object({
    method: s.oneOf(['GET', 'POST'] as const),
    /** A path on the issuer (with query), e.g. `/auth/login`; relative to the issuer URL's own path. */
    path: s.string({ max: ISSUER_LIMITS.path, min: 1 }),
    headers: s.optional(s.object({
      authorization: s.optional(s.string({ max: ISSUER_LIMITS.header, min: 1 })),
      'content-type': s.optional(s.oneOf(['application/json', 'application/x-www-form-urlencoded'] as const)),
      cookie: s.optional(s.string({ max: ISSUER_LIMITS.header, min: 1 })),
      'x-device-id': s.optional(s.string({ max: 256, min: 1 })),
      /** A DPoP proof (RFC 9449 §4.1), for the Stepper's DPoP chapter. */
      dpop: s.optional(s.string({ max: ISSUER_LIMITS.header, min: 1 })),
    })),
    body: s.optional(s.string({ max: ISSUER_LIMITS.body })),
  }),
};

export type IssuerSettingsPatch = s.Infer<typeof settingsPatchSchema>;

export interface RateLimitRule {
  /** Requests allowed per window and key; 0 turns the limit off. */
  max: number;
  windowSeconds: number;
}

export interface IssuerSettingsView {
  accessTokenTtl: number;
  idTokenTtl: number;
  /** Idle lifetime: a refresh token expires this long after it was issued or last used (slides on refresh). */
  refreshTokenTtl: number;
  /** Absolute lifetime: a family ends this long after its login, however often it is refreshed. */
  refreshAbsoluteTtl: number;
  /** Issue a new refresh token on every refresh (and detect reuse of the old one). */
  rotation: boolean;
  /** Seconds after rotation during which the replaced token may be presented again without counting as reuse. */
  graceWindow: number;
  /** /auth/login and /auth/refresh carry the refresh token in an HttpOnly cookie instead of the JSON body. */
  cookieMode: boolean;
  authCodeTtl: number;
  /** `aud` of access tokens; null means `<issuer>/resource`, the protected resource on this server. */
  audience: string | null;
  /** The protected resource also consults the deny-list of revoked jtis (off: pure local verification). */
  resourceChecksDenyList: boolean;
  /** The protected resource rejects access tokens whose `ver` is older than the user's token version. */
  resourceChecksVersion: boolean;
  /**
   * Serves the deliberately vulnerable `/resource/naive` (alg none, embedded jwk, loopback jku, key confusion)
   * for the security lab. Off by default; off, the path is a 404.
   */
  demoVulnerable: boolean;
  rateLimits: {
    /**
     * Password attempts (password grant, /auth/login, the login form), per user name at each client address
     * (so attempts from elsewhere cannot lock a user out), and ten times as many per address over all names.
     */
    login: RateLimitRule;
    /** Every other token request (refresh, code, client credentials), per client address. */
    token: RateLimitRule;
  };
  /** Logging in beyond this many families for one user ends the user's oldest family. Bounds memory. */
  maxFamiliesPerUser: number;
  /** A family refreshed this many times ends (the user logs in again). Bounds a family's kept hashes. */
  maxRotationsPerFamily: number;
  /** Origins allowed to call /auth/* with credentials (cookie mode from a SPA on another port). */
  corsOrigins: string[];
  /**
   * Client id → redirect URIs registered for it (exact match), beyond the loopback ones (http://127.0.0.1,
   * [::1] or localhost, any port: RFC 8252 §7.3) a client configured without its own list always takes.
   */
  redirectUris: Record<string, string[]>;
}

/** The seeds' defaults: access 15 min, refresh 14 days, rotation on, grace 0. The issuer and the start form share them. */
export const DEFAULT_ISSUER_SETTINGS: Readonly<IssuerSettingsView> = Object.freeze({
  accessTokenTtl: 15 * 60,
  idTokenTtl: 60 * 60,
  refreshTokenTtl: 14 * 24 * 3600,
  refreshAbsoluteTtl: 30 * 24 * 3600,
  rotation: true,
  graceWindow: 0,
  cookieMode: false,
  authCodeTtl: 60,
  audience: null,
  resourceChecksDenyList: false,
  resourceChecksVersion: true,
  demoVulnerable: false,
  rateLimits: Object.freeze({
    login: Object.freeze({ max: 10, windowSeconds: 60 }),
    token: Object.freeze({ max: 0, windowSeconds: 60 }),
  }),
  maxFamiliesPerUser: 100,
  maxRotationsPerFamily: 100_000,
  corsOrigins: [],
  redirectUris: Object.freeze({}),
}) as IssuerSettingsView;

export interface IssuerKeyView {
  kid: string;
  alg: string;
  symmetric: boolean;
  status: 'current' | 'retired';
  createdAt: number;
  retiredAt: number | null;
  publishedUntil: number | null;
}

export interface IssuerEndpoints {
  discovery: string;
  jwks: string;
  token: string;
  authorize: string;
  revoke: string;
  introspect: string;
  userinfo: string;
  resource: string;
  login: string;
  refresh: string;
  logout: string;
}

export interface IssuerRunning {
  running: true;
  issuer: string;
  discoveryUrl: string;
  endpoints: IssuerEndpoints;
  /** Client id → secret (null for a public client). These are the mock's own test clients. */
  clients: Record<string, string | null>;
  /** Where the signing keys live: the key store (they survive a restart) or memory only. */
  keySource: 'key-store' | 'memory';
  keys: IssuerKeyView[];
  settings: IssuerSettingsView;
  /** The issuer's clock, NumericDate. */
  now: number;
  startedAt: number;
}

export type IssuerStatus = IssuerRunning | { running: false; notice: string | null };

export interface IssuerClockView {
  now: number;
  adjustable: boolean;
}

export interface IssuerRefreshTokenView {
  id: string;
  parent: string | null;
  replacedBy: string | null;
  state: 'active' | 'rotated' | 'revoked' | 'expired';
  issuedAt: number;
  expiresAt: number;
  rotatedAt: number | null;
}

export interface IssuerFamilyView {
  id: string;
  user: string;
  clientId: string;
  scope: string;
  deviceBound: boolean;
  status: 'active' | 'revoked' | 'expired';
  revokeReason: string | null;
  revokedAt: number | null;
  createdAt: number;
  authTime: number;
  lastUsedAt: number;
  absoluteExpiresAt: number;
  endsAt: number;
  rotations: number;
  liveTokens: number;
  accessTokens: number;
  tokenCount: number;
  tokens: IssuerRefreshTokenView[];
}

export interface IssuerFamilies {
  families: IssuerFamilyView[];
  familiesWithSeveralLiveTokens: number;
}

export interface IssuerUserView {
  name: string;
  claims: Record<string, unknown>;
  ver: number;
  createdAt: number;
  updatedAt: number;
}

export interface IssuerLogEntryView {
  seq: number;
  time: number;
  clock: number;
  level: 'info' | 'warn' | 'error';
  event: string;
  message: string;
  details?: Record<string, string | number | boolean | null>;
}

/** What `issuer.request` saw: the status, the headers that matter to a client, and the body as text. */
export interface IssuerExchange {
  status: number;
  headers: Record<string, string>;
  body: string;
  ms: number;
}
