import { indexJsonLocations, parseJsonPath, formatJsonPath } from '../../../shared/core/json';
import type { Finding, Severity } from '../../../shared/lint/types';
import type { WorkbenchState } from '../store';
import { useWorkbench, useWorkbenchStore } from '../store/context';

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };
const SEVERITY_ICON: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ' };

/**
 * Every lint finding for the decoded token, in the engine's order: most severe first, then by path.
 * Each is a button: it puts the cursor on the member it is about, in the Header or Payload pane.
 */
export function ClaimWarnings() {
  const findings = useWorkbench((s) => s.findings);
  const hasToken = useWorkbench((s) => s.lastGood !== null);
  const store = useWorkbenchStore();

  return (
    <section className="panel warnings" aria-labelledby="warnings-title">
      <div className="panel-head">
        <h2 id="warnings-title">Claim warnings</h2>
        {findings.length > 0 && <span className="badge">{findings.length}</span>}
      </div>
      <SecretCheckStatus />
      {!hasToken ? (
        <p className="muted empty">Paste a token to check its header and claims.</p>
      ) : findings.length === 0 ? (
        <p className="muted empty">No warnings.</p>
      ) : (
        <ul className="findings" aria-labelledby="warnings-title">
          {findings.map((f, i) => (
            <li key={`${f.rule}:${f.path}:${i}`} className={`finding finding-${f.severity}`}>
              <button type="button" className="finding-button" onClick={() => revealFinding(store.getState(), f)}>
                <span className={`severity severity-${f.severity}`}>
                  <span aria-hidden="true">{SEVERITY_ICON[f.severity]} </span>
                  {SEVERITY_LABEL[f.severity]}
                </span>
                <span className="finding-body">
                  <span className="finding-message">{f.message}</span>
                  <span className="finding-meta">
                    <code>{f.rule}</code> · <code>{f.path}</code> · {f.rfc}
                  </span>
                </span>
              </button>
              {f.secret !== undefined && <KnownSecretActions secret={f.secret} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The host's known-secret scan of an HS256/384/512 token, while it runs (with Cancel), and when it could
 * not run. A found secret shows as the `hmac-secret-known` finding; "not found" needs no line.
 */
/** One formatter: toLocaleString makes a new one per call, and this line comes and goes with keystrokes. */
const SECRET_COUNT = new Intl.NumberFormat('en-US');

function SecretCheckStatus() {
  // What is shown, not the check (a new object for each token): typing re-renders this only when the line changes.
  const checking = useWorkbench((s) => s.secretCheck.status === 'checking');
  const failure = useWorkbench((s) => (s.secretCheck.status === 'failed' ? s.secretCheck.error.message : null));
  const count = useWorkbench((s) => s.knownSecretsCount);
  const cancel = useWorkbench((s) => s.cancelSecretCheck);
  if (checking) {
    return (
      <p className="secret-check" role="status">
        {count === null ? 'Checking the known secrets…' : `Checking ${SECRET_COUNT.format(count)} known secrets…`}{' '}
        <button type="button" className="button button-small" onClick={() => void cancel()}>
          Cancel
        </button>
      </p>
    );
  }
  if (failure !== null) {
    return (
      <p className="secret-check muted" role="status">
        Known-secret check unavailable: {failure}
      </p>
    );
  }
  return null;
}

/** The found secret, and the button that verifies (and re-signs edits) with it. */
function KnownSecretActions({ secret }: { secret: string }) {
  const verifyWithSecret = useWorkbench((s) => s.verifyWithSecret);
  return (
    <div className="known-secret">
      <span>
        Secret: <code className="known-secret-value">{secret === '' ? '(empty)' : secret}</code>
      </span>
      <button type="button" className="button button-small" onClick={() => verifyWithSecret(secret)}>
        Use this secret
      </button>
    </div>
  );
}

/** Puts the cursor on the member a finding points at (`payload.exp` → the `"exp"` in the Payload pane). */
export function revealFinding(state: WorkbenchState, finding: Finding): void {
  const parsed = parseJsonPath(finding.path);
  if (parsed && (parsed.root === 'header' || parsed.root === 'payload')) {
    const text = parsed.root === 'header' ? state.headerText : state.payloadText;
    const where = indexJsonLocations(text, parsed.segments.length).get(formatJsonPath(parsed.segments));
    if (where) {
      state.revealAt(parsed.root, where.nameStart ?? where.valueStart);
      return;
    }
    // The member is missing (e.g. `exp-missing`): the start of the object, where it would go.
    state.revealAt(parsed.root, 0);
    return;
  }
  state.revealAt('encoded', state.decoded?.tokenOffset ?? 0);
}
