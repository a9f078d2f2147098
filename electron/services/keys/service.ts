/**
 * The key store service: generate, import, identify, export and use test keys, kept in one JSON file
 * in the data dir with their private parts encrypted at rest. Plain Node (no `electron` import): the
 * Electron shell injects safeStorage through the Protection it passes.
 *
 * Every public method returns public material and ids only, except the three marked main-process
 * only (revealPrivateKey, exportPrivateKeyToFile, verificationKey): those must never be wired into the
 * host contract. Signing happens here, by key id.
 *
 * Concurrency: calls on one KeyStore run one at a time; every change is a read-modify-write of the file
 * under an exclusive lock file, re-reading the file first, so two app instances never lose an update.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import type { SetAsideKeyInfo, StoredKeyInfo } from '../../../shared/contract/keys';
import { allowedAlgorithms, prepareKeys, type KeyInput, type PreparedKeys } from '../../../shared/core/keys';
import type { VerifyOptions, VerifyResult } from '../../../shared/core/verify-types';
import { verifyToken, type SignatureBackend } from '../../../shared/core/verify';
import { signToken, type SignResult } from '../../../shared/core/sign';
import { createDpopProof, singleSigningKey, type DpopCreateOptions, type DpopProof } from '../../../shared/core/dpop';
import type { GenerateAlg, KeyType } from './algorithms';
import {
  acquireLock,
  describeHolder,
  FileLockError,
  removeOrphanTemps,
  writeFileAtomic,
  type LockOptions,
} from '../files';
import {
  createProtector,
  protectionKindOf,
  sameRecord,
  unlockProtector,
  type AeadBox,
  type Protection,
  type ProtectionKind,
  type SecretProtector,
} from './encryption';
import { checkEntry, openEntry, sealEntry } from './entry-seal';
import { asStoreError, errnoCode, KeyStoreError } from './errors';
import { privatePem, publicPem, toJwks, type ExportFormat, type Jwks } from './export';
import { checkKid, generateMaterial } from './generate';
import { readKeyInput } from './import';
import { canonicalJwk, storedKeyDescription, type StoredKeyMaterial } from './material';
import {
  emptyStore,
  fileStamp,
  identifyDamaged,
  readStoreFile,
  sameStamp,
  serializeStore,
  setAside,
  setAsideEntries,
  STORE_FILE_NAME,
  STORE_VERSION,
  type DamagedEntry,
  type FileStamp,
  type StoreDocument,
  type StoredEntry,
  type StoreRead,
} from './store-file';

export interface KeyStoreOptions {
  /** The app's data folder; created (mode 0700) when missing. */
  dataDir: string;
  /** How private parts are protected. For an existing store it must match how it was created. */
  protection: Protection;
  fileName?: string;
  /** How long a change waits for another process's lock before `store-locked`. Default 5 s. */
  lockTimeoutMs?: number;
  /** Told each time a bad store file, or bad entries of it, are set aside (also kept in `recoveries`). */
  onRecovery?: (recovery: StoreRecovery) => void;
  now?: () => Date;
}

/**
 * Something set aside (never deleted): the whole store file ('store': renamed, a fresh store started), or
 * damaged entries only ('entries': copied to a side file and removed from the store; every other key kept).
 */
export interface StoreRecovery {
  scope: 'store' | 'entries';
  /** The renamed store, or the side file holding the damaged entries as they were. */
  movedTo: string;
  reason: string;
  message: string;
  /** For 'entries': each entry set aside (empty for 'store'). */
  entries: SetAsideKeyInfo[];
}

/** A read of the file that found a well-formed store. */
type OkRead = Extract<StoreRead, { state: 'ok' }>;

/**
 * What callers see of a stored key: identity, facts and public material only — the contract's
 * StoredKeyInfo, with the key type and public JWK typed as the service holds them.
 */
export type KeyInfo = Omit<StoredKeyInfo, 'kty' | 'publicJwk'> & {
  kty: KeyType;
  /** Public JWK with kid, alg (when pinned) and use; null for an HMAC secret. */
  publicJwk: JWK | null;
};

export interface GenerateKeyRequest {
  bits?: number;
  kid?: string;
  label?: string;
}

export interface ImportResult {
  /** Keys added, or public keys that gained their private part. */
  imported: KeyInfo[];
  /** Keys the store already had (same thumbprint): left as they were. */
  existing: KeyInfo[];
}

