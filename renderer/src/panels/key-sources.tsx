/**
 * The verification panel's key sources, one entry each: its label and the fields that enter it.
 * A new source (a stored key from the key store: `{ type: 'stored', id }`) is one more entry here plus
 * its KeyInput in store/verify-slice.ts; `Record<KeySource, …>` makes the compiler ask for both.
 */
import type { ComponentType } from 'react';
import { classifyKeyText } from '../../../shared/core/key-kind';
import { EMBEDDED_KEY_LABEL, embeddedKeys } from '../../../shared/core/token-key';
import { SECRET_ENCODINGS } from '../../../shared/core/secret';
import type { SecretEncoding } from '../../../shared/core/secret';
import type { KeySource } from '../store';
import { useWorkbench } from '../store/context';
import { StoredKeyPicker } from '../keys/StoredKeyPicker';

export interface KeySourceEntry {
  label: string;
  Editor: ComponentType;
}

export const KEY_SOURCES: Record<KeySource, KeySourceEntry> = {
  secret: { label: 'Secret (HMAC)', Editor: SecretEditor },
  pem: { label: 'PEM key or X.509 certificate', Editor: () => <KeyTextEditor placeholder={'-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----'} /> },
  jwk: { label: 'JWK', Editor: () => <KeyTextEditor placeholder={'{"kty": "RSA", "n": "…", "e": "AQAB"}'} /> },
  jwks: { label: 'JWKS', Editor: JwksEditor },
  stored: { label: 'Stored key', Editor: StoredKeyPicker },
  'token-key': { label: "Token's own key (self-asserted)", Editor: TokenKeyNote },
};

/** Entries in menu order. */
export const KEY_SOURCE_ORDER = Object.keys(KEY_SOURCES) as KeySource[];

const noAutofill = { spellCheck: false, autoCapitalize: 'off', autoComplete: 'off', autoCorrect: 'off' } as const;

function SecretEditor() {
  const keyText = useWorkbench((s) => s.keyText);
  const encoding = useWorkbench((s) => s.secretEncoding);
  const setKeyText = useWorkbench((s) => s.setKeyText);
  const setSecretEncoding = useWorkbench((s) => s.setSecretEncoding);
  return (
    <div className="field-row">
      <div className="field field-grow">
        <label htmlFor="key-text">Secret</label>
        <input id="key-text" type="text" className="mono" value={keyText} onChange={(e) => setKeyText(e.target.value)} {...noAutofill} />
        <KindMismatch source="secret" text={keyText} />
      </div>
      <div className="field">
        <label htmlFor="secret-encoding">Encoding</label>
        <select id="secret-encoding" value={encoding} onChange={(e) => setSecretEncoding(e.target.value as SecretEncoding)}>
          {SECRET_ENCODINGS.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function KeyTextEditor({ placeholder }: { placeholder: string }) {
  const keyText = useWorkbench((s) => s.keyText);
  const keySource = useWorkbench((s) => s.keySource);
  const setKeyText = useWorkbench((s) => s.setKeyText);
  return (
    <div className="field">
      <label htmlFor="key-text">Key</label>
      <textarea
        id="key-text"
        className="mono key-text"
        value={keyText}
        onChange={(e) => setKeyText(e.target.value)}
        placeholder={placeholder}
        rows={6}
        {...noAutofill}
      />
      <KindMismatch source={keySource} text={keyText} />
    </div>
  );
}

/** The menu's name of each source the classifier can suggest. */
const SHORT_NAME = { secret: 'Secret', pem: 'PEM', jwk: 'JWK', jwks: 'JWKS' } as const;

/**
 * A key pasted under the wrong key type: says what it looks like and offers to switch, taking the text
 * along (the box it leaves is emptied). A JWK in the JWKS box is read as a one-key set, so no note there.
 */
function KindMismatch({ source, text }: { source: KeySource; text: string }) {
  const moveKeyTextTo = useWorkbench((s) => s.moveKeyTextTo);
  const kind = classifyKeyText(text);
  if (kind.source === null || kind.source === source || (source === 'jwks' && kind.source === 'jwk')) return null;
  const target = kind.source;
  return (
    <p className="field-note key-kind-note">
      This looks like {kind.description} — switch to {SHORT_NAME[target]}?{' '}
      <button type="button" className="button-quiet" onClick={() => moveKeyTextTo(target)}>
        Switch to {SHORT_NAME[target]}
      </button>
    </p>
  );
}

/** A pasted JWKS, or one fetched from a URL through the host — only when the button is pressed. */
function JwksEditor() {
  const url = useWorkbench((s) => s.jwksUrl);
  const setUrl = useWorkbench((s) => s.setJwksUrl);
  const fetchJwks = useWorkbench((s) => s.fetchJwks);
  const status = useWorkbench((s) => s.jwksFetch);
  return (
    <>
      <form
        className="field-row"
        onSubmit={(e) => {
          e.preventDefault();
          void fetchJwks();
        }}
      >
        <div className="field field-grow">
          <label htmlFor="jwks-url">JWKS URL</label>
          <input id="jwks-url" type="url" className="mono" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://issuer.example.com/.well-known/jwks.json" {...noAutofill} />
        </div>
        <button type="submit" className="button" disabled={url.trim() === '' || status.status === 'pending'}>
          Fetch
        </button>
      </form>
      <p className="field-note" role="status">
        {status.status === 'pending'
          ? 'Fetching…'
          : status.status === 'done'
            ? `Fetched ${status.keys} key${status.keys === 1 ? '' : 's'} from ${status.url}`
            : status.status === 'failed'
              ? `Could not fetch: ${status.error.message}`
              : 'Fetched by the app only when you press Fetch.'}
      </p>
      <KeyTextEditor placeholder={'{"keys": [ … ]}'} />
    </>
  );
}

/** What "Token's own key" uses: said plainly, since a valid signature under it proves nothing about the signer. */
function TokenKeyNote() {
  const decoded = useWorkbench((s) => s.decoded);
  const [first] = decoded ? embeddedKeys(decoded) : [];
  return (
    <p className="field-note self-asserted-note">
      {first
        ? `Verifies with ${EMBEDDED_KEY_LABEL[first.kind]}${'url' in first ? ', fetched by the app now' : ''}. A valid signature then shows only that the token was not altered after it was signed — not who signed it: anyone can sign with a key of their own and name it in the header.`
        : 'This token names no key of its own (no jwk, x5c, jku or x5u in its header).'}
    </p>
  );
}
