/**
 * The key store as a host holds it: not open until set up or unlocked, then one KeyStore for the life
 * of the host. It decides what the UI's first screen asks for (keys.status), opens the store the way
 * this host can protect it, and never falls back to plain text unless the unencrypted test store was
 * asked for by name (keys.setup, or the web host's `--unencrypted-test-store` flag).
 *
 * Hosts differ only in what they inject: Electron main passes a usable safeStorage and an exporter
 * with a save dialog and the clipboard; the web host a passphrase-only setup and the exports-folder
 * exporter (./private-export.ts).
 */
import type {
  KeySetupChoice,
  KeysStatus,
  PrivateExportDestination,
  PrivateExportOutcome,
} from '../../../shared/contract/keys';
import type { SafeStorageLike, ScryptCost } from './encryption';
import type { Protection } from './encryption';
import { KeyStoreError } from './errors';
import type { ExportFormat } from './export';
import { inspectKeyStore, KeyStore, setAsideKeyStore, type FileSealer, type KeyInfo, type StoreRecovery } from './service';

/** Puts a private key where the user asked, by the host's own means (never through a response). */
export interface PrivateKeyExporter {
  readonly destinations: readonly PrivateExportDestination[];
  export(request: {
    store: KeyStore;
    key: KeyInfo;
    format: ExportFormat;
    destination: PrivateExportDestination;
  }): Promise<PrivateExportOutcome>;
}

export interface KeyStoreSessionConfig {
  dataDir: string;
  /** Electron main only: its safeStorage, when the OS keychain really encrypts (not Linux basic_text). */
  safeStorage?: SafeStorageLike | null;
  /** The explicit choice of a plain-text store (web host flag for tests): opened without asking. */
  unencryptedTestStore?: boolean;
  /** Where keys.exportPrivate may put a key; absent: it refuses. */
  privateExporter?: PrivateKeyExporter | null;
  /** scrypt cost for a new passphrase store (tests lower it); default: the store's. */
  scryptCost?: ScryptCost;
  /** Passphrases shorter than this are refused by setup. Default 8. */
  minPassphraseLength?: number;
  lockTimeoutMs?: number;
}

export const DEFAULT_MIN_PASSPHRASE_LENGTH = 8;

export type SetupRequest =
  | { protection: 'passphrase'; passphrase: string }
  | { protection: 'safe-storage' }
  | { protection: 'unencrypted-test-store' };

/**
 * How another file of the app (the history) is to be kept, as the key store stands now:
 *  - plain: no protected store here (none set up, or the unencrypted test store) — nothing to seal with;
 *  - locked: a protected store exists but is not open (a passphrase not yet given, a keychain this host
 *    cannot use): the file's sealed content cannot be read or written now;
 *  - sealed: the store is open and protected; seal and open with `sealer`.
 */
export type FileSealing = { state: 'plain' } | { state: 'locked' } | { state: 'sealed'; sealer: FileSealer };

export class KeyStoreSession {
  private store: KeyStore | null = null;
  private opening: Promise<KeyStore> | null = null;
  private readonly notices: string[] = [];
  private readonly openListeners = new Set<() => void>();

  constructor(private readonly config: KeyStoreSessionConfig) {}

  /** What the UI should show first; opens the store by itself when this host needs no secret from the user. */
  async status(): Promise<KeysStatus> {
    if (!this.store) await this.#openWithoutAsking();
    return this.#status();
  }

  async setup(request: SetupRequest): Promise<KeysStatus> {
    const current = await this.status();
    if (current.state !== 'needs-setup') {
      throw new KeyStoreError(
        'invalid-argument',
        current.state === 'locked' ? 'a key store already exists: unlock it with its passphrase' : 'the key store is already set up',
      );
    }
    await this.#open(this.#protectionFor(request));
    return this.#status();
  }