export interface KeyUpdate {
  label?: string;
  kid?: string;
}

export type KeyPurpose = 'sign' | 'verify';

export type StoreState = 'absent' | 'ready' | 'corrupt' | 'newer' | 'unreadable';

export interface StoreInspection {
  file: string;
  state: StoreState;
  /** How an existing store is protected: tells the UI whether to ask for a passphrase. */
  protection: ProtectionKind | null;
  keyCount: number | null;
}

const MAX_LABEL_CHARS = 200;
/** Unlike every key entry's AAD (jwt-workbench/keys/…), so a file's seal and an entry's never stand in for each other. */
const FILE_SEAL_AAD_PREFIX = 'jwt-workbench/file/v1:';

/** Seals and opens one file's content with the store's protection (see KeyStore.fileSealer). */
export interface FileSealer {
  readonly kind: 'safe-storage' | 'passphrase';
  seal(plaintext: string): AeadBox;
  /** The plaintext, or null when the box was not sealed by this store for this purpose (or was altered). */
  open(sealed: AeadBox): string | null;
}

export class KeyStore {
  readonly file: string;
  private readonly lockPath: string;
  private readonly lockOptions: LockOptions;
  private readonly now: () => Date;
  private readonly onRecovery: ((recovery: StoreRecovery) => void) | undefined;
  /** Kept to re-unlock if another instance re-keys or recreates the store. */
  private protection: Protection;
  private protector: SecretProtector;
  private doc: StoreDocument;
  private stamp: FileStamp | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly preparedCache = new Map<string, PreparedKeys>();
  private readonly recoveryLog: StoreRecovery[] = [];

  private constructor(file: string, options: KeyStoreOptions, protector: SecretProtector) {
    this.file = file;
    this.lockPath = `${file}.lock`;
    this.lockOptions = { timeoutMs: options.lockTimeoutMs ?? 5000 };
    this.now = options.now ?? (() => new Date());
    this.onRecovery = options.onRecovery;
    this.protection = options.protection;
    this.protector = protector;
    this.doc = emptyStore(protector.record);
  }

  /**
   * Opens (or creates) the store. Throws `wrong-passphrase`, `unlock-failed`, `protection-mismatch`,
   * `encryption-unavailable`, `store-version-unsupported` or `store-locked` leaving the file untouched;
   * a corrupt file is set aside (see `recoveries`) and a fresh store starts.
   */
  static async open(options: KeyStoreOptions): Promise<KeyStore> {
    const file = storePath(options.dataDir, options.fileName);
    protectionKindOf(options.protection); // a malformed choice fails here, before any file is touched
    try {
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw asStoreError(error, `create the data folder ${path.dirname(file)}`);
    }
    // The protector is settled under the lock: another instance may be creating the store right now.
    const store = await withLockAt(`${file}.lock`, { timeoutMs: options.lockTimeoutMs ?? 5000 }, async () => {
      await removeOrphanTemps(file);
      const read = await readStoreFile(file);
      if (read.state === 'newer') throw newerError(file, read.version);
      let protector: SecretProtector;
      if (read.state === 'ok') {
        protector = await unlockProtector(options.protection, read.doc.protection);
      } else {
        protector = await createProtector(options.protection);
      }
      const created = new KeyStore(file, options, protector);
      await created.#adopt(read);
      return created;
    });
    return store;
  }

  /** Bad store files and entries set aside since this store was opened, oldest first. */
  get recoveries(): readonly StoreRecovery[] {
    return [...this.recoveryLog];
  }

  /** The damaged entries set aside since this store was opened (the other keys kept working), oldest first. */
  get setAsideEntries(): SetAsideKeyInfo[] {
    return this.recoveryLog.flatMap((recovery) => recovery.entries);
  }

  get protectionKind(): ProtectionKind {
    return this.protector.kind;
  }

