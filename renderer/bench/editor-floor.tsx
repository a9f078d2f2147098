/**
 * The floor of the keystroke benchmark: the Encoded pane's editor, with the same component, options, size
 * and segment colours as in the app, but nothing reacting to its text (no decode, lint, panes or verify).
 * scripts/bench-ui.mjs types into it exactly as into the app, so app ÷ floor is what the debugger adds to
 * the editor's own cost of a keystroke on the same machine, in the same run.
 */
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { decodeToken } from '../../shared/core/decode';
import { keystrokeStart, measureKeystroke } from '../src/keystroke-mark';
import { CodeEditor } from '../src/monaco/CodeEditor';
import { segmentHighlights } from '../src/panels/TokenInput';
import '../src/styles.css';

// The width of the app's Encoded pane, which the benchmark reads from the app first.
const width = Number(new URLSearchParams(location.search).get('width')) || 700;

function EditorFloor() {
  const [text, setText] = useState('');
  // Colours as the pasted token had them; Monaco moves them along with later keystrokes.
  const [pasted, setPasted] = useState('');
  const highlights = useMemo(() => {
    const decoded = decodeToken(pasted);
    return segmentHighlights(decoded.ok ? decoded.token.spans : decoded.spans);
  }, [pasted]);
  const onChange = (next: string) => {
    const start = keystrokeStart();
    if (Math.abs(next.length - text.length) > 1) setPasted(next);
    setText(next);
    measureKeystroke(start);
  };
  return (
    <div className="debugger" style={{ width, padding: 16 }}>
      <section className="panel panel-encoded" aria-label="Encoded token">
        <div className="editor-frame editor-encoded">
          <CodeEditor value={text} onChange={onChange} ariaLabel="Encoded token" language="plaintext" wordWrap tabMovesFocus highlights={highlights} />
        </div>
      </section>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<EditorFloor />);