  async unlock(passphrase: string): Promise<KeysStatus> {
    if (this.store) return this.#status();
    const current = await this.#status();
    if (current.state !== 'locked') {
      throw new KeyStoreError('invalid-argument', current.state === 'needs-setup' ? 'there is no key store yet: set one up' : 'the key store cannot be unlocked here');
    }
    await this.#open({ kind: 'passphrase', passphrase });
    return this.#status();
  }

  /**
   * Starts over when the store cannot be opened here (a forgotten passphrase, another machine's
   * keychain): the file is moved aside, never deleted, and setup is offered again.
   */
  async reset(): Promise<KeysStatus> {
    const current = await this.status();
    if (current.state === 'unlocked') {
      throw new KeyStoreError('invalid-argument', 'the key store is open: remove keys one by one instead of starting over');
    }
    const movedTo = await setAsideKeyStore(this.config.dataDir, {
      ...(this.config.lockTimeoutMs !== undefined && { lockTimeoutMs: this.config.lockTimeoutMs }),
    });
    if (movedTo !== null) this.#note(`The previous key store was moved to ${movedTo}; set up a new one.`);
    await this.#openWithoutAsking();
    return this.#status();
  }

  /** The open store; `keys-locked` until set up or unlocked. */
  async open(): Promise<KeyStore> {
    if (!this.store) await this.#openWithoutAsking();
    if (this.store) return this.store;
    const status = await this.#status();
    throw new KeyStoreError(
      'keys-locked',
      status.state === 'locked'
        ? 'the key store is locked: unlock it with its passphrase first'
        : 'there is no key store yet: set one up in the Keys view first',
    );
  }

  /** How a file sealed with this store's protection (for `purpose`) is to be kept now; see FileSealing. */
  async fileSealing(purpose: string): Promise<FileSealing> {
    if (!this.store) await this.#openWithoutAsking();
    if (this.store) {
      const sealer = this.store.fileSealer(purpose);
      return sealer === null ? { state: 'plain' } : { state: 'sealed', sealer };
    }
    const inspection = await inspectKeyStore(this.config.dataDir);
    // Absent, or unusable until setup replaces it: no key exists that a sealed file could be read with.
    if (inspection.state === 'absent' || inspection.state === 'corrupt' || inspection.state === 'unreadable') return { state: 'plain' };
    return { state: 'locked' };
  }

  /** Calls `listener` each time the store is opened (set up, unlocked, or opened without asking). Returns the unsubscribe. */
  onOpen(listener: () => void): () => void {
    this.openListeners.add(listener);
    return () => this.openListeners.delete(listener);
  }

  get privateExporter(): PrivateKeyExporter | null {
    return this.config.privateExporter ?? null;
  }