  /**
   * Seals another file of the app (the history) with this store's protection: AES-256-GCM under the store's
   * data key, with an AAD naming the purpose, so such a seal never passes for a key entry's (nor one purpose's
   * for another's). Null for the unencrypted test store, which has no key to seal with. Main process only.
   */
  fileSealer(purpose: string): FileSealer | null {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(purpose)) throw new KeyStoreError('invalid-argument', 'a file sealer purpose is a short lowercase name');
    const kind = this.protector.kind;
    if (kind === 'none') return null;
    const aad = `${FILE_SEAL_AAD_PREFIX}${purpose}`;
    // The protector is looked up per call: another instance may have re-keyed the store meanwhile.
    return {
      kind,
      seal: (plaintext) => this.protector.seal(plaintext, aad) as AeadBox,
      open: (sealed) => this.protector.open(sealed, aad),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Reading

  async list(): Promise<KeyInfo[]> {
    return this.#serial(async () => (await this.#current()).keys.map(toInfo));
  }

  async get(id: string): Promise<KeyInfo> {
    return this.#serial(async () => toInfo(findEntry(await this.#current(), id)));
  }

  /** Keys that fit `alg`: for 'sign' only those with a private part. Unknown algorithms fit none. */
  async keysForAlg(alg: string, purpose: KeyPurpose = 'verify'): Promise<KeyInfo[]> {
    return this.#serial(async () =>
      (await this.#current()).keys
        .filter((e) => entryAlgorithms(e).includes(alg))
        .filter((e) => purpose === 'verify' || e.secret !== null)
        .map(toInfo),
    );
  }

  async exportPublicJwk(id: string): Promise<JWK> {
    return this.#serial(async () => publicJwkFor(findEntry(await this.#current(), id)));
  }

  async exportPublicPem(id: string): Promise<string> {
    return this.#serial(async () => {
      const entry = findEntry(await this.#current(), id);
      return publicPem({ kty: entry.kty, jwk: publicJwkFor(entry), hasPrivate: false });
    });
  }

  /** A JWKS of the given keys (in that order), or of every key with a public part when ids is omitted. */
  async exportJwks(ids?: string[]): Promise<Jwks> {
    return this.#serial(async () => {
      const doc = await this.#current();
      if (ids === undefined) return toJwks(doc.keys.filter((e) => e.kty !== 'oct').map(publicJwkFor));
      if (!Array.isArray(ids)) throw new KeyStoreError('invalid-argument', 'ids must be an array of key ids');
      return toJwks([...new Set(ids)].map((id) => publicJwkFor(findEntry(doc, id))));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Using

  /**
   * Signs the header and payload text exactly as typed with a stored key, in this process, by the
   * shared signer. `alg` fills in a header without one (default: the key's pinned or first algorithm).
   * Key problems are KeyStoreErrors (not-found, no-private-part, alg-not-allowed); problems with the
   * header or payload are the shared core's SignError, as for signing with a given key.
   */
  async sign(id: string, request: { headerText: string; payloadText: string; alg?: string }): Promise<SignResult> {
    if (typeof request !== 'object' || request === null) {
      throw new KeyStoreError('invalid-argument', 'sign needs { headerText, payloadText, alg? }');
    }
    const keys = await this.#serial(async () => {
      const entry = findEntry(await this.#current(), id);
      if (entry.secret === null) {
        throw new KeyStoreError('no-private-part', `key ${entry.kid} is a public key and cannot sign`);
      }
      const allowed = entryAlgorithms(entry);
      if (request.alg !== undefined && !allowed.includes(request.alg)) {
        throw new KeyStoreError(
          'alg-not-allowed',
          `key ${entry.kid} (${describeEntry(entry)}) signs ${allowed.join(', ') || 'nothing'}, not ${String(request.alg)}`,
        );
      }
      return this.#prepared(entry, 'sign');
    });
    return signToken({
      headerText: request.headerText,
      payloadText: request.payloadText,
      key: keys,
      ...(request.alg !== undefined && { alg: request.alg }),
    });
  }

