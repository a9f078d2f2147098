/**
 * The key store's file format (schema version 2) and its safe handling on disk: reading with a stamp
 * that tells whether the file changed, strict shape validation, and setting a bad file — or a bad entry —
 * aside.
 *
 *   { "format": "jwt-workbench-keys", "version": 2,
 *     "protection": { "kind": "passphrase" | "safe-storage" | "none", …salt, cost, wrapped key, check },
 *     "keys": [ { id, kid, label, createdAt, alg, kty, crv, size, thumbprint,
 *                 publicJwk (public members only; null for HMAC),
 *                 secret (sealed private JWK, or null for a public key),
 *                 integrity (public keys only: an empty seal) } ] }
 *
 * Every seal binds the entry's metadata as additional authenticated data (entry-seal.ts), so an edit of
 * any member is detected. Version 1 bound only the id to private parts; it is read and migrated on open.
 * A file that is not JSON, not this shape, or of an unknown version is set aside whole; one malformed entry
 * is returned as `damaged` for the store to set aside alone.
 */
import { rename, stat } from 'node:fs/promises';
import type { JWK } from 'jose';
import { FileReadError, readFileChecked, writeFileAtomic } from '../files';
import { algorithmsForKeyType, type KeyType } from './algorithms';
import { isValidScryptCost, type AeadBox, type ProtectionRecord, type SealedSecret } from './encryption';
import { errnoCode, KeyStoreError } from './errors';
import { PRIVATE_MEMBERS, publicMembers } from './material';

export const STORE_FORMAT = 'jwt-workbench-keys';
export const STORE_VERSION = 2;
/** Versions this app reads; older ones are migrated on open. */
const OLDEST_READABLE_VERSION = 1;
export const STORE_FILE_NAME = 'keys.json';

export interface StoredEntry {
  id: string;
  kid: string;
  label: string;
  createdAt: string;
  /** The algorithm the key is pinned to, or null: every algorithm its type fits. */
  alg: string | null;
  kty: KeyType;
  crv: string | null;
  size: number;
  thumbprint: string;
  publicJwk: JWK | null;
  /** The private JWK (key members only), sealed by the store's protector; null for a public key. */
  secret: SealedSecret | null;
  /** A public key's seal of the empty text, binding its metadata (absent when `secret` is set, and in version 1). */
  integrity?: SealedSecret;
}

/** An entry of the file that is malformed or not authentic: set aside alone, as it was in the file. */
export interface DamagedEntry {
  /** Its position in the file's keys array. */
  index: number;
  /** The entry exactly as parsed from the file. */
  raw: unknown;
  reason: string;
}

export interface StoreDocument {
  format: typeof STORE_FORMAT;
  version: typeof STORE_VERSION;
  protection: ProtectionRecord;
  keys: StoredEntry[];
}

/** Identity of the file version read: an atomic rename gives a new inode, a write a new mtime/size. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

export type StoreRead =
  | { state: 'absent' }
  /**
   * A usable file. `fromVersion` < STORE_VERSION: written by an older version (migrate it). `damaged`: the
   * entries left out of `doc` for being malformed (authentication is the store's part: it holds the key).
   */
  | { state: 'ok'; doc: StoreDocument; stamp: FileStamp | null; fromVersion: number; damaged: DamagedEntry[] }
  | { state: 'corrupt'; reason: string }
  | { state: 'newer'; version: number }
  | { state: 'unreadable'; reason: string };

const MAX_STORE_BYTES = 64 * 1024 * 1024;

export async function readStoreFile(file: string): Promise<StoreRead> {
  // Stamped before reading: a replacement in between makes the stamp stale, so the next call reads again.
  const stamp = await fileStamp(file);
  let text: string | null;
  try {
    text = await readFileChecked(file, { maxBytes: MAX_STORE_BYTES, encoding: 'utf8' });
  } catch (error) {
    if (error instanceof FileReadError && error.code === 'too-large') {
      return { state: 'corrupt', reason: `it is larger than ${MAX_STORE_BYTES / 1024 / 1024} MiB, far larger than a key store` };
    }
    if (error instanceof FileReadError && error.code === 'not-a-regular-file') {
      return { state: 'unreadable', reason: `it is ${String(error.details?.kind ?? 'a special file')}` };
    }
    const code = error instanceof FileReadError ? errnoCode(error.cause) : errnoCode(error);
    return { state: 'unreadable', reason: `cannot read it (${code ?? 'error'})` };
  }
  if (text === null) return { state: 'absent' };
  const parsed = parseStoreText(text);
  if (parsed.state !== 'ok') return parsed;
  return { ...parsed, stamp };
}