  #protectionFor(request: SetupRequest): Protection {
    switch (request.protection) {
      case 'passphrase': {
        const min = this.config.minPassphraseLength ?? DEFAULT_MIN_PASSPHRASE_LENGTH;
        if ([...request.passphrase].length < min) {
          throw new KeyStoreError('invalid-argument', `the passphrase must be at least ${min} characters long`);
        }
        return {
          kind: 'passphrase',
          passphrase: request.passphrase,
          ...(this.config.scryptCost && { cost: this.config.scryptCost }),
        };
      }
      case 'safe-storage':
        if (!this.config.safeStorage) {
          throw new KeyStoreError('encryption-unavailable', 'the OS keychain is not available in this host; use a passphrase');
        }
        return { kind: 'safe-storage', safeStorage: this.config.safeStorage };
      case 'unencrypted-test-store':
        return { kind: 'unencrypted-test-store' };
    }
  }

  /** The protection this host may use without asking the user anything, for a store of this kind (or none). */
  #silentProtection(existing: KeysStatus['protection']): Protection | null {
    if (this.config.safeStorage && (existing === null || existing === 'safe-storage')) {
      return { kind: 'safe-storage', safeStorage: this.config.safeStorage };
    }
    if (this.config.unencryptedTestStore && (existing === null || existing === 'none')) {
      return { kind: 'unencrypted-test-store' };
    }
    // An unencrypted store someone chose before is opened as such: there is nothing to ask for.
    if (existing === 'none') return { kind: 'unencrypted-test-store' };
    return null;
  }

  async #openWithoutAsking(): Promise<void> {
    const inspection = await inspectKeyStore(this.config.dataDir);
    if (inspection.state === 'newer') return;
    const protection = this.#silentProtection(inspection.state === 'ready' ? inspection.protection : null);
    // A corrupt file is set aside by open() only once the user acts (setup), not by a status query —
    // unless this host would open a fresh store silently anyway.
    if (protection === null) return;
    try {
      await this.#open(protection);
    } catch (error) {
      // The keychain refusing (another user's store, keyring gone) leaves the store closed; status says so.
      if (error instanceof KeyStoreError && (error.code === 'unlock-failed' || error.code === 'encryption-unavailable')) {
        this.#note(error.message);
        return;
      }
      throw error;
    }
  }

  /** One open at a time: two first calls racing must not both create a store. */
  async #open(protection: Protection): Promise<KeyStore> {
    if (this.store) return this.store;
    if (!this.opening) {
      this.opening = KeyStore.open({
        dataDir: this.config.dataDir,
        protection,
        onRecovery: (recovery: StoreRecovery) => this.#note(recovery.message),
        ...(this.config.lockTimeoutMs !== undefined && { lockTimeoutMs: this.config.lockTimeoutMs }),
      })
        .then((store) => {
          this.store = store;
          // Once per opening, whoever else awaits it; a listener's failure is its own, never the opener's.
          for (const listener of this.openListeners) {
            try {
              listener();
            } catch {
              // listeners report their own failures (the history keeps its entries in memory)
            }
          }
          return store;
        })
        .finally(() => {
          this.opening = null;
        });
    }
    this.store = await this.opening;
    return this.store;
  }

  #note(message: string): void {
    if (!this.notices.includes(message)) this.notices.push(message);
  }

  async #status(): Promise<KeysStatus> {
    const setupChoices: KeySetupChoice[] = [
      ...(this.config.safeStorage ? (['safe-storage'] as const) : []),
      'passphrase',
      'unencrypted-test-store',
    ];
    const privateExport = [...(this.config.privateExporter?.destinations ?? [])];
    const notice = this.notices.length > 0 ? this.notices.join(' ') : null;
    if (this.store) {
      const keys = await this.store.list();
      const kind = this.store.protectionKind;
      const setAside = this.store.setAsideEntries;
      return {
        state: 'unlocked',
        protection: kind,
        setupChoices,
        privateExport,
        keyCount: keys.length,
        notice,
        ...(setAside.length > 0 && { setAside }),
      };
    }
    const inspection = await inspectKeyStore(this.config.dataDir);
    switch (inspection.state) {
      case 'absent':
        return { state: 'needs-setup', protection: null, setupChoices, privateExport, keyCount: null, notice };
      case 'corrupt':
      case 'unreadable':
        return {
          state: 'needs-setup',
          protection: null,
          setupChoices,
          privateExport,
          keyCount: null,
          notice: `The key store file ${inspection.file} cannot be read (${inspection.state}); setting up a new store moves it aside, it is not deleted.`,
        };
      case 'newer':
        return {
          state: 'unavailable',
          protection: null,
          setupChoices: [],
          privateExport,
          keyCount: null,
          notice: `The key store ${inspection.file} was written by a newer JWT Workbench; it was left untouched.`,
        };
      case 'ready':
        if (inspection.protection === 'passphrase') {
          return { state: 'locked', protection: 'passphrase', setupChoices, privateExport, keyCount: inspection.keyCount, notice };
        }
        return {
          state: 'unavailable',
          protection: inspection.protection,
          setupChoices: [],
          privateExport,
          keyCount: inspection.keyCount,
          notice:
            notice ??
            'The key store is protected by the OS keychain, which this host cannot use (open it in the desktop app).',
        };
    }
  }
}