  /**
   * Signs a DPoP proof (RFC 9449) with a stored private key, in this process: the proof carries only the
   * public jwk. Key problems are KeyStoreErrors; a method, URI or key the proof cannot use, the core's DpopError.
   */
  async dpopProof(id: string, options: DpopCreateOptions): Promise<DpopProof> {
    const keys = await this.#serial(async () => {
      const entry = findEntry(await this.#current(), id);
      if (entry.secret === null) throw new KeyStoreError('no-private-part', `key ${entry.kid} is a public key and cannot sign a DPoP proof`);
      return this.#prepared(entry, 'sign');
    });
    return createDpopProof(singleSigningKey(keys.keys), options);
  }

  /**
   * Verifies a token with a stored key, by the shared verify core (the key decides the algorithms).
   * The result names the key by kid and thumbprint only.
   */
  async verify(id: string, token: string, options?: VerifyOptions, backend?: SignatureBackend): Promise<VerifyResult> {
    const keys = await this.#serial(async () => this.#prepared(findEntry(await this.#current(), id), 'verify'));
    // The host passes its node:crypto fast path (crypto-node.ts); the shared default is jose.
    return backend === undefined ? verifyToken(token, keys, options) : verifyToken(token, keys, options, backend);
  }

  // ---------------------------------------------------------------------------------------------
  // Changing

  /** Generates a key pinned to `alg` and stores it. */
  async generate(alg: GenerateAlg, request: GenerateKeyRequest = {}): Promise<KeyInfo> {
    const kid = request.kid === undefined ? undefined : checkKid(request.kid);
    const label = request.label === undefined ? undefined : checkLabel(request.label);
    // Generation runs outside the lock: an RSA 4096 can take seconds and must not block other writers.
    const { material, thumbprint } = await generateMaterial(alg, request.bits);
    return this.#change((doc) => {
      const entry = this.#newEntry(material, {
        kid: kid ?? thumbprint,
        alg,
        label: label ?? `${storedKeyDescription(material)} (${alg})`,
        thumbprint,
      });
      doc.keys.push(entry);
      return toInfo(entry);
    });
  }

  /**
   * Imports PEM, certificate, JWK, JWKS or secret text, read by the core importer. Every key is validated
   * first: any bad key means nothing is imported (the core's KeyError names the key and what is wrong).
   */
  async import(input: KeyInput, options: { label?: string } = {}): Promise<ImportResult> {
    const label = options.label === undefined ? undefined : checkLabel(options.label);
    const candidates = await readKeyInput(input);
    return this.#change((doc) => {
      const result: ImportResult = { imported: [], existing: [] };
      candidates.forEach((candidate, index) => {
        const known = doc.keys.find((e) => e.thumbprint === candidate.thumbprint && e.kty === candidate.material.kty);
        if (known && (known.secret !== null || !candidate.material.hasPrivate)) {
          result.existing.push(toInfo(known));
        } else if (known) {
          // The public key was stored before: it gains its private part, keeping its id, kid and label.
          if (candidate.material.pssOnly) markPssOnly(known);
          sealEntry(this.protector, known, JSON.stringify(candidate.material.jwk));
          result.imported.push(toInfo(known));
        } else {
          const numbered = label !== undefined && candidates.length > 1 ? `${label} ${index + 1}` : label;
          const entry = this.#newEntry(candidate.material, {
            kid: candidate.kid ?? candidate.thumbprint,
            alg: candidate.alg,
            label: numbered ?? candidate.labelHint ?? storedKeyDescription(candidate.material),
            thumbprint: candidate.thumbprint,
          });
          doc.keys.push(entry);
          result.imported.push(toInfo(entry));
        }
      });
      return result;
    });
  }

  async update(id: string, changes: KeyUpdate): Promise<KeyInfo> {
    if (typeof changes !== 'object' || changes === null) throw new KeyStoreError('invalid-argument', 'changes must be an object');
    const label = changes.label === undefined ? undefined : checkLabel(changes.label);
    const kid = changes.kid === undefined ? undefined : checkKid(changes.kid);
    return this.#change((doc) => {
      const entry = findEntry(doc, id);
      const privateText = entry.secret === null ? null : this.#openSecret(entry);
      if (label !== undefined) entry.label = label;
      if (kid !== undefined) entry.kid = kid;
      sealEntry(this.protector, entry, privateText); // the seal binds the metadata: re-made for the new one
      return toInfo(entry);
    });
  }

  async remove(id: string): Promise<void> {
    await this.#change((doc) => {
      findEntry(doc, id);
      doc.keys = doc.keys.filter((e) => e.id !== id);
    });
  }

  /** Re-encrypts every private part under a new protection (e.g. from a passphrase to the OS keychain). */
  async changeProtection(protection: Protection): Promise<void> {
    const next = await createProtector(protection);
    await this.#serial(() =>
      this.#locked(async () => {
        await this.#reload();
        const doc = structuredClone(this.doc);
        for (const entry of doc.keys) sealEntry(next, entry, entry.secret === null ? null : this.#openSecret(entry));
        doc.protection = next.record;
        await this.#write(doc);
        this.protector = next;
        this.protection = protection;
      }),
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Main-process only: these return private material. Never expose them through the host contract.

  /** The private key as PKCS#8 PEM or as a JWK (with kid and alg), for the main process (e.g. its clipboard). */
  async revealPrivateKey(id: string, format: ExportFormat): Promise<string> {
    return this.#serial(async () => {
      const entry = findEntry(await this.#current(), id);
      if (entry.secret === null) throw new KeyStoreError('no-private-part', `key ${entry.kid} has no private part`);
      const jwk = this.#privateJwk(entry);
      if (format === 'jwk') return JSON.stringify(jwk, null, 2) + '\n';
      if (format === 'pem') return privatePem({ kty: entry.kty, jwk, hasPrivate: true });
      throw new KeyStoreError('invalid-argument', 'format must be jwk or pem');
    });
  }

  /** Writes the private key to `filePath` (atomically, mode 0600) and returns where. */
  async exportPrivateKeyToFile(id: string, options: { format: ExportFormat; path: string }): Promise<{ path: string }> {
    if (typeof options?.path !== 'string' || options.path.length === 0) {
      throw new KeyStoreError('invalid-argument', 'a file path is needed to export a private key');
    }
    const text = await this.revealPrivateKey(id, options.format);
    const target = path.resolve(options.path);
    try {
      await writeFileAtomic(target, text, { mode: 0o600 });
    } catch (error) {
      throw new KeyStoreError('file-write-failed', `cannot write ${target} (${errnoCode(error) ?? 'error'})`, { cause: error });
    }
    return { path: target };
  }

  /**
   * What the verify core needs for this key: its public JWK, or for an HMAC key its secret as a JWK.
   * Main-process only because of the latter.
   */
  async verificationKey(id: string): Promise<KeyInput> {
    return this.#serial(async () => {
      const entry = findEntry(await this.#current(), id);
      const jwk = entry.kty === 'oct' ? this.#privateJwk(entry) : publicJwkFor(entry);
      return { type: 'jwk', value: JSON.stringify(jwk) };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Internals

  #newEntry(
    material: StoredKeyMaterial,
    meta: { kid: string; alg: string | null; label: string; thumbprint: string },
  ): StoredEntry {
    const entry: StoredEntry = {
      id: randomUUID(),
      kid: meta.kid,
      label: meta.label,
      createdAt: this.now().toISOString(),
      alg: meta.alg,
      kty: material.kty,
      crv: material.crv,
      size: material.size,
      thumbprint: meta.thumbprint,
      publicJwk: material.kty === 'oct' ? null : canonicalJwk(material.kty, material.jwk as Record<string, unknown>, false),
      secret: null,
    };
    if (material.pssOnly) markPssOnly(entry);
    sealEntry(this.protector, entry, material.hasPrivate ? JSON.stringify(material.jwk) : null);
    return entry;
  }

  /**
   * The entry prepared by the shared core, cached until the file changes: the mock issuer and the
   * debugger sign and verify with the same key many times. PreparedKeys keep private material off
   * their enumerable members.
   */
  async #prepared(entry: StoredEntry, purpose: KeyPurpose): Promise<PreparedKeys> {
    const cacheKey = `${purpose}:${entry.id}`;
    const cached = this.preparedCache.get(cacheKey);
    if (cached) return cached;
    const jwk = purpose === 'sign' || entry.kty === 'oct' ? this.#privateJwk(entry) : publicJwkFor(entry);
    let keys: PreparedKeys;
    try {
      keys = await prepareKeys({ type: 'jwk', value: JSON.stringify(jwk) }, { pssOnly: isPssOnly(entry) });
    } catch (error) {
      // The store validated the key on import; the core refusing it means the two disagree on a key type.
      const why = error instanceof Error ? error.message : 'unusable key';
      throw new KeyStoreError('unsupported-alg', `the token core cannot use key ${entry.kid}: ${why}`, { cause: error });
    }
    this.preparedCache.set(cacheKey, keys);
    return keys;
  }

  #privateJwk(entry: StoredEntry): JWK {
    const jwk = JSON.parse(this.#openSecret(entry)) as JWK;
    return { ...jwk, kid: entry.kid, ...(entry.alg !== null && { alg: entry.alg }) };
  }

  #openSecret(entry: StoredEntry): string {
    const plain = entry.secret === null ? null : openEntry(this.protector, entry);
    if (typeof plain !== 'string') {
      // Every secret was checked when the file was read; this means the file changed under us.
      throw new KeyStoreError('store-corrupt', `the private part of key ${entry.kid} cannot be decrypted`);
    }
    return plain;
  }

  /** Runs calls on this store one at a time, in call order. */
  #serial<T>(task: () => Promise<T>): Promise<T> {
    const guarded = () => task().catch((error: unknown) => Promise.reject(asStoreError(error, `use the key store ${this.file}`)));
    const run = this.queue.then(guarded, guarded);
    this.queue = run.catch(() => undefined);
    return run;
  }

  #locked<T>(task: () => Promise<T>): Promise<T> {
    return withLockAt(this.lockPath, this.lockOptions, task);
  }

  /** Read-modify-write under the lock, from the file as it is now. */
  #change<T>(mutate: (doc: StoreDocument) => T): Promise<T> {
    return this.#serial(() =>
      this.#locked(async () => {
        await this.#reload();
        const doc = structuredClone(this.doc);
        const result = mutate(doc);
        await this.#write(doc);
        return result;
      }),
    );
  }

  /** The document, re-read when the file changed since this instance last saw it. */
  async #current(): Promise<StoreDocument> {
    if (sameStamp(await fileStamp(this.file), this.stamp)) return this.doc;
    // Writers replace the file by rename, so a read needs no lock; only repairing a bad file does.
    const read = await readStoreFile(this.file);
    if (
      read.state === 'ok' &&
      read.fromVersion === STORE_VERSION &&
      read.damaged.length === 0 &&
      sameRecord(read.doc.protection, this.protector.record)
    ) {
      const checked = await this.#authenticate(read);
      if (checked.damaged.length === 0) {
        this.#take(checked.doc, read.stamp);
        return this.doc;
      }
    }
    return this.#locked(async () => {
      await this.#reload();
      return this.doc;
    });
  }

  async #reload(): Promise<void> {
    const read = await readStoreFile(this.file);
    if (read.state === 'newer') throw newerError(this.file, read.version);
    if (read.state === 'ok' && !sameRecord(read.doc.protection, this.protector.record)) {
      // Another instance re-keyed the store (or set it aside and started afresh).
      try {
        this.protector = await unlockProtector(this.protection, read.doc.protection);
      } catch (error) {
        const why = error instanceof KeyStoreError ? error.message : 'it cannot be unlocked';
        throw new KeyStoreError('store-changed', `the key store was re-keyed by another instance and ${why}; reopen it`, {
          cause: error,
        });
      }
    }
    await this.#adopt(read);
  }

  /**
   * Takes a read file as the current state: damaged entries are set aside alone and an older schema is
   * migrated (both rewrite the file); an unusable file is set aside whole and a fresh store started. Under the lock.
   */
  async #adopt(read: StoreRead): Promise<void> {
    switch (read.state) {
      case 'absent':
        await this.#write(emptyStore(this.protector.record));
        return;
      case 'ok': {
        const { doc, damaged } = await this.#authenticate(read);
        if (damaged.length === 0 && read.fromVersion === STORE_VERSION) {
          this.#take(doc, read.stamp);
          return;
        }
        // The side file first: a crash before the store is rewritten keeps the entries in both places.
        if (damaged.length > 0) await this.#setAsideDamaged(read, damaged);
        await this.#write(doc);
        return;
      }
      case 'corrupt':
      case 'unreadable':
        await this.#startAfresh(read.reason);
        return;
      case 'newer':
        throw newerError(this.file, read.version);
    }
  }

  /**
   * Splits a well-formed file's entries into the trusted ones (resealed to the current schema when the file
   * is older) and the damaged ones: malformed (found by the parser) or failing checkEntry — authentication of
   * the metadata and private part, and the private part fitting the public key or thumbprint.
   */
  async #authenticate(read: OkRead): Promise<{ doc: StoreDocument; damaged: DamagedEntry[] }> {
    const damaged = [...read.damaged];
    const malformed = new Set(read.damaged.map((d) => d.index));
    const keys: StoredEntry[] = [];
    let index = 0;
    for (const entry of read.doc.keys) {
      while (malformed.has(index)) index++;
      // Checked on a copy: a damaged entry goes to the side file exactly as the file had it.
      const candidate = structuredClone(entry);
      const check = await checkEntry(this.protector, candidate, read.fromVersion);
      if (!check.ok) {
        damaged.push({ index, raw: entry, reason: check.reason });
      } else {
        if (read.fromVersion < STORE_VERSION) sealEntry(this.protector, candidate, check.privateText);
        keys.push(candidate);
      }
      index++;
    }
    damaged.sort((a, b) => a.index - b.index);
    return { doc: { ...read.doc, keys }, damaged };
  }

  async #setAsideDamaged(read: OkRead, damaged: DamagedEntry[]): Promise<void> {
    const movedTo = await setAsideEntries(this.file, this.now(), {
      protection: read.doc.protection,
      fromVersion: read.fromVersion,
      damaged,
    });
    const entries: SetAsideKeyInfo[] = damaged.map((d) => ({ ...identifyDamaged(d.raw), reason: d.reason, file: movedTo }));
    const names = entries.map((e, i) => (e.id !== null ? `id ${e.id}` : `entry ${damaged[i]?.index ?? '?'} (no id)`)).join(', ');
    const recovery: StoreRecovery = {
      scope: 'entries',
      movedTo,
      reason: damaged.map((d) => `key ${d.index}: ${d.reason}`).join('; '),
      message:
        `${entries.length === 1 ? 'A key store entry was' : `${entries.length} key store entries were`} damaged ` +
        `(${names}) and set aside in ${movedTo}; the other keys keep working.`,
      entries,
    };
    this.recoveryLog.push(recovery);
    this.onRecovery?.(recovery);
  }

  async #startAfresh(reason: string): Promise<void> {
    const movedTo = await setAside(this.file, this.now());
    const recovery: StoreRecovery = {
      scope: 'store',
      movedTo,
      reason,
      message: `The key store was unusable (${reason}). It was moved to ${movedTo} and a new, empty store was started.`,
      entries: [],
    };
    this.recoveryLog.push(recovery);
    this.onRecovery?.(recovery);
    // The protector stays: its key is the user's (fresh IVs per seal), and a passphrase is not asked twice.
    await this.#write(emptyStore(this.protector.record));
  }

  async #write(doc: StoreDocument): Promise<void> {
    try {
      await writeFileAtomic(this.file, serializeStore(doc), { mode: 0o600 });
    } catch (error) {
      throw new KeyStoreError(
        'store-write-failed',
        `cannot write the key store (${errnoCode(error) ?? 'error'}); the previous version is intact`,
        { cause: error },
      );
    }
    this.#take(doc, await fileStamp(this.file));
  }

  #take(doc: StoreDocument, stamp: FileStamp | null): void {
    this.doc = doc;
    this.stamp = stamp;
    this.preparedCache.clear();
  }
}

