import { memo, useEffect } from 'react';
import { useWorkbench, useWorkbenchStore } from '../store/context';
import { AttacksMenu } from './AttacksPanel';
import { DpopMenuButton } from './DpopPanel';
import { EXAMPLES, loadExample } from './examples';
import { EncryptButton } from './JwePanel';

/**
 * Examples, History and Attacks as native <select>s: keyboard reachable and announced without extra work.
 * Choosing an entry loads it; the select then returns to its title.
 */
// Memoized: it takes no props, and its parent (the Encoded pane) renders on every keystroke.
export const TokenMenus = memo(function TokenMenus() {
  const store = useWorkbenchStore();
  const history = useWorkbench((s) => s.history);
  const setInput = useWorkbench((s) => s.setInput);
  const clearHistory = useWorkbench((s) => s.clearHistory);
  const loadHistory = useWorkbench((s) => s.loadHistory);

  // Whether the user keeps the history on this computer is the host's to say, once per window.
  useEffect(() => {
    void loadHistory();
  }, [loadHistory]);

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
      <AttacksMenu />
      <DpopMenuButton />
      <EncryptButton />
      <KeepHistoryToggle />
    </div>
  );
});

/**
 * The opt-in to keep the history across launches. Stored by the host in its data folder (a file only
 * this OS account can read, encrypted like the key store when that is protected), never in the page's
 * storage; turning it off deletes that file.
 */
function KeepHistoryToggle() {
  const kept = useWorkbench((s) => s.historyKept);
  const busy = useWorkbench((s) => s.historyBusy);
  const notice = useWorkbench((s) => s.historyNotice);
  const sealed = useWorkbench((s) => s.historySealed);
  const locked = useWorkbench((s) => s.historyLocked);
  const setHistoryKept = useWorkbench((s) => s.setHistoryKept);
  return (
    <div className="history-keep">
      <label>
        <input
          type="checkbox"
          checked={kept}
          disabled={busy}
          aria-describedby="history-keep-note"
          onChange={(e) => void setHistoryKept(e.target.checked)}
        />
        Keep history on this computer
      </label>
      <span id="history-keep-note" className="history-keep-note">
        {!kept
          ? 'Off: in memory only, gone when the window closes.'
          : locked
            ? 'On: History is locked until the key store is unlocked (Keys view); tokens seen meanwhile are kept and saved then — untick to delete.'
            : sealed
              ? "On: saved encrypted with the key store's protection; untick to delete."
              : 'On: saved by the app unencrypted, readable only by your account; untick to delete.'}
      </span>
      {notice && (
        <span role="status" className="history-keep-notice">
          {notice}
        </span>
      )}
    </div>
  );
}
