import type { Severity } from '../../../shared/lint/types';
import { useWorkbench } from '../store/context';

const SEVERITY_LABEL: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Every lint finding for the decoded token, in the engine's order: most severe first, then by path. */
export function ClaimWarnings() {
  const findings = useWorkbench((s) => s.findings);
  const hasToken = useWorkbench((s) => s.lastGood !== null);

  return (
    <section className="panel warnings" aria-labelledby="warnings-title">
      <div className="panel-head">
        <h2 id="warnings-title">Claim warnings</h2>
        {findings.length > 0 && <span className="badge">{findings.length}</span>}
      </div>
      {!hasToken ? (
        <p className="muted empty">Paste a token to check its header and claims.</p>
      ) : findings.length === 0 ? (
        <p className="muted empty">No warnings.</p>
      ) : (
        <ul className="findings" aria-labelledby="warnings-title">
          {findings.map((f, i) => (
            <li key={`${f.rule}:${f.path}:${i}`} className={`finding finding-${f.severity}`}>
              <span className={`severity severity-${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
              <div className="finding-body">
                <p className="finding-message">{f.message}</p>
                <p className="finding-meta">
                  <code>{f.rule}</code> · <code>{f.path}</code> · {f.rfc}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