// -----------------------------------------------------------------------------------------------
// Store-level helpers, for the UI's first screen

export function storePath(dataDir: string, fileName = STORE_FILE_NAME): string {
  if (typeof dataDir !== 'string' || dataDir.length === 0) {
    throw new KeyStoreError('invalid-argument', 'the key store needs a data directory');
  }
  if (typeof fileName !== 'string' || fileName.length === 0 || fileName !== path.basename(fileName)) {
    throw new KeyStoreError('invalid-argument', 'the key store file name must be a plain file name');
  }
  return path.join(path.resolve(dataDir), fileName);
}

/** How the store in `dataDir` stands, without unlocking or changing it: tells the UI what to ask for. */
export async function inspectKeyStore(dataDir: string, fileName?: string): Promise<StoreInspection> {
  const file = storePath(dataDir, fileName);
  const read = await readStoreFile(file);
  switch (read.state) {
    case 'ok':
      return { file, state: 'ready', protection: read.doc.protection.kind, keyCount: read.doc.keys.length };
    case 'absent':
    case 'corrupt':
    case 'newer':
    case 'unreadable':
      return { file, state: read.state, protection: null, keyCount: null };
  }
}

/**
 * Sets the store aside on the user's request (a forgotten passphrase, a keychain from another
 * machine): renamed to keys.json.corrupt-<timestamp>, never deleted. Returns the new path, or null
 * when there was no store.
 */
