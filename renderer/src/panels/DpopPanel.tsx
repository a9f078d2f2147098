import { memo, useEffect, useId, useState } from 'react';
import type { DecodedToken } from '../../../shared/core/token';
import type { DpopRequestFields } from '../store/dpop-slice';
import { useWorkbench } from '../store/context';
import { RunNotice } from './RunNotice';

/**
 * DPoP (RFC 9449) in the debugger: a proof on screen (typ dpop+jwt) is checked as a server would (§4.3), in the
 * page, against the request the user names; an access token with cnf.jkt says which key it is bound to; and
 * "Build a DPoP proof" signs one in the host with a pasted or stored private key.
 */
export function DpopPanel() {
  const isProof = useWorkbench((s) => isDpopProof(s.decoded));
  const boundJkt = useWorkbench((s) => boundThumbprint(s.decoded));
  const builderOpen = useWorkbench((s) => s.dpopBuilderOpen);
  return (
    <>
      {isProof && <ProofChecks />}
      {boundJkt !== null && <BoundToken jkt={boundJkt} />}
      {builderOpen && <ProofBuilder />}
    </>
  );
}

/** "Build a DPoP proof…" beside the Examples, History and Attacks menus: there with or without a token. */
export const DpopMenuButton = memo(function DpopMenuButton() {
  const open = useWorkbench((s) => s.openDpopBuilder);
  return (
    <button type="button" className="button-quiet" onClick={() => open()}>
      Build a DPoP proof…
    </button>
  );
});

/**
 * A JWS whose typ is dpop+jwt (a media type: any case, "application/" optional, RFC 7515 §4.1.9). The literal,
 * not shared/core/dpop's DPOP_TYP: that module (with jose's signer) loads only when a proof is checked.
 */
export function isDpopProof(decoded: DecodedToken | null): boolean {
  const typ = decoded?.header.typ;
  return decoded !== null && decoded.kind !== 'jwe' && typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === 'dpop+jwt';
}

/** The cnf.jkt of a token on screen (RFC 9449 §6.1), or null when it is not DPoP-bound. */
export function boundThumbprint(decoded: DecodedToken | null): string | null {
  const payload = decoded?.payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  const cnf = (payload as { cnf?: unknown }).cnf;
  const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
  return typeof jkt === 'string' && jkt !== '' ? jkt : null;
}

const noAutofill = { spellCheck: false, autoCapitalize: 'off', autoComplete: 'off', autoCorrect: 'off' } as const;

