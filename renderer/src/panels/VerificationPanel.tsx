import type { ClaimCheck, KeyPolicyWarning, VerifyResult } from '../../../shared/core/verify-types';
import { jwksKeyName } from '../../../shared/core/key-kind';
import type { KeySource } from '../store';
import { useWorkbench } from '../store/context';
import { verdictOf } from '../verdict';
import { ExpectedClaims } from './ExpectedClaims';
import { KEY_SOURCES, KEY_SOURCE_ORDER } from './key-sources';

/**
 * Verifies the token in the Encoded pane exactly as it stands with the key entered here; the host does
 * the crypto. Entering a key never changes a pasted token (no silent re-signing); only a token the user
 * made by editing the Header or Payload is re-signed, and the Encoded pane says so.
 *
 * The overall verdict comes first, then the claim checks (judged at "now", re-judged as the clock moves),
 * then the key and what is expected of the token.
 */
export function VerificationPanel() {
  return (
    <section className="panel verification" aria-labelledby="verification-title">
      <div className="panel-head">
        <h2 id="verification-title">Verification</h2>
      </div>
      <VerificationStatus />
      <KeyForm />
      <ExpectedClaims />
    </section>
  );
}

function KeyForm() {
  const keySource = useWorkbench((s) => s.keySource);
  const setKeySource = useWorkbench((s) => s.setKeySource);
  const unsecured = useWorkbench((s) => s.decoded?.kind === 'unsecured');
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
      {/* An unsecured token has nothing to verify; the key still re-signs an edit, so the box stays. */}
      {unsecured && <p className="field-note">No key verifies an alg none token; a key here is only used to sign an edit.</p>}
      <Editor />
    </div>
  );
}

function VerificationStatus() {
  const blank = useWorkbench((s) => s.input.trim() === '');
  const decoded = useWorkbench((s) => s.decoded);
  const decodeError = useWorkbench((s) => s.decodeError);
  const verification = useWorkbench((s) => s.verification);
  const claims = useWorkbench((s) => s.claimChecks);
  const verdict = verdictOf({ blank, decoded, decodeError, verification, claims });
  const result = verification.status === 'done' && decoded !== null && decoded.kind === 'jws' ? verification.result : null;
  // Claims of a token that decodes, is signed, and whose payload is a claims set.
  const shownClaims = decoded !== null && decoded.kind === 'jws' ? claims : [];
  return (
    <div className="verification-status">
      <div className={`verdict-box verdict-box-${verdict.tone}`} role="status" aria-label="Verdict" aria-live="polite" aria-atomic="true">
        <p className={`verdict verdict-${verdict.tone}`}>
          <strong>{verdict.headline}</strong>
        </p>
        {verdict.detail && <p className="verdict-message">{verdict.detail}</p>}
      </div>
      {result && <ResultFacts result={result} />}
      {shownClaims.length > 0 && <ClaimChecks claims={shownClaims} />}
      {result && result.warnings.length > 0 && <KeyWarnings warnings={result.warnings} />}
    </div>
  );
}

function ResultFacts({ result }: { result: VerifyResult }) {
  return (
    <dl className="facts">
      {result.alg && (
        <>
          <dt>Algorithm</dt>
          <dd>
            <code>{result.alg}</code>
          </dd>
        </>
      )}
      {result.reason && (
        <>
          <dt>Reason</dt>
          <dd>
            <code>{result.reason}</code>
          </dd>
        </>
      )}
      {result.valid && result.key && (
        <>
          <dt>Key</dt>
          <dd>
            {result.key.kty}
            {result.key.kid !== null && (
              <>
                {' '}
                · kid <code>{result.key.kid}</code>
              </>
            )}
            {result.key.index !== null && <> · {jwksKeyName(result.key.index)}</>}
          </dd>
          {result.key.thumbprint && (
            <>
              <dt>Thumbprint</dt>
              <dd>
                <code className="signature-value">{result.key.thumbprint}</code>
              </dd>
            </>
          )}
        </>
      )}
    </dl>
  );
}

const CLAIM_MARK = { passed: '✓', failed: '✗', unchecked: '–' } as const;
const CLAIM_WORD = { passed: 'Passed: ', failed: 'Failed: ', unchecked: 'Not checked: ' } as const;

/** ✓ passed, ✗ failed, – reported but not judged (aud / iss with nothing expected): never ✓ for that. */
function ClaimChecks({ claims }: { claims: readonly ClaimCheck[] }) {
  return (
    <ul className="claim-checks" aria-label="Claim checks">
      {claims.map((c) => {
        const state = !c.checked ? 'unchecked' : c.ok ? 'passed' : 'failed';
        return (
          <li key={c.claim} className={state === 'passed' ? 'claim-ok' : state === 'failed' ? 'claim-fail' : 'claim-unchecked'}>
            <span className="claim-mark" aria-hidden="true">
              {CLAIM_MARK[state]}
            </span>
            <span className="visually-hidden">{CLAIM_WORD[state]}</span>
            <code>{c.claim}</code> {c.message}
          </li>
        );
      })}
    </ul>
  );
}

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning' } as const;

/** Key-policy problems, each with the same severity it has in Claim warnings (one severity per rule). */
function KeyWarnings({ warnings }: { warnings: readonly KeyPolicyWarning[] }) {
  return (
    <ul className="key-warnings" aria-label="Key warnings">
      {warnings.map((w) => (
        <li key={w.rule}>
          <span className={`severity severity-${w.severity}`}>{SEVERITY_LABEL[w.severity]}</span> {w.message} <code>{w.rule}</code>
        </li>
      ))}
    </ul>
  );
}