export async function setAsideKeyStore(
  dataDir: string,
  options: { fileName?: string; lockTimeoutMs?: number; now?: () => Date } = {},
): Promise<string | null> {
  const file = storePath(dataDir, options.fileName);
  return withLockAt(`${file}.lock`, { timeoutMs: options.lockTimeoutMs ?? 5000 }, async () => {
    if ((await fileStamp(file)) === null) return null;
    return setAside(file, (options.now ?? (() => new Date()))());
  });
}

// -----------------------------------------------------------------------------------------------

async function withLockAt<T>(lockPath: string, options: LockOptions, task: () => Promise<T>): Promise<T> {
  try {
    const lock = await acquireLock(lockPath, options);
    try {
      return await task();
    } finally {
      await lock.release();
    }
  } catch (error) {
    throw asStoreError(lockErrorForStore(error), `use the key store lock ${lockPath}`);
  }
}

/** The file helpers' lock errors in the key store's own codes; anything else unchanged. */
function lockErrorForStore(error: unknown): unknown {
  if (!(error instanceof FileLockError)) return error;
  if (error.code === 'locked') {
    return new KeyStoreError(
      'store-locked',
      `the key store is locked by ${describeHolder(error.holder)}; close the other JWT Workbench instance or try again`,
      { cause: error, details: { holder: error.holder } },
    );
  }
  return new KeyStoreError('store-write-failed', `cannot use the key store lock (${errnoCode(error.cause) ?? 'error'})`, { cause: error });
}

