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
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const name = info.label || info.kid;
  // What had focus before the dialog (the "Private key…" button), taken at the first render: once the
  // dialog is modal, the page behind cannot hold focus.
  const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));

  // A modal <dialog>: showModal() makes the rest of the page inert (focus stays inside, nothing behind
  // can be clicked), draws the ::backdrop, and turns Escape into a 'cancel' event. jsdom has no
  // showModal, so there the dialog is only opened. On close, focus goes back to whatever opened it.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    }
    first.current?.focus();
    return () => {
      // Unmounting removes the dialog from the top layer; it only has to give focus back.
      if (opener?.isConnected) opener.focus();
    };
  }, [opener]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!understood || !destination) return;
    setOutcome(await exportPrivate(info.id, format, destination));
  }

  return (
    <dialog
      ref={dialog}
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-warning`}
      className="keys-dialog"
      onCancel={(event) => {
        // Escape: the parent unmounts the dialog (and the effect above restores focus).
        event.preventDefault();
        onClose();
      }}
      // Should the browser close it anyway (a cancel it does not let a page prevent), follow it.
      onClose={onClose}
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
          <button type="submit" className="button button-danger" disabled={!understood || !destination || busy}>
            {busy ? 'Exporting…' : 'Export private key'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {outcome ? 'Close' : 'Cancel'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
