/**
 * Encryption at rest of the store's private parts. Every protector that encrypts seals each entry with
 * AES-256-GCM under one 256-bit data key (random 96-bit IV per seal, the 128-bit tag always checked). The
 * caller passes the additional authenticated data: for a store entry, its canonical metadata (id, kid, label,
 * alg, key facts, public JWK — see entry-seal.ts), so a sealed part can neither be swapped between entries nor
 * kept while its metadata is edited. What differs between protectors is where the data key comes from:
 *  - safe-storage: a random key wrapped by Electron's safeStorage (OS keychain), injected by main;
 *  - passphrase: scrypt(passphrase, stored salt) at a cost recorded beside the salt;
 *  - unencrypted test store: no key at all — chosen only by its name, never as a fallback. Its seals carry a
 *    SHA-256 digest instead: NOT protection (anyone can recompute it), only detection of accidental edits.
 * Each record also keeps a sealed known value (`check`), so a wrong passphrase or foreign keychain is
 * told apart from a tampered entry before anything is decrypted or written.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { KeyStoreError } from './errors';

/** What main injects: Electron's `safeStorage` satisfies it as is. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means Electron fell back to a hard-coded password, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface ScryptCost {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * N = 2^17, r = 8, p = 1: 128 MiB and a few hundred ms per unlock — the OWASP password-storage
 * recommendation for scrypt. Paid once per open, on the thread pool.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/** Bounds for a cost read from a file, so a crafted store cannot ask for gigabytes of memory. */
const MIN_SCRYPT_N = 2 ** 14;
const MAX_SCRYPT_N = 2 ** 20;

/** How the caller wants the store protected (or, for an existing store, how it expects it to be). */
export type Protection =
  | { kind: 'safe-storage'; safeStorage: SafeStorageLike }
  | { kind: 'passphrase'; passphrase: string; cost?: ScryptCost }
  | { kind: 'unencrypted-test-store' };

export type ProtectionKind = 'safe-storage' | 'passphrase' | 'none';

export interface AeadBox {
  iv: string;
  data: string;
  tag: string;
}
/** The unencrypted test store's "seal": the text in clear and a digest of AAD and text (corruption detection only). */
export interface PlainBox {
  plaintext: string;
  /** base64url SHA-256; absent in stores written before the metadata was authenticated (schema version 1). */
  digest?: string;
}
export type SealedSecret = AeadBox | PlainBox;

/** What the store file records about its protection: no secret in it. */
export type ProtectionRecord =
  | { kind: 'safe-storage'; wrappedKey: string; check: AeadBox }
  | { kind: 'passphrase'; kdf: 'scrypt'; salt: string; N: number; r: number; p: number; check: AeadBox }
  | { kind: 'none' };

export interface SecretProtector {
  readonly kind: ProtectionKind;
  readonly record: ProtectionRecord;
  /** Seals `plaintext` bound to `aad` (any text; the caller makes it unambiguous). */
  seal(plaintext: string, aad: string): SealedSecret;
  /** The plaintext, or null when the sealed value is not authentic under this protector and `aad`. */
  open(sealed: SealedSecret, aad: string): string | null;
  /**
   * Opens a private part written by schema version 1, which bound only the entry id (and, unencrypted, had
   * no digest): read once, to migrate it.
   */
  openLegacy(sealed: SealedSecret, entryId: string): string | null;
}

const CHECK_TEXT = 'jwt-workbench key store';
/** The schema-1 AAD prefix: still that of the protection record's check, and of legacy entries. */
const LEGACY_AAD_PREFIX = 'jwt-workbench/keys/v1:';
const CHECK_AAD = `${LEGACY_AAD_PREFIX}#check`;

/**
 * The kind of a caller's protection choice, after checking its shape: the unencrypted store must be
 * asked for by its full name, and anything else unknown is refused rather than read as "no encryption".
 */