export async function fileStamp(file: string): Promise<FileStamp | null> {
  const info = await stat(file).catch(() => null);
  return info === null ? null : { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs };
}

export function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  return a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

export function serializeStore(doc: StoreDocument): string {
  return JSON.stringify(doc, null, 2) + '\n';
}

export function emptyStore(protection: ProtectionRecord): StoreDocument {
  return { format: STORE_FORMAT, version: STORE_VERSION, protection, keys: [] };
}

/**
 * Renames a bad store to `<file>.corrupt-<timestamp>` (never deletes nor overwrites it) and returns
 * the new path. The timestamp has no ':' so the name is valid on Windows too.
 */
export async function setAside(file: string, now: Date): Promise<string> {
  const target = await freeName(`${file}.corrupt-${now.toISOString().replace(/:/g, '-')}`);
  try {
    await rename(file, target);
    return target;
  } catch (error) {
    throw new KeyStoreError(
      'store-unreadable',
      `the key store ${file} is unusable and could not be set aside (${errnoCode(error) ?? 'error'}); move it away by hand`,
      { cause: error },
    );
  }
}

type Parsed =
  | { state: 'ok'; doc: StoreDocument; fromVersion: number; damaged: DamagedEntry[] }
  | { state: 'corrupt'; reason: string }
  | { state: 'newer'; version: number };

export function parseStoreText(text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { state: 'corrupt', reason: 'it is not valid JSON' };
  }
  if (!isObject(value) || value.format !== STORE_FORMAT) {
    return { state: 'corrupt', reason: 'it is not a JWT Workbench key store' };
  }
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < OLDEST_READABLE_VERSION) {
    return { state: 'corrupt', reason: 'its schema version is missing or invalid' };
  }
  if (value.version > STORE_VERSION) return { state: 'newer', version: value.version };
  const fromVersion = value.version;
  const protection = readProtection(value.protection);
  if (protection === null) return { state: 'corrupt', reason: 'its protection record is invalid' };
  if (!Array.isArray(value.keys)) return { state: 'corrupt', reason: 'its keys member is not an array' };
  const keys: StoredEntry[] = [];
  const damaged: DamagedEntry[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of value.keys.entries()) {
    const problem = entryProblem(raw, protection.kind, fromVersion);
    if (problem !== null) {
      damaged.push({ index, raw, reason: problem });
      continue;
    }
    const entry = raw as unknown as StoredEntry;
    if (ids.has(entry.id)) {
      damaged.push({ index, raw, reason: `its id ${entry.id} appears twice` });
      continue;
    }
    ids.add(entry.id);
    keys.push(entry);
  }
  return { state: 'ok', doc: { format: STORE_FORMAT, version: STORE_VERSION, protection, keys }, fromVersion, damaged };
}

/** What a report may say of a damaged entry: its id, kid and label when they are short strings, else null. */
export function identifyDamaged(raw: unknown): { id: string | null; kid: string | null; label: string | null } {
  const pick = (name: string, max: number): string | null => {
    const value = isObject(raw) ? raw[name] : undefined;
    return typeof value === 'string' && value.length <= max && !/\p{Cc}/u.test(value) ? value : null;
  };
  return { id: pick('id', 64), kid: pick('kid', 200), label: pick('label', 200) };
}

/**
 * Keeps damaged entries, as they were in the file, in `<file>.damaged-<timestamp>` (mode 0600, never
 * overwriting another) with the store's protection record, so their sealed parts can still be examined.
 * Returns its path. Call it under the store's lock, before writing the store without them.
 */
export async function setAsideEntries(
  file: string,
  now: Date,
  content: { protection: ProtectionRecord; fromVersion: number; damaged: readonly DamagedEntry[] },
): Promise<string> {
  const text = `${JSON.stringify(
    {
      format: `${STORE_FORMAT}-damaged`,
      setAsideAt: now.toISOString(),
      storeVersion: content.fromVersion,
      protection: content.protection,
      entries: content.damaged.map(({ index, raw, reason }) => ({ index, reason, entry: raw })),
    },
    null,
    2,
  )}\n`;
  const target = await freeName(`${file}.damaged-${now.toISOString().replace(/:/g, '-')}`);
  try {
    await writeFileAtomic(target, text, { mode: 0o600 });
  } catch (error) {
    throw new KeyStoreError(
      'store-write-failed',
      `cannot keep the damaged key store entries in ${target} (${errnoCode(error) ?? 'error'}); the store is unchanged`,
      { cause: error },
    );
  }
  return target;
}