function newerError(file: string, version: number): KeyStoreError {
  return new KeyStoreError(
    'store-version-unsupported',
    `the key store ${file} has schema version ${version}, written by a newer JWT Workbench; it was left untouched`,
  );
}

function findEntry(doc: StoreDocument, id: string): StoredEntry {
  const entry = typeof id === 'string' ? doc.keys.find((e) => e.id === id) : undefined;
  if (!entry) throw new KeyStoreError('not-found', `no stored key has id ${JSON.stringify(String(id)).slice(0, 80)}`);
  return entry;
}

function describeEntry(entry: StoredEntry): string {
  return storedKeyDescription({ kty: entry.kty, crv: entry.crv, size: entry.size, pssOnly: isPssOnly(entry) });
}

/**
 * An id-RSASSA-PSS key (PS256/384/512 only) is marked `pssOnly: true` on its entry: its JWK cannot say so.
 * store-file.ts keeps an entry's members as read and written; it does not declare this one yet.
 */
type PssMarkedEntry = StoredEntry & { pssOnly?: boolean };

function markPssOnly(entry: StoredEntry): void {
  (entry as PssMarkedEntry).pssOnly = true;
}

function isPssOnly(entry: StoredEntry): boolean {
  return (entry as PssMarkedEntry).pssOnly === true;
}