export function protectionKindOf(protection: Protection): ProtectionKind {
  const value = protection as unknown as Record<string, unknown> | null;
  if (typeof value !== 'object' || value === null) throw badProtection();
  switch (value.kind) {
    case 'unencrypted-test-store':
      return 'none';
    case 'passphrase':
      if (typeof value.passphrase !== 'string' || value.passphrase.length === 0) {
        throw new KeyStoreError('invalid-argument', 'the passphrase is empty');
      }
      return 'passphrase';
    case 'safe-storage': {
      const safeStorage = value.safeStorage as Record<string, unknown> | null | undefined;
      const usable =
        typeof safeStorage === 'object' && safeStorage !== null &&
        ['isEncryptionAvailable', 'encryptString', 'decryptString'].every((name) => typeof safeStorage[name] === 'function');
      if (!usable) throw new KeyStoreError('invalid-argument', 'safe-storage protection needs a safeStorage object');
      return 'safe-storage';
    }
    default:
      throw badProtection();
  }
}

function badProtection(): KeyStoreError {
  return new KeyStoreError('invalid-argument', 'protection must be safe-storage, passphrase or unencrypted-test-store');
}

/** A protector for a new store: fresh salt or data key. */
export async function createProtector(protection: Protection): Promise<SecretProtector> {
  protectionKindOf(protection);
  switch (protection.kind) {
    case 'unencrypted-test-store':
      return plaintextProtector();
    case 'passphrase': {
      const cost = protection.cost ?? DEFAULT_SCRYPT_COST;
      checkCost(cost, 'invalid-argument');
      const salt = randomBytes(16).toString('base64url');
      const key = await deriveKey(protection.passphrase, salt, cost);
      const { N, r, p } = cost;
      return aeadProtector('passphrase', key, (check) => ({ kind: 'passphrase', kdf: 'scrypt', salt, N, r, p, check }));
    }
    case 'safe-storage': {
      assertSafeStorageUsable(protection.safeStorage);
      const key = randomBytes(32);
      let wrappedKey: string;
      try {
        wrappedKey = protection.safeStorage.encryptString(key.toString('base64url')).toString('base64');
      } catch (error) {
        throw new KeyStoreError('encryption-unavailable', 'the OS keychain refused to encrypt the store key', {
          cause: error,
        });
      }
      return aeadProtector('safe-storage', key, (check) => ({ kind: 'safe-storage', wrappedKey, check }));
    }
  }
}

/** A protector for an existing store, from its record. Never changes the record. */
export async function unlockProtector(protection: Protection, record: ProtectionRecord): Promise<SecretProtector> {
  const wanted = protectionKindOf(protection);
  if (wanted !== record.kind) {
    throw new KeyStoreError(
      'protection-mismatch',
      `the key store is protected by ${describeKind(record.kind)}, not by ${describeKind(wanted)}`,
    );
  }
  let protector: SecretProtector;
  if (record.kind === 'none') {
    protector = plaintextProtector();
  } else if (record.kind === 'passphrase' && protection.kind === 'passphrase') {
    const key = await deriveKey(protection.passphrase, record.salt, record);
    protector = aeadProtector('passphrase', key, () => record);
    if (protector.open(record.check, CHECK_AAD) !== CHECK_TEXT) {
      throw new KeyStoreError('wrong-passphrase', 'the passphrase does not open this key store');
    }
  } else if (record.kind === 'safe-storage' && protection.kind === 'safe-storage') {
    const key = unwrapKey(protection.safeStorage, record.wrappedKey);
    protector = aeadProtector('safe-storage', key, () => record);
    if (protector.open(record.check, CHECK_AAD) !== CHECK_TEXT) throw unlockFailed();
  } else {
    throw new KeyStoreError('protection-mismatch', 'the key store protection does not match');
  }
  return protector;
}

function describeKind(kind: ProtectionKind): string {
  return kind === 'none' ? 'nothing (an unencrypted test store)' : kind === 'passphrase' ? 'a passphrase' : 'the OS keychain';
}

function assertSafeStorageUsable(safeStorage: SafeStorageLike): void {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new KeyStoreError('encryption-unavailable', 'OS keychain encryption is not available; use a passphrase');
  }
  if (safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
    throw new KeyStoreError(
      'encryption-unavailable',
      'no OS keyring is running (Electron would use a fixed password); use a passphrase',
    );
  }
}

function unlockFailed(cause?: unknown): KeyStoreError {
  return new KeyStoreError(
    'unlock-failed',
    'the OS keychain could not decrypt this key store (created by another user or machine?)',
    cause === undefined ? undefined : { cause },
  );
}

