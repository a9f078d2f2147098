import { useEffect, useMemo, useState } from 'react';
import type { DecryptResponse, StoredKeyInfo } from '../../../shared/contract';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../../../shared/core/jwe';
import type { ContentEncryptionAlgorithm, KeyManagementAlgorithm } from '../../../shared/core/jwe';
import { isBlankInput } from '../store';
import type { EncryptKeySource, JweKeySource } from '../store';
import { useWorkbench } from '../store/context';

/**
 * The debugger's JWE tools, in the left column under Verification: "Decrypt" for a JWE on screen (on the
 * button press only: the host decrypts, a stored key by id), the inner token of a nested JWT opened in
 * place with the way back to its JWE, and the Encrypt panel (opened by "Encrypt…" beside the Encoded
 * pane's menus) for the token on screen or a payload.
 */
export function JwePanel() {
  const isJwe = useWorkbench((s) => s.decoded?.kind === 'jwe');
  const showBack = useWorkbench((s) => s.outerJwe !== null && s.decoded?.kind !== 'jwe');
  const encryptOpen = useWorkbench((s) => s.encryptOpen);
  return (
    <>
      {isJwe && <DecryptPanel />}
      {showBack && <InnerTokenBanner />}
      {encryptOpen && <EncryptPanel />}
    </>
  );
}

/** "Encrypt…" beside the Encoded pane's menus: opens the Encrypt panel for the token on screen or a payload. */
export function EncryptButton() {
  const openEncrypt = useWorkbench((s) => s.openEncrypt);
  return (
    <button type="button" className="button-quiet" onClick={openEncrypt}>
      Encrypt…
    </button>
  );
}

const noAutofill = { spellCheck: false, autoCapitalize: 'off', autoComplete: 'off', autoCorrect: 'off' } as const;

const DECRYPT_SOURCES: ReadonlyArray<readonly [JweKeySource, string]> = [
  ['pem', 'Private key (PEM)'],
  ['jwk', 'JWK (private, or oct)'],
  ['jwks', 'JWKS (picked by kid)'],
  ['password', 'Password (PBES2)'],
  ['stored', 'Stored key'],
];

const ENCRYPT_SOURCES: ReadonlyArray<readonly [EncryptKeySource, string]> = [
  ['pem', 'Public key (PEM) or certificate'],
  ['jwk', 'JWK (public, or oct)'],
  ['secret', 'Secret (utf8)'],
  ['password', 'Password (PBES2)'],
  ['stored', 'Stored key'],
];

/** The key types a key management algorithm takes (stored keys: RSA, EC, or a secret). */
function storedKeyFits(alg: string, key: StoredKeyInfo): boolean {
  if (alg.startsWith('PBES2')) return false;
  if (alg.startsWith('RSA')) return key.kty === 'RSA';
  if (alg.startsWith('ECDH-ES')) return key.kty === 'EC';
  return key.kty === 'oct';
}

/** A select of the stored keys that fit `alg` (for decrypting: with a private part). No key material here. */
function StoredJweKey({ id, label, alg, needsPrivate, value, onChange }: { id: string; label: string; alg: string; needsPrivate: boolean; value: string | null; onChange: (id: string | null) => void }) {
  const status = useWorkbench((s) => s.keysStatus);
  const keys = useWorkbench((s) => s.keys);
  const loadKeys = useWorkbench((s) => s.loadKeys);
  useEffect(() => {
    if (status === null) void loadKeys();
  }, [status, loadKeys]);
  const fitting = useMemo(() => keys.filter((k) => storedKeyFits(alg, k) && (!needsPrivate || k.hasPrivate)), [keys, alg, needsPrivate]);
  if (status === null) return <p className="field-note">Opening the key store…</p>;
  if (status.state !== 'unlocked') {
    return <p className="field-note">{status.state === 'locked' ? 'The key store is locked: unlock it in the Keys view.' : 'Set up the key store in the Keys view first.'}</p>;
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : e.target.value)}>
        <option value="">{fitting.length === 0 ? `No stored key fits ${alg}` : 'Choose a key…'}</option>
        {fitting.map((key) => (
          <option key={key.id} value={key.id}>{`${key.label} — ${key.description}, kid ${key.kid}`}</option>
        ))}
      </select>
    </div>
  );
}

