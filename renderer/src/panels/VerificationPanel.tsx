import type { VerifyResult } from '../../../shared/core/verify-types';
import type { KeySource, Verification } from '../store';
import { useWorkbench } from '../store/context';
import { KEY_SOURCES, KEY_SOURCE_ORDER } from './key-sources';

/**
 * Verifies the token in the Encoded pane exactly as it stands with the key entered here; the host does
 * the crypto. Entering a key never changes a pasted token (no silent re-signing); only a token the user
 * made by editing the Header or Payload is re-signed, and the Encoded pane says so.
 */
export function VerificationPanel() {
  return (
    <section className="panel verification" aria-labelledby="verification-title">
      <div className="panel-head">
        <h2 id="verification-title">Verification</h2>
      </div>
      <KeyForm />
      <VerificationStatus />
    </section>
  );
}

function KeyForm() {
  const keySource = useWorkbench((s) => s.keySource);
  const setKeySource = useWorkbench((s) => s.setKeySource);
  const { Editor } = KEY_SOURCES[keySource];
  return (
    <div className="key-form">
      <div className="field">
        <label htmlFor="key-source">Key type</label>
        <select id="key-source" value={keySource} onChange={(e) => setKeySource(e.target.value as KeySource)}>
          {KEY_SOURCE_ORDER.map((value) => (
            <option key={value} value={value}>
              {KEY_SOURCES[value].label}
            </option>
          ))}
        </select>
      </div>
      <Editor />
    </div>
  );
}

function VerificationStatus() {
  const verification = useWorkbench((s) => s.verification);
  return (
    <div className="verification-status" role="status" aria-live="polite" aria-atomic="true">
      <VerdictView verification={verification} />
    </div>
  );
}

const IDLE_TEXT: Record<Extract<Verification, { status: 'idle' }>['reason'], string> = {
  'no-token': 'Paste a token to verify it.',
  'token-invalid': 'The token does not decode, so it cannot be verified.',
  'no-key': 'Enter a secret or key to verify the signature.',
};

function VerdictView({ verification }: { verification: Verification }) {
  switch (verification.status) {
    case 'idle':
      return <p className="verdict verdict-idle">{IDLE_TEXT[verification.reason]}</p>;
    case 'pending':
      return <p className="verdict verdict-pending">Verifying…</p>;
    case 'failed':
      return (
        <p className="verdict verdict-invalid">
          <strong>Could not verify:</strong> {verification.error.message} <code>{verification.error.code}</code>
        </p>
      );
    case 'done':
      return <ResultView result={verification.result} />;
  }
}

function ResultView({ result }: { result: VerifyResult }) {
  const failedClaims = result.claims.filter((c) => !c.ok);
  return (
    <>
      {result.valid ? (
        <p className="verdict verdict-valid">
          <strong>Signature verified</strong>
          {result.alg && <> · {result.alg}</>}
        </p>
      ) : (
        <p className="verdict verdict-invalid">
          <strong>Signature invalid</strong>
          {result.reason && (
            <>
              {' '}
              · <code>{result.reason}</code>
            </>
          )}
        </p>
      )}
      {result.message && <p className="verdict-message">{result.message}</p>}
      {result.valid && result.key && (
        <dl className="facts">
          <dt>Key</dt>
          <dd>
            {result.key.kty}
            {result.key.kid !== null && (
              <>
                {' '}
                · kid <code>{result.key.kid}</code>
              </>
            )}
            {result.key.index !== null && <> · JWKS entry {result.key.index + 1}</>}
          </dd>
          {result.key.thumbprint && (
            <>
              <dt>Thumbprint</dt>
              <dd>
                <code className="signature-value">{result.key.thumbprint}</code>
              </dd>
            </>
          )}
        </dl>
      )}
      {result.claims.length > 0 && (
        <ul className="claim-checks" aria-label="Claim checks">
          {result.claims.map((c) => (
            <li key={c.claim} className={c.ok ? 'claim-ok' : 'claim-fail'}>
              <span className="claim-mark" aria-hidden="true">
                {c.ok ? '✓' : '✗'}
              </span>
              <span className="visually-hidden">{c.ok ? 'Passed: ' : 'Failed: '}</span>
              <code>{c.claim}</code> {c.message}
            </li>
          ))}
        </ul>
      )}
      {result.valid && failedClaims.length > 0 && (
        <p className="verdict-message">The signature is good, but {failedClaims.length === 1 ? 'a claim check fails' : 'some claim checks fail'}.</p>
      )}
      {result.warnings.length > 0 && (
        <ul className="key-warnings" aria-label="Key warnings">
          {result.warnings.map((w) => (
            <li key={w.rule}>
              <span className="severity severity-warning">Warning</span> {w.message} <code>{w.rule}</code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
