import { useWorkbench } from '../store/context';

/** The issuer's live log: requests and decisions, newest last. Tokens appear only as hash labels. */
export function IssuerLogPanel() {
  const log = useWorkbench((s) => s.issuerLog);
  return (
    <section className="iss-panel" aria-labelledby="iss-log-title">
      <h3 id="iss-log-title">Log</h3>
      <ol className="iss-log" aria-live="polite">
        {log.slice(-150).map((entry) => (
          <li key={entry.seq} className={`iss-log-${entry.level}`} data-event={entry.event}>
            <time>{new Date(entry.clock).toISOString().slice(11, 19)}</time> <code>{entry.event}</code> {entry.message}
          </li>
        ))}
      </ol>
    </section>
  );
}