function prettyPlaintext(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function DecryptPanel() {
  const header = useWorkbench((s) => (s.decoded?.kind === 'jwe' ? s.decoded.header : null));
  const input = useWorkbench((s) => s.input);
  const source = useWorkbench((s) => s.jweKeySource);
  const keyText = useWorkbench((s) => s.jweKeyText);
  const storedId = useWorkbench((s) => s.jweStoredKeyId);
  const decryption = useWorkbench((s) => s.decryption);
  const setSource = useWorkbench((s) => s.setJweKeySource);
  const setKeyText = useWorkbench((s) => s.setJweKeyText);
  const setStored = useWorkbench((s) => s.setJweStoredKey);
  const decrypt = useWorkbench((s) => s.decryptToken);
  const alg = typeof header?.alg === 'string' ? header.alg : '';
  const enc = typeof header?.enc === 'string' ? header.enc : '';
  // A result is about the token it was asked for: another token on screen shows none.
  const shown = decryption.status !== 'idle' && decryption.token === input ? decryption : null;

  return (
    <section className="panel jwe-decrypt" aria-labelledby="decrypt-title">
      <div className="panel-head">
        <h2 id="decrypt-title">Decrypt</h2>
      </div>
      <p className="field-note">
        {alg !== '' ? (
          <>
            Encrypted with <code>{alg}</code>
            {enc !== '' && (
              <>
                {' '}
                / <code>{enc}</code>
              </>
            )}
            : decrypt it with the recipient’s key.
          </>
        ) : (
          'Decrypt it with the recipient’s key.'
        )}
      </p>
      <form
        className="jwe-form"
        onSubmit={(e) => {
          e.preventDefault();
          void decrypt();
        }}
      >
        <div className="field">
          <label htmlFor="jwe-key-source">Decryption key type</label>
          <select id="jwe-key-source" value={source} onChange={(e) => setSource(e.target.value as JweKeySource)}>
            {DECRYPT_SOURCES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {source === 'stored' ? (
          <StoredJweKey id="jwe-stored-key" label="Decryption stored key" alg={alg} needsPrivate value={storedId} onChange={setStored} />
        ) : source === 'password' ? (
          <div className="field">
            <label htmlFor="jwe-key-text">Password</label>
            <input id="jwe-key-text" type="password" value={keyText} onChange={(e) => setKeyText(e.target.value)} {...noAutofill} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="jwe-key-text">Decryption key</label>
            <textarea
              id="jwe-key-text"
              className="mono key-text"
              rows={5}
              value={keyText}
              onChange={(e) => setKeyText(e.target.value)}
              placeholder={source === 'pem' ? '-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----' : '{"kty": "RSA", "n": "…", "d": "…"}'}
              {...noAutofill}
            />
          </div>
        )}
        <div className="jwe-buttons">
          <button type="submit" className="button button-primary" disabled={shown?.status === 'decrypting'}>
            Decrypt
          </button>
          {shown?.status === 'decrypting' && (
            <span className="muted" role="status">
              Decrypting…
            </span>
          )}
        </div>
      </form>
      {shown?.status === 'failed' && <DecryptFailure error={shown.error} />}
      {shown?.status === 'done' && <DecryptResult result={shown.result} />}
    </section>
  );
}

function Warnings({ warnings, label }: { warnings: readonly string[]; label: string }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="key-warnings jwe-warnings" aria-label={label}>
      {warnings.map((w) => (
        <li key={w}>
          <span className="severity severity-warning">Warning</span> {w}
        </li>
      ))}
    </ul>
  );
}

function DecryptFailure({ error }: { error: { code: string; message: string; details?: Record<string, unknown> } }) {
  const warnings = Array.isArray(error.details?.warnings) ? (error.details.warnings as unknown[]).filter((w): w is string => typeof w === 'string') : [];
  return (
    <>
      <p className="jwe-error" role="alert">
        Not decrypted: {error.message} <code>{error.code}</code>
      </p>
      <Warnings warnings={warnings} label="Decryption warnings" />
    </>
  );
}

function DecryptResult({ result }: { result: DecryptResponse }) {
  const openInner = useWorkbench((s) => s.openInnerToken);
  const plaintext = result.plaintext === null ? null : prettyPlaintext(result.plaintext);
  const nested = result.nested;
  return (
    <div className="jwe-result" role="group" aria-label="Decrypted">
      <p className="jwe-ok" role="status">
        Decrypted
      </p>
      <Warnings warnings={result.warnings} label="Decryption warnings" />
      <h3>Header</h3>
      <pre className="jwe-pre" aria-label="Decrypted header" tabIndex={0}>
        {JSON.stringify(result.header, null, 2)}
      </pre>
      {nested !== null && (
        <div className="jwe-nested">
          <p>
            The plaintext is a nested JWT (<code>cty: JWT</code>){nested.kind !== null && <>: a {nested.kind.toUpperCase()}</>}
            {typeof nested.header?.alg === 'string' && (
              <>
                {' '}
                signed with <code>{nested.header.alg}</code>
              </>
            )}
            {nested.error !== null && <> that does not decode ({nested.error.message})</>}. Open it to see its panes, lint and verification.
          </p>
          <button type="button" className="button" onClick={openInner}>
            Open inner token
          </button>
        </div>
      )}
      <h3>Plaintext</h3>
      {plaintext !== null ? (
        <pre className="jwe-pre" aria-label="Plaintext" tabIndex={0}>
          {plaintext}
        </pre>
      ) : (
        <>
          <p className="field-note">Not UTF-8 text: its bytes in base64url.</p>
          <pre className="jwe-pre" aria-label="Plaintext" tabIndex={0}>
            {result.plaintextBase64url}
          </pre>
        </>
      )}
    </div>
  );
}

function InnerTokenBanner() {
  const back = useWorkbench((s) => s.backToJwe);
  return (
    <div className="jwe-inner-banner" role="status">
      <span>The inner token of a JWE (decrypted).</span>
      <button type="button" className="button-quiet" onClick={back}>
        Back to the JWE
      </button>
    </div>
  );
}

function EncryptPanel() {
  const form = useWorkbench((s) => s.encryptForm);
  const encryption = useWorkbench((s) => s.encryption);
  const hasToken = useWorkbench((s) => !isBlankInput(s.input));
  const setForm = useWorkbench((s) => s.setEncryptForm);
  const encrypt = useWorkbench((s) => s.encryptNow);
  const close = useWorkbench((s) => s.closeEncrypt);
  const openEncrypted = useWorkbench((s) => s.openEncrypted);
  const [copied, setCopied] = useState<string | null>(null);

  const copy = async (token: string) => {
    try {
      await navigator.clipboard.writeText(token);
      setCopied('Copied the encrypted token');
    } catch {
      setCopied('The clipboard refused the copy');
    }
  };

  return (
    <section className="panel jwe-encrypt" aria-labelledby="encrypt-title">
      <div className="panel-head">
        <h2 id="encrypt-title">Encrypt</h2>
        <button type="button" className="button-quiet" onClick={close}>
          Close
        </button>
      </div>
      <form
        className="jwe-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCopied(null);
          void encrypt();
        }}
      >
        <div className="field">
          <label htmlFor="encrypt-source">What to encrypt</label>
          <select id="encrypt-source" value={form.source} onChange={(e) => setForm({ source: e.target.value as 'token' | 'payload' })}>
            <option value="token" disabled={!hasToken}>
              The token on screen
            </option>
            <option value="payload">A payload</option>
          </select>
        </div>
        {form.source === 'payload' && (
          <div className="field">
            <label htmlFor="encrypt-payload">Payload to encrypt</label>
            <textarea id="encrypt-payload" className="mono" rows={4} value={form.payloadText} onChange={(e) => setForm({ payloadText: e.target.value })} {...noAutofill} />
          </div>
        )}
        <div className="field-row">
          <div className="field">
            <label htmlFor="encrypt-alg">Key management (alg)</label>
            <select id="encrypt-alg" value={form.alg} onChange={(e) => setForm({ alg: e.target.value as KeyManagementAlgorithm })}>
              {KEY_MANAGEMENT_ALGORITHMS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="encrypt-enc">Content encryption (enc)</label>
            <select id="encrypt-enc" value={form.enc} onChange={(e) => setForm({ enc: e.target.value as ContentEncryptionAlgorithm })}>
              {CONTENT_ENCRYPTION_ALGORITHMS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="field">
          <label htmlFor="encrypt-key-source">Encryption key type</label>
          <select id="encrypt-key-source" value={form.keySource} onChange={(e) => setForm({ keySource: e.target.value as EncryptKeySource })}>
            {ENCRYPT_SOURCES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        {form.keySource === 'stored' ? (
          <StoredJweKey id="encrypt-stored-key" label="Encryption stored key" alg={form.alg} needsPrivate={false} value={form.storedKeyId} onChange={(id) => setForm({ storedKeyId: id })} />
        ) : form.keySource === 'password' || form.keySource === 'secret' ? (
          <div className="field">
            <label htmlFor="encrypt-key-text">{form.keySource === 'password' ? 'Encryption password' : 'Encryption secret'}</label>
            <input id="encrypt-key-text" type="password" value={form.keyText} onChange={(e) => setForm({ keyText: e.target.value })} {...noAutofill} />
          </div>
        ) : (
          <div className="field">
            <label htmlFor="encrypt-key-text">Encryption key</label>
            <textarea
              id="encrypt-key-text"
              className="mono key-text"
              rows={5}
              value={form.keyText}
              onChange={(e) => setForm({ keyText: e.target.value })}
              placeholder={form.keySource === 'pem' ? '-----BEGIN PUBLIC KEY-----\n…\n-----END PUBLIC KEY-----' : '{"kty": "RSA", "n": "…", "e": "AQAB"}'}
              {...noAutofill}
            />
          </div>
        )}
        <label className="jwe-check">
          <input type="checkbox" checked={form.ctyJwt} onChange={(e) => setForm({ ctyJwt: e.target.checked })} />
          <span>
            <code>cty: JWT</code> (a nested token)
          </span>
        </label>
        <div className="jwe-buttons">
          <button type="submit" className="button button-primary" disabled={encryption.status === 'encrypting'}>
            Encrypt
          </button>
          {encryption.status === 'encrypting' && (
            <span className="muted" role="status">
              Encrypting…
            </span>
          )}
        </div>
      </form>
      {encryption.status === 'failed' && (
        <p className="jwe-error" role="alert">
          Not encrypted: {encryption.error.message} <code>{encryption.error.code}</code>
        </p>
      )}
      {encryption.status === 'done' && (
        <div className="jwe-result">
          <label htmlFor="encrypted-token">Encrypted token</label>
          <textarea id="encrypted-token" className="mono" rows={4} readOnly value={encryption.token} />
          <div className="jwe-buttons">
            <button type="button" className="button-quiet" onClick={() => void copy(encryption.token)}>
              Copy
            </button>
            <button type="button" className="button" onClick={openEncrypted}>
              Open in the debugger
            </button>
            <span className="copy-status" role="status" aria-live="polite">
              {copied}
            </span>
          </div>
        </div>
      )}
    </section>
  );
}