/** `base`, or `base-1`, `base-2`, … : the first name nothing has. */
async function freeName(base: string): Promise<string> {
  for (let n = 0; ; n++) {
    const target = `${base}${n === 0 ? '' : `-${n}`}`;
    if ((await stat(target).catch(() => null)) === null) return target;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown, nonEmpty = true): value is string {
  return typeof value === 'string' && (!nonEmpty || value.length > 0);
}

function isAeadBox(value: unknown): value is AeadBox {
  return isObject(value) && isString(value.iv) && isString(value.data, false) && isString(value.tag);
}

function readProtection(value: unknown): ProtectionRecord | null {
  if (!isObject(value)) return null;
  switch (value.kind) {
    case 'none':
      return { kind: 'none' };
    case 'safe-storage':
      return isString(value.wrappedKey) && isAeadBox(value.check)
        ? { kind: 'safe-storage', wrappedKey: value.wrappedKey, check: value.check }
        : null;
    case 'passphrase': {
      const { salt, N, r, p, check } = value;
      if (value.kdf !== 'scrypt' || !isString(salt) || !isAeadBox(check)) return null;
      if (typeof N !== 'number' || typeof r !== 'number' || typeof p !== 'number') return null;
      if (!isValidScryptCost({ N, r, p })) return null;
      return { kind: 'passphrase', kdf: 'scrypt', salt, N, r, p, check };
    }
    default:
      return null;
  }
}

const KEY_TYPES: readonly string[] = ['RSA', 'EC', 'OKP', 'oct'];

function entryProblem(value: unknown, protection: ProtectionRecord['kind'], version: number): string | null {
  if (!isObject(value)) return 'not an object';
  if (!isString(value.id)) return 'no id';
  if (!isString(value.kid)) return 'no kid';
  if (!isString(value.label, false)) return 'no label';
  if (!isString(value.createdAt) || Number.isNaN(Date.parse(value.createdAt))) return 'no valid createdAt';
  if (!isString(value.thumbprint)) return 'no thumbprint';
  if (!isString(value.kty) || !KEY_TYPES.includes(value.kty)) return 'unknown kty';
  const kty = value.kty as KeyType;
  if (value.crv !== null && !isString(value.crv)) return 'crv is neither null nor a string';
  if (typeof value.size !== 'number' || !Number.isInteger(value.size) || value.size <= 0) return 'invalid size';
  const fitting = algorithmsForKeyType(kty, (value.crv as string | null) ?? null);
  if (fitting.length === 0) return 'a key type and curve no JWS algorithm fits';
  if (value.alg !== null && !(isString(value.alg) && fitting.includes(value.alg))) return 'an alg that does not fit the key';

  if (kty === 'oct') {
    if (value.publicJwk !== null) return 'an HMAC secret with a public JWK';
    if (value.secret === null) return 'an HMAC key without its secret';
  } else {
    const jwk = value.publicJwk;
    if (!isObject(jwk) || jwk.kty !== kty) return 'no public JWK of its kty';
    // The public JWK is returned to callers as is: a private member in it would leak. Refuse the file.
    if (PRIVATE_MEMBERS.some((name) => name in jwk)) return 'a private member in its public JWK';
    if (!publicMembers(kty).every((name) => isString(jwk[name]))) return 'an incomplete public JWK';
    if ((kty === 'EC' || kty === 'OKP') && jwk.crv !== value.crv) return 'a crv that differs from its public JWK';
  }
  const fitsProtection = (sealed: unknown): boolean =>
    protection === 'none'
      ? isObject(sealed) && isString(sealed.plaintext, false) && (sealed.digest === undefined || isString(sealed.digest))
      : isAeadBox(sealed);
  const secret = value.secret;
  if (secret !== null && !fitsProtection(secret)) return 'a private part that does not match the store protection';
  if (version >= 2) {
    if (secret === null && !fitsProtection(value.integrity)) return 'a public key without a valid integrity seal';
    if (secret !== null && value.integrity !== undefined) return 'both a private part and an integrity seal';
  }
  return null;
}
