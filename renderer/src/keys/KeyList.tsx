import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { PublicExport, PublicExportFormat, StoredKeyInfo } from '../../../shared/contract/keys';
import { useWorkbench } from '../store/context';
import { PrivateExportDialog } from './PrivateExportDialog';
import { copyText, downloadText } from './text-transfer';

/** The stored keys with their facts, editable label and kid, and public / private export. */
export function KeyList({ keys }: { keys: StoredKeyInfo[] }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  // The latest export, shown under the button that made it: the JWKS buttons ('list') or a key's own row.
  const [exported, setExported] = useState<{ at: string; result: PublicExport } | null>(null);
  const [privateFor, setPrivateFor] = useState<StoredKeyInfo | null>(null);
  const exportPublic = useWorkbench((s) => s.exportPublicKeys);
  const id = useId();

  const selectable = keys.filter((k) => k.publicJwk !== null);
  const chosen = selectable.filter((k) => selected.has(k.id));

  async function exportKeys(ids: string[], format: PublicExportFormat, at: string) {
    const result = await exportPublic(ids, format);
    if (result) setExported({ at, result });
  }

  function toggle(keyId: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(keyId);
      else next.delete(keyId);
      return next;
    });
  }

  if (keys.length === 0) {
    return (
      <section className="keys-card" aria-labelledby={`${id}-title`}>
        <h2 id={`${id}-title`}>Stored keys</h2>
        <p className="keys-hint">No keys yet: generate one or import one above.</p>
      </section>
    );
  }

  return (
    <section className="keys-card keys-list" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Stored keys</h2>
      <div className="keys-actions">
        <button type="button" className="button" disabled={chosen.length === 0} onClick={() => void exportKeys(chosen.map((k) => k.id), 'jwks', LIST)}>
          Export JWKS of selected ({chosen.length})
        </button>
        <button type="button" className="button" disabled={selectable.length === 0} onClick={() => void exportKeys(selectable.map((k) => k.id), 'jwks', LIST)}>
          Export JWKS of all public keys
        </button>
      </div>
      {exported?.at === LIST && <ExportOutput exported={exported.result} onClose={() => setExported(null)} />}
      <ul className="keys-items">
        {keys.map((key) => (
          <KeyItem
            key={key.id}
            info={key}
            selected={selected.has(key.id)}
            onSelect={(on) => toggle(key.id, on)}
            onExport={(format) => void exportKeys([key.id], format, key.id)}
            onExportPrivate={() => setPrivateFor(key)}
            exported={exported?.at === key.id ? exported.result : null}
            onCloseExport={() => setExported(null)}
          />
        ))}
      </ul>
      {privateFor && <PrivateExportDialog info={privateFor} onClose={() => setPrivateFor(null)} />}
    </section>
  );
}

