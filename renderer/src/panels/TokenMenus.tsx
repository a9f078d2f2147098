import { useWorkbench, useWorkbenchStore } from '../store/context';
import { EXAMPLES, loadExample } from './examples';

/**
 * Examples and History as native <select>s: keyboard reachable and announced without extra work.
 * Choosing an entry loads it; the select then returns to its title.
 */
export function TokenMenus() {
  const store = useWorkbenchStore();
  const history = useWorkbench((s) => s.history);
  const setInput = useWorkbench((s) => s.setInput);
  const clearHistory = useWorkbench((s) => s.clearHistory);

  return (
    <div className="token-menus">
      <select
        aria-label="Examples"
        value=""
        onChange={(e) => {
          const example = EXAMPLES.find((x) => x.id === e.target.value);
          if (example) loadExample(store, example);
        }}
      >
        <option value="" disabled>
          Examples…
        </option>
        {EXAMPLES.map((example) => (
          <option key={example.id} value={example.id}>
            {example.label}
          </option>
        ))}
      </select>
      <select
        aria-label="History"
        value=""
        disabled={history.length === 0}
        onChange={(e) => {
          if (e.target.value === 'clear') clearHistory();
          else {
            const entry = history[Number(e.target.value)];
            if (entry) setInput(entry.token);
          }
        }}
      >
        <option value="" disabled>
          {history.length === 0 ? 'History (empty)' : `History (${history.length})…`}
        </option>
        {history.map((entry, i) => (
          <option key={entry.token} value={i}>
            {new Date(entry.at).toLocaleTimeString()} · {entry.label}
          </option>
        ))}
        {history.length > 0 && <option value="clear">Clear history</option>}
      </select>
    </div>
  );
}