function unwrapKey(safeStorage: SafeStorageLike, wrappedKey: string): Buffer {
  if (!safeStorage.isEncryptionAvailable()) {
    throw new KeyStoreError('encryption-unavailable', 'OS keychain encryption is not available to open this key store');
  }
  let text: string;
  try {
    text = safeStorage.decryptString(Buffer.from(wrappedKey, 'base64'));
  } catch (error) {
    throw unlockFailed(error);
  }
  const key = Buffer.from(text, 'base64url');
  if (key.length !== 32) throw unlockFailed();
  return key;
}

function checkCost(cost: ScryptCost, code: 'invalid-argument' | 'store-corrupt'): void {
  const { N, r, p } = cost;
  const ok =
    Number.isInteger(N) && N >= MIN_SCRYPT_N && N <= MAX_SCRYPT_N && (N & (N - 1)) === 0 &&
    Number.isInteger(r) && r >= 1 && r <= 32 &&
    Number.isInteger(p) && p >= 1 && p <= 16;
  if (!ok) throw new KeyStoreError(code, `scrypt cost N=${N} r=${r} p=${p} is out of range`);
}

export function isValidScryptCost(cost: ScryptCost): boolean {
  try {
    checkCost(cost, 'store-corrupt');
    return true;
  } catch {
    return false;
  }
}

function deriveKey(passphrase: string, salt: string, cost: ScryptCost): Promise<Buffer> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    return Promise.reject(new KeyStoreError('invalid-argument', 'the passphrase is empty'));
  }
  checkCost(cost, 'store-corrupt');
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 128 * cost.N * cost.r * cost.p + 32 * 1024 * 1024 };
  // NFC: the same passphrase typed on another keyboard or OS must derive the same key.
  const secret = passphrase.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(salt, 'base64url'), 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function plaintextProtector(): SecretProtector {
  const digest = (plaintext: string, aad: string): string => {
    const aadBytes = Buffer.from(aad, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(aadBytes.length);
    // Length-prefixed, so no (aad, text) pair can be shifted into another with the same digest.
    return createHash('sha256').update(length).update(aadBytes).update(plaintext, 'utf8').digest('base64url');
  };
  const isPlainBox = (sealed: SealedSecret): sealed is PlainBox => 'plaintext' in sealed && typeof sealed.plaintext === 'string';
  return {
    kind: 'none',
    record: { kind: 'none' },
    seal: (plaintext, aad) => ({ plaintext, digest: digest(plaintext, aad) }),
    open: (sealed, aad) => {
      if (!isPlainBox(sealed) || typeof sealed.digest !== 'string') return null;
      const expected = Buffer.from(digest(sealed.plaintext, aad));
      const given = Buffer.from(sealed.digest);
      return given.length === expected.length && timingSafeEqual(given, expected) ? sealed.plaintext : null;
    },
    openLegacy: (sealed) => (isPlainBox(sealed) ? sealed.plaintext : null),
  };
}

function aeadProtector(
  kind: 'safe-storage' | 'passphrase',
  key: Buffer,
  makeRecord: (check: AeadBox) => ProtectionRecord,
): SecretProtector {
  const seal = (plaintext: string, aad: string): AeadBox => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64url'), data: data.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
  };
  const open = (sealed: SealedSecret, aad: string): string | null => {
    if (!('iv' in sealed)) return null;
    const iv = Buffer.from(sealed.iv, 'base64url');
    const tag = Buffer.from(sealed.tag, 'base64url');
    if (iv.length !== 12 || tag.length !== 16) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64url')), decipher.final()]);
      return plain.toString('utf8');
    } catch {
      return null; // authentication failed: wrong key or altered bytes
    }
  };
  const openLegacy = (sealed: SealedSecret, entryId: string) => open(sealed, LEGACY_AAD_PREFIX + entryId);
  const record = makeRecord(seal(CHECK_TEXT, CHECK_AAD));
  return { kind, record, seal, open, openLegacy };
}

/** Whether two records describe the same protection (same salt / wrapped key): a re-keyed store differs. */
export function sameRecord(a: ProtectionRecord, b: ProtectionRecord): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object members sorted, so member order (file vs. memory) does not matter. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
