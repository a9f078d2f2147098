import type { IssuerRunning } from '../../../shared/contract/issuer';
import { useWorkbench } from '../store/context';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** The issuer's virtual clock (the UI's "advance 15 minutes") and its signing keys, with rotation. */
export function ClockAndKeys({ status }: { status: IssuerRunning }) {
  const advance = useWorkbench((s) => s.advanceIssuerClock);
  const rotate = useWorkbench((s) => s.rotateIssuerKeys);
  const pending = useWorkbench((s) => s.issuerPending);
  return (
    <section className="iss-panel" aria-labelledby="iss-clock-title">
      <h3 id="iss-clock-title">Clock and keys</h3>
      <p>
        Issuer clock: <code data-testid="issuer-clock">{iso(status.now)}</code>
      </p>
      <div className="iss-actions">
        {[
          [15 * 60, '+15 min'],
          [3600, '+1 h'],
          [24 * 3600, '+1 day'],
        ].map(([seconds, label]) => (
          <button key={label} type="button" className="button" disabled={pending.includes('clock')} onClick={() => void advance(seconds as number)}>
            Advance {label}
          </button>
        ))}
        <button type="button" className="button" disabled={pending.includes('rotate-keys')} onClick={() => void rotate()}>
          Rotate signing key
        </button>
      </div>
      <table className="iss-table">
        <caption className="iss-muted">Published in the JWKS: the current key, and retired keys until their tokens expire</caption>
        <thead>
          <tr>
            <th>kid</th>
            <th>alg</th>
            <th>status</th>
            <th>published until</th>
          </tr>
        </thead>
        <tbody>
          {status.keys.map((k) => (
            <tr key={k.kid}>
              <td>
                <code>{k.kid}</code>
              </td>
              <td>{k.alg}</td>
              <td>{k.symmetric ? `${k.status} (secret: never published)` : k.status}</td>
              <td>{k.publishedUntil === null ? '—' : new Date(k.publishedUntil).toISOString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
