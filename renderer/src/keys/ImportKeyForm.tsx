import { useId, useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import type { KeyInput, SecretEncoding } from '../../../shared/core/keys';
import { useWorkbench } from '../store/context';
import { readKeyFile } from './text-transfer';

type ImportKind = 'auto' | 'pem' | 'jwk' | 'jwks' | 'secret';

const KIND_LABELS: Record<ImportKind, string> = {
  auto: 'Detect (PEM, certificate, JWK or JWKS)',
  pem: 'PEM (key or certificate)',
  jwk: 'JWK',
  jwks: 'JWKS (several keys)',
  secret: 'HMAC secret',
};
const ENCODINGS: SecretEncoding[] = ['utf8', 'base64', 'base64url', 'hex'];

/** Imports key text pasted or dropped as a file. The host validates every key; nothing is imported on any error. */
export function ImportKeyForm() {
  const importKeys = useWorkbench((s) => s.importKeys);
  const busy = useWorkbench((s) => s.keysPending.includes('import'));
  const [text, setText] = useState('');
  const [kind, setKind] = useState<ImportKind>('auto');
  const [encoding, setEncoding] = useState<SecretEncoding>('utf8');
  const [label, setLabel] = useState('');
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const id = useId();

  async function takeFile(file: File | undefined) {
    setOutcome(null);
    if (!file) return;
    const read = await readKeyFile(file);
    if (!read.ok) {
      setFileProblem(read.message);
      return;
    }
    setFileProblem(null);
    setText(read.text);
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const files = event.dataTransfer.files;
    if (files.length > 1) {
      setFileProblem(`Drop one file at a time (got ${files.length}); a JWKS holds several keys.`);
      return;
    }
    void takeFile(files[0]);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    const input: KeyInput = kind === 'secret' ? { type: 'secret', value: text, encoding } : { type: kind, value: text };
    const result = await importKeys(input, label.trim() || undefined);
    if (!result) return;
    const added = result.imported.length;
    const known = result.existing.length;
    setOutcome(
      [added > 0 && `Imported ${added} key${added === 1 ? '' : 's'}.`, known > 0 && `${known} already in the store (left as is).`]
        .filter(Boolean)
        .join(' '),
    );
    setText('');
    setLabel('');
  }

  return (
    <form className="keys-card keys-import" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <h2 id={`${id}-title`}>Import keys</h2>
      <div
        className={`keys-drop${dragging ? ' keys-drop-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="keys-drop-zone"
      >
        <div className="field">
          <label htmlFor={`${id}-text`}>Key text</label>
          <textarea
            id={`${id}-text`}
            className="keys-text"
            rows={6}
            spellCheck={false}
            autoComplete="off"
            placeholder="Paste a PEM, certificate, JWK, JWKS or secret — or drop a file here"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        <button type="button" className="button keys-file-button" onClick={() => fileInput.current?.click()}>
          Choose a file…
        </button>
        <input
          ref={fileInput}
          type="file"
          hidden
          aria-label="Key file"
          accept=".pem,.crt,.cer,.key,.pub,.json,.jwk,.jwks,.txt"
          onChange={(e) => {
            void takeFile(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
      </div>
      {fileProblem && (
        <p role="alert" className="keys-error">
          {fileProblem}
        </p>
      )}
      <div className="keys-fields keys-fields-row">
        <div className="field">
          <label htmlFor={`${id}-kind`}>Format</label>
          <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as ImportKind)}>
            {(Object.keys(KIND_LABELS) as ImportKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        {kind === 'secret' && (
          <div className="field">
            <label htmlFor={`${id}-enc`}>Secret encoding</label>
            <select id={`${id}-enc`} value={encoding} onChange={(e) => setEncoding(e.target.value as SecretEncoding)}>
              {ENCODINGS.map((e) => (
                <option key={e} value={e}>
                  {e}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-label`}>Label for the imported keys</label>
          <input id={`${id}-label`} value={label} placeholder="optional" onChange={(e) => setLabel(e.target.value)} />
        </div>
      </div>
      <div className="keys-actions">
        <button type="submit" className="button button-primary" disabled={busy || text.trim() === ''}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        <span role="status" className="keys-status-line">
          {outcome}
        </span>
      </div>
    </form>
  );
}