/** The algorithms a stored key works with: the core's rule, from what the entry records. */
function entryAlgorithms(entry: StoredEntry): string[] {
  return allowedAlgorithms(entry.kty, entry.crv, entry.alg, isPssOnly(entry));
}

function publicJwkFor(entry: StoredEntry): JWK {
  if (entry.publicJwk === null) {
    throw new KeyStoreError('no-public-part', `key ${entry.kid} is an HMAC secret: it has no public form`);
  }
  // Rebuilt from the public members alone, so nothing else stored beside them can leak out.
  return {
    ...canonicalJwk(entry.kty, entry.publicJwk as Record<string, unknown>, false),
    kid: entry.kid,
    ...(entry.alg !== null && { alg: entry.alg }),
    use: 'sig',
  };
}

function toInfo(entry: StoredEntry): KeyInfo {
  return {
    id: entry.id,
    kid: entry.kid,
    label: entry.label,
    createdAt: entry.createdAt,
    kty: entry.kty,
    curve: entry.crv,
    size: entry.size,
    description: describeEntry(entry),
    alg: entry.alg,
    algorithms: entryAlgorithms(entry),
    thumbprint: entry.thumbprint,
    hasPrivate: entry.secret !== null,
    publicJwk: entry.publicJwk === null ? null : publicJwkFor(entry),
  };
}

function checkLabel(label: string): string {
  if (typeof label !== 'string' || label.length > MAX_LABEL_CHARS || /\p{Cc}/u.test(label)) {
    throw new KeyStoreError('invalid-argument', `a label is at most ${MAX_LABEL_CHARS} characters without control characters`);
  }
  return label;
}
