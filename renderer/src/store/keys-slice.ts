import type { StateCreator } from 'zustand';
import type { HostError, MethodName, RequestOf, ResponseOf } from '../../../shared/contract';
import type {
  KeySetupChoice,
  KeysImportResult,
  KeysStatus,
  PrivateExportDestination,
  PrivateExportOutcome,
  PublicExport,
  PublicExportFormat,
  StoredKeyInfo,
} from '../../../shared/contract/keys';
import type { KeyInput } from '../../../shared/core/keys';
import { callHost } from './host-call';
import type { WorkbenchDeps, WorkbenchState } from './types';

/** The key store operations the Keys view shows progress for, one at a time per kind. */
export type KeysOperation = 'status' | 'setup' | 'unlock' | 'reset' | 'generate' | 'import' | 'update' | 'remove' | 'export-public' | 'export-private';

/**
 * The key store as the renderer sees it (issue 4): its state, the stored keys' public facts, and the
 * operation in progress. Everything goes through the host: private key material never reaches here.
 * Actions resolve to their value, or null after recording the host's error in `keysError`.
 */
export interface KeysSlice {
  keysStatus: KeysStatus | null;
  keys: StoredKeyInfo[];
  /** Operations under way (generation of an RSA 4096 key takes seconds; the UI stays live). */
  keysPending: KeysOperation[];
  /** The last failure, with the host's specific code and message; cleared by the next success. */
  keysError: { operation: KeysOperation; error: HostError } | null;
  /** The stored key the debugger verifies and signs with (key source "Stored key"). */
  storedKeyId: string | null;
  /** Chooses it; when the debugger's key source is "stored", the token is re-verified (and an edit re-signed). */
  selectStoredKey(id: string | null): void;
  loadKeys(): Promise<void>;
  setupKeyStore(choice: KeySetupChoice, passphrase?: string): Promise<KeysStatus | null>;
  unlockKeyStore(passphrase: string): Promise<KeysStatus | null>;
  /** Moves a store that cannot be opened aside (forgotten passphrase) so a new one can be set up. */
  resetKeyStore(): Promise<KeysStatus | null>;
  generateStoredKey(request: RequestOf<'keys.generate'>): Promise<StoredKeyInfo | null>;
  importKeys(input: KeyInput, label?: string): Promise<KeysImportResult | null>;
  updateStoredKey(id: string, changes: { label?: string; kid?: string }): Promise<StoredKeyInfo | null>;
  removeStoredKey(id: string): Promise<boolean>;
  exportPublicKeys(ids: string[], format: PublicExportFormat): Promise<PublicExport | null>;
  exportPrivateKey(id: string, format: 'jwk' | 'pem', destination: PrivateExportDestination): Promise<PrivateExportOutcome | null>;
  clearKeysError(): void;
}

/** Stored keys that fit a token's alg: for signing only those with a private part. */
export function keysFittingAlg(keys: readonly StoredKeyInfo[], alg: string | null, purpose: 'sign' | 'verify'): StoredKeyInfo[] {
  return keys.filter((key) => (alg === null || key.algorithms.includes(alg)) && (purpose === 'verify' || key.hasPrivate));
}

export const createKeysSlice =
  (deps: WorkbenchDeps): StateCreator<WorkbenchState, [], [], KeysSlice> =>
  (set, get) => {
    /** One host call with its pending mark and error recording; null on failure. */
    async function run<M extends MethodName>(operation: KeysOperation, method: M, request: RequestOf<M>): Promise<ResponseOf<M> | null> {
      set((state) => ({ keysPending: [...state.keysPending, operation] }));
      const outcome = await callHost(deps.host, method, request);
      set((state) => {
        const pending = [...state.keysPending];
        pending.splice(pending.indexOf(operation), 1);
        return outcome.ok ? { keysPending: pending, keysError: null } : { keysPending: pending, keysError: { operation, error: outcome.error } };
      });
      return outcome.ok ? outcome.value : null;
    }

    async function refreshList(): Promise<void> {
      const keys = await run('status', 'keys.list', {});
      if (keys) set({ keys });
    }

    async function afterStatus(status: KeysStatus | null): Promise<KeysStatus | null> {
      if (!status) return null;
      set({ keysStatus: status, ...(status.state !== 'unlocked' && { keys: [] }) });
      if (status.state === 'unlocked') await refreshList();
      return status;
    }

    return {
      keysStatus: null,
      keys: [],
      keysPending: [],
      keysError: null,
      storedKeyId: null,

      selectStoredKey(id) {
        if (get().storedKeyId === id) return;
        set({ storedKeyId: id });
        if (get().keySource !== 'stored') return;
        // The same follow-ups as any key change in the debugger (see verify-slice's keyChanged).
        get().relint();
        get().recompose();
        get().scheduleVerify();
      },

      async loadKeys() {
        await afterStatus(await run('status', 'keys.status', {}));
      },

      async setupKeyStore(choice, passphrase) {
        const request: RequestOf<'keys.setup'> =
          choice === 'passphrase' ? { protection: 'passphrase', passphrase: passphrase ?? '' } : { protection: choice };
        return afterStatus(await run('setup', 'keys.setup', request));
      },

      async unlockKeyStore(passphrase) {
        return afterStatus(await run('unlock', 'keys.unlock', { passphrase }));
      },

      async resetKeyStore() {
        return afterStatus(await run('reset', 'keys.reset', { confirmed: true }));
      },

      async generateStoredKey(request) {
        const key = await run('generate', 'keys.generate', request);
        if (key) set((state) => ({ keys: [...state.keys, key] }));
        return key;
      },

      async importKeys(input, label) {
        const result = await run('import', 'keys.import', { input, ...(label && { label }) });
        if (result && result.imported.length > 0) await refreshList();
        return result;
      },

      async updateStoredKey(id, changes) {
        const key = await run('update', 'keys.update', { id, ...changes });
        if (key) set((state) => ({ keys: state.keys.map((k) => (k.id === id ? key : k)) }));
        return key;
      },

      async removeStoredKey(id) {
        const removed = await run('remove', 'keys.remove', { id });
        if (removed) set((state) => ({ keys: state.keys.filter((k) => k.id !== id) }));
        if (removed && get().storedKeyId === id) get().selectStoredKey(null);
        return removed !== null;
      },

      async exportPublicKeys(ids, format) {
        return run('export-public', 'keys.exportPublic', { ids, format });
      },

      async exportPrivateKey(id, format, destination) {
        return run('export-private', 'keys.exportPrivate', { id, format, destination, confirmed: true });
      },

      clearKeysError() {
        if (get().keysError) set({ keysError: null });
      },
    };
  };