/** HTTP method, URL, access token and nonce: the request a proof is made for or checked against. */
function RequestFields({ fields, onChange }: { fields: DpopRequestFields; onChange(patch: Partial<DpopRequestFields>): void }) {
  const id = useId();
  return (
    <div className="dpop-fields">
      <div className="field dpop-method">
        <label htmlFor={`${id}-htm`}>HTTP method</label>
        <input id={`${id}-htm`} type="text" className="mono" value={fields.htm} placeholder="GET" onChange={(e) => onChange({ htm: e.target.value })} {...noAutofill} />
      </div>
      <div className="field field-grow">
        <label htmlFor={`${id}-htu`}>URL</label>
        <input id={`${id}-htu`} type="url" className="mono" value={fields.htu} placeholder="https://api.example/resource" onChange={(e) => onChange({ htu: e.target.value })} {...noAutofill} />
      </div>
      <div className="field field-grow">
        <label htmlFor={`${id}-at`}>Access token</label>
        <input id={`${id}-at`} type="text" className="mono" value={fields.accessToken} placeholder="optional: checks ath (and cnf.jkt)" onChange={(e) => onChange({ accessToken: e.target.value })} {...noAutofill} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-nonce`}>Nonce</label>
        <input id={`${id}-nonce`} type="text" className="mono" value={fields.nonce} placeholder="optional" onChange={(e) => onChange({ nonce: e.target.value })} {...noAutofill} />
      </div>
    </div>
  );
}

/** The proof on screen, checked per §4.3 against the request entered here, at the debugger's time. */
function ProofChecks() {
  const decoded = useWorkbench((s) => s.decoded);
  const fields = useWorkbench((s) => s.dpopCheckFields);
  const setFields = useWorkbench((s) => s.setDpopCheckFields);
  const check = useWorkbench((s) => s.dpopCheck);
  const runCheck = useWorkbench((s) => s.checkDpopProof);
  // The debugger's clock (time travel included): iat is judged at the time the claim checks use.
  const claimsNow = useWorkbench((s) => s.claimsNow);
  const nowOverride = useWorkbench((s) => s.nowOverride);
  const token = decoded?.token ?? null;

  useEffect(() => {
    void runCheck();
  }, [runCheck, token, fields, claimsNow, nowOverride]);

  const claims = (decoded?.payload ?? {}) as Record<string, unknown>;
  const result = check !== null && check.token === token ? check.result : null;
  const missing = fields.htm.trim() === '' || fields.htu.trim() === '';
  return (
    <section className="panel dpop" aria-labelledby="dpop-title">
      <div className="panel-head">
        <h2 id="dpop-title">DPoP proof</h2>
        <button
          type="button"
          className="button-quiet"
          disabled={typeof claims.htm !== 'string' && typeof claims.htu !== 'string'}
          onClick={() => setFields({ ...(typeof claims.htm === 'string' && { htm: claims.htm }), ...(typeof claims.htu === 'string' && { htu: claims.htu }) })}
        >
          Use the proof’s htm and htu
        </button>
      </div>
      <p className="muted dpop-note">Checked here as a server would (RFC 9449 §4.3), against the request it came with:</p>
      <RequestFields fields={fields} onChange={setFields} />
      {result === null ? (
        <p className="muted" role="status">
          Checking…
        </p>
      ) : (
        <>
          <p role="status" className={result.valid ? 'dpop-verdict dpop-ok' : 'dpop-verdict dpop-bad'}>
            {result.valid
              ? `✓ Valid DPoP proof for ${fields.htm.trim()} ${fields.htu.trim()}`
              : missing
                ? '✗ Enter the request’s HTTP method and URL to check htm and htu'
                : `✗ Invalid DPoP proof: ${result.reason ?? 'unknown'}`}
          </p>
          {result.jkt !== null && (
            <p className="dpop-jkt">
              Proof key thumbprint (jkt): <code data-testid="dpop-jkt">{result.jkt}</code>
            </p>
          )}
          <ul className="dpop-checks" aria-label="DPoP checks">
            {result.checks.map((c) => (
              <li key={c.check} data-check={c.check} data-ok={c.ok ? 'true' : 'false'} className={c.ok ? 'dpop-ok' : 'dpop-bad'}>
                <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <code>{c.check}</code> {c.ok ? '' : '(failed) '}— {c.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** An access token bound to a proof key (cnf.jkt): which key may present it, and a way to make its proof. */
function BoundToken({ jkt }: { jkt: string }) {
  const token = useWorkbench((s) => s.decoded?.token ?? '');
  const keys = useWorkbench((s) => s.keys);
  const open = useWorkbench((s) => s.openDpopBuilder);
  const stored = keys.find((k) => k.thumbprint === jkt);
  return (
    <section className="panel dpop-bound" aria-labelledby="dpop-bound-title">
      <h2 id="dpop-bound-title">DPoP binding</h2>
      <p>
        This access token is DPoP-bound (cnf.jkt, RFC 9449 §6.1): it is accepted only with a proof signed by the key whose thumbprint is{' '}
        <code data-testid="dpop-bound-jkt">{jkt}</code>
        {stored ? `, your stored key “${stored.label}” (kid ${stored.kid})` : ''}.
      </p>
      <button
        type="button"
        className="button-quiet"
        onClick={() => open({ accessToken: token, ...(stored?.hasPrivate && { keyMode: 'stored' as const, storedKeyId: stored.id }) })}
      >
        Build a proof for this token…
      </button>
    </section>
  );
}

/** "Build a DPoP proof": key, request, then `dpop.create` in the host; the proof with Copy and Open in debugger. */
function ProofBuilder() {
  const form = useWorkbench((s) => s.dpopBuild);
  const run = useWorkbench((s) => s.dpopBuildRun);
  const setForm = useWorkbench((s) => s.setDpopBuild);
  const create = useWorkbench((s) => s.createDpopProof);
  const close = useWorkbench((s) => s.closeDpopBuilder);
  const openProof = useWorkbench((s) => s.openDpopProof);
  const keysStatus = useWorkbench((s) => s.keysStatus);
  const keys = useWorkbench((s) => s.keys);
  const loadKeys = useWorkbench((s) => s.loadKeys);
  const [copied, setCopied] = useState<string | null>(null);
  const id = useId();

  useEffect(() => {
    if (form.keyMode === 'stored' && keysStatus === null) void loadKeys();
  }, [form.keyMode, keysStatus, loadKeys]);

  // A proof is signed with an asymmetric private key (§4.2): no HMAC secret, no public-only key.
  const signing = keys.filter((k) => k.hasPrivate && k.kty !== 'oct');
  const copy = async (proof: string) => {
    try {
      await navigator.clipboard.writeText(proof);
      setCopied('Copied');
    } catch {
      setCopied('The clipboard refused the copy');
    }
  };

  return (
    <section className="panel dpop-builder" aria-labelledby="dpop-builder-title">
      <div className="panel-head">
        <h2 id="dpop-builder-title">Build a DPoP proof</h2>
        <button type="button" className="button-quiet" onClick={close}>
          Close
        </button>
      </div>
      <form
        className="dpop-build-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setCopied(null);
          void create();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-mode`}>Signing key</label>
          <select id={`${id}-mode`} value={form.keyMode} onChange={(e) => setForm({ keyMode: e.target.value as 'pasted' | 'stored' })}>
            <option value="pasted">Pasted private key (PEM or JWK)</option>
            <option value="stored">Stored key (signed in the app’s host)</option>
          </select>
        </div>
        {form.keyMode === 'pasted' ? (
          <div className="field">
            <label htmlFor={`${id}-key`}>Private key (PEM or JWK)</label>
            <textarea
              id={`${id}-key`}
              className="mono"
              rows={4}
              value={form.keyText}
              placeholder={'-----BEGIN PRIVATE KEY-----\n…\n-----END PRIVATE KEY-----'}
              onChange={(e) => setForm({ keyText: e.target.value })}
              {...noAutofill}
            />
          </div>
        ) : keysStatus !== null && keysStatus.state !== 'unlocked' ? (
          <p className="field-note">{keysStatus.state === 'locked' ? 'The key store is locked: unlock it in the Keys view.' : 'Set up the key store in the Keys view first.'}</p>
        ) : (
          <div className="field">
            <label htmlFor={`${id}-stored`}>Stored key</label>
            <select id={`${id}-stored`} value={form.storedKeyId ?? ''} onChange={(e) => setForm({ storedKeyId: e.target.value === '' ? null : e.target.value })}>
              <option value="">{signing.length === 0 ? 'No stored private key (RSA, EC or Ed25519)' : 'Choose a key…'}</option>
              {signing.map((key) => (
                <option key={key.id} value={key.id}>
                  {`${key.label} — ${key.description}, kid ${key.kid}`}
                </option>
              ))}
            </select>
          </div>
        )}
        <RequestFields fields={form} onChange={setForm} />
        <button type="submit" disabled={run.status === 'creating'}>
          Create proof
        </button>
      </form>
      <RunNotice pending={run.status === 'creating' ? 'Signing…' : null} failure={run.status === 'failed' ? run : null} />
      {run.status === 'done' && (
        <div className="dpop-built">
          <label htmlFor={`${id}-proof`}>Proof</label>
          <textarea id={`${id}-proof`} className="mono" readOnly rows={4} value={run.proof} />
          <p className="dpop-jkt">
            Key thumbprint (jkt, what an access token’s cnf.jkt names): <code>{run.jkt}</code>
          </p>
          <div className="dpop-built-actions">
            <button type="button" className="button-quiet" onClick={() => void copy(run.proof)}>
              Copy
            </button>
            <button type="button" className="button-quiet" onClick={() => openProof(run.proof)}>
              Open in debugger
            </button>
            <span role="status" aria-live="polite">
              {copied}
            </span>
          </div>
        </div>
      )}
    </section>
  );
}
