/**
 * The issuer's users: name, password (scrypt, never stored in clear), extra claims, and a token version
 * (`ver`) that the protected resource compares with the one in an access token — bumped on logout and on a
 * change of password or claims, so older access tokens stop being accepted before they expire.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { RESERVED_CLAIMS } from './tokens';
import { WorkbenchError } from '../../../shared/core/errors';

export interface User {
  name: string;
  passwordHash: string;
  claims: Record<string, unknown>;
  ver: number;
  createdAt: number;
  updatedAt: number;
}

/** What leaves the issuer about a user (no password hash). */
export interface UserView {
  name: string;
  claims: Record<string, unknown>;
  ver: number;
  createdAt: number;
  updatedAt: number;
}

export class UserError extends WorkbenchError<'invalid-user-name' | 'invalid-password' | 'invalid-claims'> {
  override readonly name = 'UserError';
}

const NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const MAX_PASSWORD = 1024;
const MAX_CLAIMS_JSON = 8 * 1024;
/** Levels of objects and arrays in a user's claims (the claims object is the first), as the contract allows. */
const MAX_CLAIMS_DEPTH = 16;
// N=2^14, r=8: ~16 MiB and tens of ms per hash, off the event loop (crypto.scrypt runs in the thread pool).
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 } as const;

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, keylen: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keylen, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || N > 2 ** 20 || r > 32 || p > 16) return false;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length < 16 || expected.length > 64) return false;
  const actual = await scryptAsync(password, salt, N, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

export function validateUserName(name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new UserError('invalid-user-name', 'user name must be 1–64 characters of letters, digits and . _ @ + -');
  }
  return name;
}

function validatePassword(password: unknown): string {
  if (typeof password !== 'string' || password.length === 0 || password.length > MAX_PASSWORD) {
    throw new UserError('invalid-password', `password must be a non-empty string of at most ${MAX_PASSWORD} characters`);
  }
  return password;
}

function validateClaims(claims: unknown): Record<string, unknown> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new UserError('invalid-claims', 'claims must be a JSON object');
  }
  for (const name of Object.keys(claims)) {
    if (RESERVED_CLAIMS.has(name)) throw new UserError('invalid-claims', `claim "${name}" is set by the issuer and cannot be a user claim`);
  }
  // Before anything recursive (JSON.stringify, structuredClone) meets them: those overflow the stack.
  if (nestedDeeperThan(claims, MAX_CLAIMS_DEPTH)) {
    throw new UserError('invalid-claims', `claims must not nest objects and arrays more than ${MAX_CLAIMS_DEPTH} levels deep`);
  }
  const json = JSON.stringify(claims);
  if (json.length > MAX_CLAIMS_JSON) throw new UserError('invalid-claims', `claims must serialize to at most ${MAX_CLAIMS_JSON} bytes`);
  return JSON.parse(json) as Record<string, unknown>;
}

/** Whether `value` nests objects and arrays more than `max` levels; iterative, so any depth is measured safely. */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; level: number }> = [{ value, level: 1 }];
  while (stack.length > 0) {
    const { value: next, level } = stack.pop()!;
    if (typeof next !== 'object' || next === null) continue;
    if (level > max) return true;
    for (const child of Object.values(next)) if (typeof child === 'object' && child !== null) stack.push({ value: child, level: level + 1 });
  }
  return false;
}

export interface UserChange {
  user: User;
  created: boolean;
  passwordChanged: boolean;
  claimsChanged: boolean;
}

export class UserRegistry {
  private readonly users = new Map<string, User>();
  /** Compared against for unknown names, so that a miss costs as much as a wrong password. */
  private dummyHash: Promise<string> | null = null;
  /** Told of every created or changed user (the journal's tracker); restore() does not report what it loads. */
  listener: ((user: User) => void) | null = null;

  get(name: string): User | undefined {
    return this.users.get(name);
  }

  list(): UserView[] {
    return [...this.users.values()].map(viewOf);
  }