/** Where the JWKS exports show: under the list's own buttons (a key's exports show under the key). */
const LIST = 'list';

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function KeyItem(props: {
  info: StoredKeyInfo;
  selected: boolean;
  onSelect(on: boolean): void;
  onExport(format: 'jwk' | 'pem'): void;
  onExportPrivate(): void;
  exported: PublicExport | null;
  onCloseExport(): void;
}) {
  const { info } = props;
  const [editing, setEditing] = useState(false);
  const [confirmRemove, setConfirmRemove] = useState(false);
  const remove = useWorkbench((s) => s.removeStoredKey);
  const id = useId();
  const name = info.label || info.kid;

  return (
    <li className="keys-item" aria-labelledby={`${id}-name`}>
      <div className="keys-item-head">
        {info.publicJwk !== null && (
          <input type="checkbox" checked={props.selected} onChange={(e) => props.onSelect(e.target.checked)} aria-label={`Select ${name} for the JWKS`} />
        )}
        <h3 id={`${id}-name`}>{name}</h3>
        <span className="keys-badge">{info.description}</span>
        {!info.hasPrivate && <span className="keys-badge keys-badge-muted">public only</span>}
      </div>
      {editing ? (
        <EditKeyForm info={info} onDone={() => setEditing(false)} />
      ) : (
        <dl className="keys-facts">
          <dt>kid</dt>
          <dd className="keys-mono">{info.kid}</dd>
          <dt>Algorithms</dt>
          <dd>{info.algorithms.join(', ') || 'none'}</dd>
          <dt>Thumbprint</dt>
          <dd className="keys-mono" title="RFC 7638 SHA-256 thumbprint">
            {info.thumbprint}
          </dd>
          <dt>Created</dt>
          <dd>
            <time dateTime={info.createdAt}>{formatDate(info.createdAt)}</time>
          </dd>
        </dl>
      )}
      <div className="keys-actions">
        {!editing && (
          <button type="button" className="button button-small" onClick={() => setEditing(true)} aria-label={`Edit label and kid of ${name}`}>
            Edit
          </button>
        )}
        {info.publicJwk !== null && (
          <>
            <button type="button" className="button button-small" onClick={() => props.onExport('jwk')} aria-label={`Export public JWK of ${name}`}>
              Public JWK
            </button>
            <button type="button" className="button button-small" onClick={() => props.onExport('pem')} aria-label={`Export public PEM of ${name}`}>
              Public PEM
            </button>
          </>
        )}
        {info.hasPrivate && (
          <button type="button" className="button button-small button-danger" onClick={props.onExportPrivate} aria-label={`Export private key of ${name}…`}>
            Private key…
          </button>
        )}
        {confirmRemove ? (
          <span role="group" aria-label={`Confirm removing ${name}`}>
            <span>Remove {name} from the store?</span>{' '}
            <button type="button" className="button button-small button-danger" onClick={() => void remove(info.id)}>
              Remove
            </button>{' '}
            <button type="button" className="button button-small" onClick={() => setConfirmRemove(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button-small" onClick={() => setConfirmRemove(true)} aria-label={`Remove ${name}`}>
            Remove
          </button>
        )}
      </div>
      {props.exported && <ExportOutput exported={props.exported} onClose={props.onCloseExport} />}
    </li>
  );
}

function EditKeyForm({ info, onDone }: { info: StoredKeyInfo; onDone(): void }) {
  const update = useWorkbench((s) => s.updateStoredKey);
  const busy = useWorkbench((s) => s.keysPending.includes('update'));
  const [label, setLabel] = useState(info.label);
  const [kid, setKid] = useState(info.kid);
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const changes = { ...(label !== info.label && { label }), ...(kid !== info.kid && { kid }) };
    if (Object.keys(changes).length === 0 || (await update(info.id, changes))) onDone();
  }

  return (
    <form className="keys-fields keys-fields-row" onSubmit={(e) => void submit(e)} aria-label={`Edit ${info.label || info.kid}`}>
      <div className="field">
        <label htmlFor={`${id}-label`}>Label</label>
        <input id={`${id}-label`} value={label} onChange={(e) => setLabel(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-kid`}>kid</label>
        <input id={`${id}-kid`} value={kid} onChange={(e) => setKid(e.target.value)} required className="keys-mono" />
      </div>
      <button type="submit" className="button button-primary" disabled={busy || kid.trim() === ''}>
        Save
      </button>
      <button type="button" className="button" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}

function ExportOutput({ exported, onClose }: { exported: PublicExport; onClose(): void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const section = useRef<HTMLElement>(null);
  const id = useId();
  // Bring each new export into view where it appears (jsdom has no scrollIntoView).
  useEffect(() => {
    section.current?.scrollIntoView?.({ block: 'nearest' });
  }, [exported]);
  const title = exported.format === 'jwks' ? 'JWKS' : exported.format === 'jwk' ? 'Public JWK' : 'Public PEM';
  return (
    <section ref={section} className="keys-export" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {title} <span className="keys-hint">({exported.fileName})</span>
      </h3>
      <textarea readOnly className="keys-text" rows={8} value={exported.text} aria-label={`Exported ${title}`} />
      <div className="keys-actions">
        <button
          type="button"
          className="button button-small"
          onClick={() => void copyText(exported.text).then((copied) => setCopied(copied ? 'Copied.' : 'The clipboard refused; select the text and copy it.'))}
        >
          Copy
        </button>
        <button type="button" className="button button-small" onClick={() => downloadText(exported.fileName, exported.text, exported.mediaType)}>
          Download {exported.fileName}
        </button>
        <button type="button" className="button button-small" onClick={onClose}>
          Close
        </button>
        <span role="status" className="keys-status-line">
          {copied}
        </span>
      </div>
    </section>
  );
}
