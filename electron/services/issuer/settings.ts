/**
 * The issuer's tunable behaviour (GET/PUT /settings), its defaults (the seeds': access 15 min, refresh 14 days,
 * rotation on, grace 0), and the validation of a partial update. Times are in seconds.
 */

export interface RateLimitRule {
  /** Requests allowed per window and key; 0 turns the limit off. */
  max: number;
  windowSeconds: number;
}

export interface IssuerSettings {
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
  rateLimits: {
    /** Password attempts (password grant, /auth/login, the login form), per user name and per client address. */
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
}

export const DEFAULT_SETTINGS: Readonly<IssuerSettings> = Object.freeze({
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
  rateLimits: Object.freeze({
    login: Object.freeze({ max: 10, windowSeconds: 60 }),
    token: Object.freeze({ max: 0, windowSeconds: 60 }),
  }),
  maxFamiliesPerUser: 100,
  maxRotationsPerFamily: 100_000,
  corsOrigins: [],
}) as IssuerSettings;

export function defaultSettings(): IssuerSettings {
  return structuredClone(DEFAULT_SETTINGS) as IssuerSettings;
}

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
  readonly code = 'invalid-settings';
  constructor(
    /** Dotted path of the offending member, e.g. `rateLimits.login.max`. */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

const YEAR = 366 * 24 * 3600;

type Check = (value: unknown, path: string) => unknown;

const int = (min: number, max: number): Check => (value, path) => {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new SettingsError(path, 'must be an integer');
  if (value < min || value > max) throw new SettingsError(path, `must be between ${min} and ${max}`);
  return value;
};
const bool: Check = (value, path) => {
  if (typeof value !== 'boolean') throw new SettingsError(path, 'must be true or false');
  return value;
};
const audience: Check = (value, path) => {
  if (value === null) return null;
  if (typeof value !== 'string' || value.length === 0 || value.length > 512) {
    throw new SettingsError(path, 'must be null or a non-empty string of at most 512 characters');
  }
  return value;
};
const origins: Check = (value, path) => {
  if (!Array.isArray(value) || value.length > 50) throw new SettingsError(path, 'must be an array of at most 50 origins');
  return value.map((origin, i) => {
    if (typeof origin !== 'string') throw new SettingsError(`${path}.${i}`, 'must be a string');
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new SettingsError(`${path}.${i}`, 'must be an origin such as http://localhost:5173');
    }
    if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new SettingsError(`${path}.${i}`, 'must be an origin such as http://localhost:5173 (scheme, host, port; no path)');
    }
    return origin;
  });
};
const rule = (maxLimit: number): Record<keyof RateLimitRule, Check> => ({
  max: int(0, maxLimit),
  windowSeconds: int(1, 24 * 3600),
});

const SCHEMA = {
  accessTokenTtl: int(1, YEAR),
  idTokenTtl: int(1, YEAR),
  refreshTokenTtl: int(1, 10 * YEAR),
  refreshAbsoluteTtl: int(1, 10 * YEAR),
  rotation: bool,
  graceWindow: int(0, 24 * 3600),
  cookieMode: bool,
  authCodeTtl: int(1, 3600),
  audience,
  resourceChecksDenyList: bool,
  resourceChecksVersion: bool,
  rateLimits: { login: rule(1_000_000), token: rule(1_000_000) },
  maxFamiliesPerUser: int(1, 100_000),
  maxRotationsPerFamily: int(1, 10_000_000),
  corsOrigins: origins,
} as const;

type Schema = Check | { [key: string]: Schema };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(schema: Schema, current: unknown, patch: unknown, path: string): unknown {
  if (typeof schema === 'function') return schema(patch, path || 'settings');
  if (!isPlainObject(patch)) throw new SettingsError(path || 'settings', 'must be an object');
  const out: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    const child = Object.hasOwn(schema, key) ? schema[key] : undefined;
    const childPath = path ? `${path}.${key}` : key;
    if (child === undefined) throw new SettingsError(childPath, 'is not a setting');
    out[key] = merge(child, out[key], value, childPath);
  }
  return out;
}

/** Applies a partial update (as PUT /settings receives it) to `current`. Throws SettingsError; `current` is untouched. */
export function applySettingsPatch(current: IssuerSettings, patch: unknown): IssuerSettings {
  return merge(SCHEMA as unknown as Schema, structuredClone(current), patch, '') as IssuerSettings;
}

/** Settings read back from disk: every member validated, anything missing or broken falls back to its default. */
export function settingsFromStored(stored: unknown): IssuerSettings {
  let settings = defaultSettings();
  if (!isPlainObject(stored)) return settings;
  for (const [key, value] of Object.entries(stored)) {
    try {
      settings = applySettingsPatch(settings, { [key]: value });
    } catch {
      // A member written by another version or damaged: keep its default rather than refuse to start.
    }
  }
  return settings;
}