  get size(): number {
    return this.users.size;
  }

  /** The user when the password is right, else null; never throws on odd input. */
  async authenticate(name: unknown, password: unknown): Promise<User | null> {
    if (typeof name !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD) return null;
    const user = this.users.get(name);
    if (!user) {
      this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await checkPassword(password, await this.dummyHash);
      return null;
    }
    return (await checkPassword(password, user.passwordHash)) ? user : null;
  }

  /** Creates or updates a user. A new user needs a password. Validates everything before changing anything. */
  async upsert(nameInput: unknown, change: { password?: unknown; claims?: unknown }, now: number): Promise<UserChange> {
    const name = validateUserName(nameInput);
    const password = change.password === undefined ? undefined : validatePassword(change.password);
    const claims = change.claims === undefined ? undefined : validateClaims(change.claims);
    const existing = this.users.get(name);
    if (!existing && password === undefined) throw new UserError('invalid-password', 'a new user needs a password');
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    // Re-read after the await: another change may have landed meanwhile.
    const current = this.users.get(name);
    if (!current) {
      const user: User = { name, passwordHash: passwordHash!, claims: claims ?? {}, ver: 1, createdAt: now, updatedAt: now };
      this.users.set(name, user);
      this.listener?.(user);
      return { user, created: true, passwordChanged: true, claimsChanged: claims !== undefined };
    }
    const claimsChanged = claims !== undefined && JSON.stringify(claims) !== JSON.stringify(current.claims);
    if (passwordHash !== undefined) current.passwordHash = passwordHash;
    if (claims !== undefined) current.claims = claims;
    if (passwordHash !== undefined || claimsChanged) {
      current.ver++;
      current.updatedAt = now;
    }
    if (passwordHash !== undefined || claims !== undefined) this.listener?.(current);
    return { user: current, created: false, passwordChanged: passwordHash !== undefined, claimsChanged };
  }

  /** Invalidates the user's outstanding access tokens at the protected resource. */
  bumpVersion(name: string, now: number): number | null {
    const user = this.users.get(name);
    if (!user) return null;
    user.ver++;
    user.updatedAt = now;
    this.listener?.(user);
    return user.ver;
  }

  snapshot(): User[] {
    return [...this.users.values()].map((u) => ({ ...u }));
  }

  restore(stored: unknown): number {
    let loaded = 0;
    for (const raw of Array.isArray(stored) ? stored : []) {
      if (typeof raw !== 'object' || raw === null) continue;
      const u = raw as Record<string, unknown>;
      if (typeof u.name !== 'string' || !NAME.test(u.name) || typeof u.passwordHash !== 'string') continue;
      if (typeof u.ver !== 'number' || !Number.isInteger(u.ver) || typeof u.createdAt !== 'number' || typeof u.updatedAt !== 'number') continue;
      let claims: Record<string, unknown>;
      try {
        claims = validateClaims(u.claims ?? {});
      } catch {
        continue;
      }
      this.users.set(u.name, { name: u.name, passwordHash: u.passwordHash, claims, ver: u.ver, createdAt: u.createdAt, updatedAt: u.updatedAt });
      loaded++;
    }
    return loaded;
  }
}

export function viewOf(user: User): UserView {
  return { name: user.name, claims: user.claims, ver: user.ver, createdAt: user.createdAt, updatedAt: user.updatedAt };
}

/** OIDC Core §5.4: which standard claims each scope releases. Claims outside these groups are always released. */
const SCOPE_CLAIMS: Record<string, readonly string[]> = {
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};
const SCOPED = new Map<string, string>(Object.entries(SCOPE_CLAIMS).flatMap(([scope, names]) => names.map((n) => [n, scope] as [string, string])));

export function claimsForScope(claims: Record<string, unknown>, scope: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(claims)) {
    const needs = SCOPED.get(name);
    if (needs === undefined || scope.includes(needs)) out[name] = value;
  }
  return out;
}
