import { useEffect } from 'react';
import type { KeysOperation } from '../store/keys-slice';
import { useWorkbench } from '../store/context';
import { GenerateKeyForm } from '../keys/GenerateKeyForm';
import { ImportKeyForm } from '../keys/ImportKeyForm';
import { KeyList } from '../keys/KeyList';
import { KeyStoreGate } from '../keys/KeyStoreGate';

const FAILED: Record<KeysOperation, string> = {
  status: 'Reading the key store failed',
  setup: 'Setting up the key store failed',
  unlock: 'Unlocking failed',
  reset: 'Starting over failed',
  generate: 'Generating the key failed',
  import: 'Nothing was imported',
  update: 'Saving the key failed',
  remove: 'Removing the key failed',
  'export-public': 'Export failed',
  'export-private': 'Private key export failed',
};

const PROTECTION: Record<string, string> = {
  'safe-storage': 'encrypted with the OS keychain',
  passphrase: 'encrypted with your passphrase',
  none: 'UNENCRYPTED test store',
};

/** The Keys view (issue 4): set up or unlock the store, then generate, import, inspect and export keys. */
export function KeysView() {
  const status = useWorkbench((s) => s.keysStatus);
  const keys = useWorkbench((s) => s.keys);
  const failure = useWorkbench((s) => s.keysError);
  const loading = useWorkbench((s) => s.keysPending.includes('status'));
  const loadKeys = useWorkbench((s) => s.loadKeys);
  const clearError = useWorkbench((s) => s.clearKeysError);

  useEffect(() => {
    void loadKeys();
  }, [loadKeys]);

  return (
    <main className="workspace keys-view" aria-labelledby="keys-view-title" aria-busy={loading}>
      <header className="keys-view-header">
        <h2 id="keys-view-title">Keys</h2>
        {status?.state === 'unlocked' && (
          <p className={status.protection === 'none' ? 'keys-warning' : 'keys-hint'}>
            {keys.length} key{keys.length === 1 ? '' : 's'}, {PROTECTION[status.protection ?? ''] ?? 'protected'}.
          </p>
        )}
      </header>
      {status?.notice && (
        <p className="keys-warning" role="note">
          {status.notice}
        </p>
      )}
      {failure && (
        <div role="alert" className="keys-error">
          <strong>{FAILED[failure.operation]}:</strong> {failure.error.message}{' '}
          <span className="keys-hint">({failure.error.code})</span>{' '}
          <button type="button" className="button button-small" onClick={clearError} aria-label="Dismiss the error">
            ×
          </button>
        </div>
      )}
      {status === null && !failure && <p className="keys-hint">Opening the key store…</p>}
      {status?.state === 'unavailable' && <p className="keys-error">The key store cannot be used in this host.</p>}
      {(status?.state === 'needs-setup' || status?.state === 'locked') && <KeyStoreGate status={status} />}
      {status?.state === 'unlocked' && (
        <div className="keys-layout">
          <div className="keys-column">
            <GenerateKeyForm />
            <ImportKeyForm />
          </div>
          <KeyList keys={keys} />
        </div>
      )}
    </main>
  );
}
