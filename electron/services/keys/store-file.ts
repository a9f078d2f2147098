/**
 * The key store's file format (schema version 1) and its safe handling on disk: reading with a stamp
 * that tells whether the file changed, strict shape validation, and setting a bad file aside.
 *
 *   { "format": "jwt-workbench-keys", "version": 1,
 *     "protection": { "kind": "passphrase" | "safe-storage" | "none", …salt, cost, wrapped key, check },
 *     "keys": [ { id, kid, label, createdAt, alg, kty, crv, size, thumbprint,
 *                 publicJwk (public members only; null for HMAC), secret (sealed private JWK) } ] }
 */
import { open, rename, stat } from 'node:fs/promises';
import type { JWK } from 'jose';
import { algorithmsForKeyType, type KeyType } from './algorithms';
import { isValidScryptCost, type AeadBox, type ProtectionRecord, type SealedSecret } from './encryption';
import { errnoCode, KeyStoreError } from './errors';
import { PRIVATE_MEMBERS, publicMembers } from './material';

export const STORE_FORMAT = 'jwt-workbench-keys';
export const STORE_VERSION = 1;
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
  | { state: 'ok'; doc: StoreDocument; stamp: FileStamp }
  | { state: 'corrupt'; reason: string }
  | { state: 'newer'; version: number }
  | { state: 'unreadable'; reason: string };

const MAX_STORE_BYTES = 64 * 1024 * 1024;

export async function readStoreFile(file: string): Promise<StoreRead> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return { state: 'absent' };
    return { state: 'unreadable', reason: `cannot open it (${code ?? 'error'})` };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { state: 'unreadable', reason: 'it is a directory' };
    if (info.size > MAX_STORE_BYTES) return { state: 'corrupt', reason: `it is ${info.size} bytes, far larger than a key store` };
    const text = await handle.readFile('utf8');
    const parsed = parseStoreText(text);
    if (parsed.state !== 'ok') return parsed;
    return { state: 'ok', doc: parsed.doc, stamp: { ino: info.ino, size: info.size, mtimeMs: info.mtimeMs } };
  } catch (error) {
    return { state: 'unreadable', reason: `cannot read it (${errnoCode(error) ?? 'error'})` };
  } finally {
    await handle.close();
  }
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
  const stampText = now.toISOString().replace(/:/g, '-');
  for (let n = 0; ; n++) {
    const target = `${file}.corrupt-${stampText}${n === 0 ? '' : `-${n}`}`;
    if ((await stat(target).catch(() => null)) !== null) continue;
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
}

type Parsed = { state: 'ok'; doc: StoreDocument } | { state: 'corrupt'; reason: string } | { state: 'newer'; version: number };

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
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1) {
    return { state: 'corrupt', reason: 'its schema version is missing or invalid' };
  }
  if (value.version > STORE_VERSION) return { state: 'newer', version: value.version };
  const protection = readProtection(value.protection);
  if (protection === null) return { state: 'corrupt', reason: 'its protection record is invalid' };
  if (!Array.isArray(value.keys)) return { state: 'corrupt', reason: 'its keys member is not an array' };
  const keys: StoredEntry[] = [];
  const ids = new Set<string>();
  for (const [index, raw] of value.keys.entries()) {
    const problem = entryProblem(raw, protection.kind);
    if (problem !== null) return { state: 'corrupt', reason: `key ${index}: ${problem}` };
    const entry = raw as unknown as StoredEntry;
    if (ids.has(entry.id)) return { state: 'corrupt', reason: `key ${index}: id ${entry.id} appears twice` };
    ids.add(entry.id);
    keys.push(entry);
  }
  return { state: 'ok', doc: { format: STORE_FORMAT, version: STORE_VERSION, protection, keys } };
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

function entryProblem(value: unknown, protection: ProtectionRecord['kind']): string | null {
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
  const secret = value.secret;
  if (secret !== null) {
    const fits = protection === 'none' ? isObject(secret) && isString(secret.plaintext) : isAeadBox(secret);
    if (!fits) return 'a private part that does not match the store protection';
  }
  return null;
}
