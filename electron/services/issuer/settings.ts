/**
 * The issuer's tunable behaviour (GET/PUT /settings), its defaults (the seeds': access 15 min, refresh 14 days,
 * rotation on, grace 0), and the validation of a partial update. Times are in seconds.
 */
import { DEFAULT_ISSUER_SETTINGS } from '../../../shared/contract/issuer';
import type { IssuerSettingsView, RateLimitRule } from '../../../shared/contract/issuer';
import { WorkbenchError } from '../../../shared/core/errors';
import { redirectUriProblem } from './clients';

export type { RateLimitRule } from '../../../shared/contract/issuer';
/** The issuer's settings: the contract's view of them is the one definition. */
export type IssuerSettings = IssuerSettingsView;

export const DEFAULT_SETTINGS: Readonly<IssuerSettings> = DEFAULT_ISSUER_SETTINGS;

export function defaultSettings(): IssuerSettings {
  return structuredClone(DEFAULT_SETTINGS) as IssuerSettings;
}

export class SettingsError extends WorkbenchError<'invalid-settings'> {
  override readonly name = 'SettingsError';
  constructor(
    /** Dotted path of the offending member, e.g. `rateLimits.login.max`. */
    readonly path: string,
    message: string,
  ) {
    super('invalid-settings', `${path}: ${message}`, { details: { path } });
  }
}

const YEAR = 366 * 24 * 3600;

/** Validates a member's new value; `current` is its value before the update. */
type Check = (value: unknown, path: string, current: unknown) => unknown;

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
/** Client id → its redirect URIs. An update replaces the lists of the clients it names; an empty list removes one. */
const redirectUriLists: Check = (value, path, current) => {
  if (!isPlainObject(value)) throw new SettingsError(path, 'must be an object of client ids to arrays of redirect URIs');
  // A Map, then own properties only: a client id such as __proto__ stays a plain key.
  const lists = new Map(Object.entries(isPlainObject(current) ? current : {}));
  for (const [client, uris] of Object.entries(value)) {
    const at = `${path}.${client.slice(0, 64)}`;
    if (!/^[\x21-\x7e]{1,128}$/.test(client)) throw new SettingsError(at, 'must be a client id (1–128 visible ASCII characters)');
    if (!Array.isArray(uris) || uris.length > 20) throw new SettingsError(at, 'must be an array of at most 20 redirect URIs');
    const list = uris.map((uri, i) => {
      if (typeof uri !== 'string') throw new SettingsError(`${at}.${i}`, 'must be a string');
      const problem = redirectUriProblem(uri);
      if (problem !== null) throw new SettingsError(`${at}.${i}`, problem);
      return uri;
    });
    if (list.length === 0) lists.delete(client);
    else lists.set(client, [...new Set(list)]);
  }
  if (lists.size > 32) throw new SettingsError(path, 'must name at most 32 clients');
  return Object.fromEntries(lists);
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
  demoVulnerable: bool,
  rateLimits: { login: rule(1_000_000), token: rule(1_000_000) },
  maxFamiliesPerUser: int(1, 100_000),
  maxRotationsPerFamily: int(1, 10_000_000),
  corsOrigins: origins,
  redirectUris: redirectUriLists,
} as const;

type Schema = Check | { [key: string]: Schema };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function merge(schema: Schema, current: unknown, patch: unknown, path: string): unknown {
  if (typeof schema === 'function') return schema(patch, path || 'settings', current);
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

/**
 * Settings that hold for one run only and are never read back from disk: the deliberately vulnerable
 * /resource/naive must be asked for each time (`--demo-vulnerable`), never left on by an earlier run.
 */
const RUN_ONLY_SETTINGS: ReadonlySet<string> = new Set(['demoVulnerable']);

/** Settings read back from disk: every member validated, anything missing or broken falls back to its default. */
export function settingsFromStored(stored: unknown): IssuerSettings {
  let settings = defaultSettings();
  if (!isPlainObject(stored)) return settings;
  for (const [key, value] of Object.entries(stored)) {
    if (RUN_ONLY_SETTINGS.has(key)) continue;
    try {
      settings = applySettingsPatch(settings, { [key]: value });
    } catch {
      // A member written by another version or damaged: keep its default rather than refuse to start.
    }
  }
  return settings;
}
