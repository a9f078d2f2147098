import { useEffect, useMemo } from 'react';
import { keysFittingAlg } from '../store/keys-slice';
import { useWorkbench } from '../store/context';

/**
 * The debugger's "Stored key" source: a key of the key store, chosen by id. It offers the keys that
 * fit the token's alg; the host verifies and signs with it, so no key material comes to the page.
 */
export function StoredKeyPicker() {
  const status = useWorkbench((s) => s.keysStatus);
  const keys = useWorkbench((s) => s.keys);
  const storedKeyId = useWorkbench((s) => s.storedKeyId);
  const selectStoredKey = useWorkbench((s) => s.selectStoredKey);
  const loadKeys = useWorkbench((s) => s.loadKeys);
  const alg = useWorkbench((s) => {
    const value = s.decoded?.header.alg;
    return typeof value === 'string' ? value : null;
  });

  useEffect(() => {
    if (status === null) void loadKeys();
  }, [status, loadKeys]);

  const fitting = useMemo(() => keysFittingAlg(keys, alg, 'verify'), [keys, alg]);
  const chosen = keys.find((k) => k.id === storedKeyId) ?? null;
  // A chosen key that no longer fits (the alg changed) stays listed, marked, rather than vanish silently.
  const options = chosen && !fitting.includes(chosen) ? [...fitting, chosen] : fitting;

  if (status === null) return <p className="field-note">Opening the key store…</p>;
  if (status.state !== 'unlocked') {
    return (
      <p className="field-note">
        {status.state === 'locked' ? 'The key store is locked: unlock it in the Keys view.' : 'Set up the key store in the Keys view first.'}
      </p>
    );
  }
  return (
    <div className="field">
      <label htmlFor="stored-key">Stored key</label>
      <select id="stored-key" value={storedKeyId ?? ''} onChange={(e) => selectStoredKey(e.target.value === '' ? null : e.target.value)}>
        <option value="">{options.length === 0 ? 'No stored key fits' : 'Choose a key…'}</option>
        {options.map((key) => (
          <option key={key.id} value={key.id}>
            {`${key.label} — ${key.description}, kid ${key.kid}`}
            {!key.hasPrivate ? ' (verify only)' : ''}
            {alg !== null && !key.algorithms.includes(alg) ? ` (does not fit ${alg})` : ''}
          </option>
        ))}
      </select>
      <p className="field-note">
        {alg === null
          ? 'All stored keys are listed; paste a token to see the ones that fit its alg.'
          : fitting.length === 0
            ? `No stored key fits ${alg}: generate or import one in the Keys view.`
            : `Keys that fit ${alg}. Signing an edit needs one with a private part.`}
      </p>
    </div>
  );
}
