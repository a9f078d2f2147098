import { useWorkbench } from '../store/context';

/**
 * "Now" for time claims and verification: the system clock, or a moment the user picks (to see how a
 * token looks at another time), plus a leeway. Both feed lint and crypto.verify alike.
 */
export function TimeControls() {
  const nowOverride = useWorkbench((s) => s.nowOverride);
  const leeway = useWorkbench((s) => s.leeway);
  const setNowOverride = useWorkbench((s) => s.setNowOverride);
  const setLeeway = useWorkbench((s) => s.setLeeway);

  return (
    <section className="panel time-controls" aria-labelledby="time-title">
      <div className="panel-head">
        <h2 id="time-title">Time</h2>
      </div>
      <div className="field-row">
        <div className="field field-grow">
          <label htmlFor="now-override">Judge at (local time)</label>
          <input
            id="now-override"
            type="datetime-local"
            step={1}
            value={nowOverride === null ? '' : toLocalInput(nowOverride)}
            onChange={(e) => setNowOverride(e.target.value === '' ? null : fromLocalInput(e.target.value))}
          />
        </div>
        <button type="button" className="button-quiet" disabled={nowOverride === null} onClick={() => setNowOverride(null)}>
          Use the system clock
        </button>
        <div className="field">
          <label htmlFor="leeway">Leeway (s)</label>
          <input id="leeway" type="number" min={0} step={1} value={leeway} onChange={(e) => setLeeway(Number(e.target.value))} />
        </div>
      </div>
      <p className="field-note">{nowOverride === null ? 'Time claims are judged at the system clock.' : `Time claims are judged at ${new Date(nowOverride * 1000).toISOString().replace('.000Z', 'Z')}.`}</p>
    </section>
  );
}

/** A NumericDate as the value of a datetime-local input (local wall time, to the second). */
export function toLocalInput(seconds: number): string {
  const d = new Date(Math.floor(seconds) * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A datetime-local value (local wall time) as a NumericDate; NaN when it does not parse. */
export function fromLocalInput(value: string): number {
  const m = /^(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  return Math.floor(new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).getTime() / 1000);
}
