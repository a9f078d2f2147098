import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { PrivateExportDestination, PrivateExportOutcome, StoredKeyInfo } from '../../../shared/contract/keys';
import { useWorkbench } from '../store/context';

/**
 * The private key export, behind an explicit warning. The host writes the key itself (a file, or its
 * own clipboard); this page only learns where it went.
 */
export function PrivateExportDialog({ info, onClose }: { info: StoredKeyInfo; onClose(): void }) {
  const destinations = useWorkbench((s) => s.keysStatus?.privateExport ?? []);
  const exportPrivate = useWorkbench((s) => s.exportPrivateKey);
  const busy = useWorkbench((s) => s.keysPending.includes('export-private'));
  const [format, setFormat] = useState<'pem' | 'jwk'>(info.kty === 'oct' ? 'jwk' : 'pem');
  const [destination, setDestination] = useState<PrivateExportDestination | undefined>(destinations[0]);
  const [understood, setUnderstood] = useState(false);
  const [outcome, setOutcome] = useState<PrivateExportOutcome | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const id = useId();
  const name = info.label || info.kid;

  useEffect(() => first.current?.focus(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!understood || !destination) return;
    setOutcome(await exportPrivate(info.id, format, destination));
  }

  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-warning`}
      className="keys-dialog"
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <form onSubmit={(e) => void submit(e)}>
        <h3 id={`${id}-title`}>Export the private key of {name}</h3>
        <p id={`${id}-warning`} className="keys-warning">
          Anyone with this private key can sign tokens that verifiers trusting {info.kid} accept. Export it only for
          tests, keep the file private, and delete it when done.
        </p>
        {destinations.length === 0 ? (
          <p className="keys-error">This host does not export private keys.</p>
        ) : (
          <>
            <fieldset>
              <legend>Format</legend>
              {info.kty !== 'oct' && (
                <label className="keys-choice">
                  <input ref={first} type="radio" name={`${id}-format`} checked={format === 'pem'} onChange={() => setFormat('pem')} />
                  PEM (PKCS#8)
                </label>
              )}
              <label className="keys-choice">
                <input
                  ref={info.kty === 'oct' ? first : undefined}
                  type="radio"
                  name={`${id}-format`}
                  checked={format === 'jwk'}
                  onChange={() => setFormat('jwk')}
                />
                JWK
              </label>
            </fieldset>
            <fieldset>
              <legend>Destination</legend>
              {destinations.map((d) => (
                <label key={d} className="keys-choice">
                  <input type="radio" name={`${id}-dest`} checked={destination === d} onChange={() => setDestination(d)} />
                  {d === 'file' ? 'Save to a file (written by the app)' : 'Copy to the clipboard (cleared after a minute)'}
                </label>
              ))}
            </fieldset>
            <label className="keys-choice">
              <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />I understand the risk
            </label>
          </>
        )}
        <p role="status" className="keys-status-line">
          {outcome?.status === 'saved' && `Saved to ${outcome.path}`}
          {outcome?.status === 'copied' && `Copied; the clipboard is cleared after ${outcome.clearsAfterSeconds} seconds.`}
          {outcome?.status === 'cancelled' && 'Cancelled: nothing was written.'}
        </p>
        <div className="keys-actions">
          <button type="submit" className="keys-danger" disabled={!understood || !destination || busy}>
            {busy ? 'Exporting…' : 'Export private key'}
          </button>
          <button type="button" onClick={onClose}>
            {outcome ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </div>
  );
}
