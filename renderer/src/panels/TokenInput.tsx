import { useCallback, useEffect, useMemo } from 'react';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { SegmentSpan } from '../../../shared/core/token';
import { keystrokeStart, measureKeystroke } from '../keystroke-mark';
import { CodeEditor } from '../monaco/CodeEditor';
import type { EditorHighlight, EditorProblem } from '../monaco/CodeEditor';
import type { Modification } from '../store';
import { useWorkbench } from '../store/context';
import { AttacksPanel } from './AttacksPanel';
import { CopyButtons } from './CopyButtons';
import { DecodeStatus } from './DecodeStatus';
import { TokenMenus } from './TokenMenus';

/**
 * The Encoded pane: the token as pasted or typed, each segment coloured, a decode error underlined
 * where it is. Decoding happens in the store on every change; this only reports the text.
 */
export function TokenInput() {
  // Only whether there is text: a keystroke re-renders the editor below, not the menus, buttons and panels around it.
  const hasInput = useWorkbench((s) => s.input !== '');
  const setInput = useWorkbench((s) => s.setInput);
  useEffect(() => {
    // The paste box exists (Monaco may still be loading): scripts/bench-ui.mjs reads this as "usable".
    if (!performance.getEntriesByName('workbench:input-ready').length) performance.mark('workbench:input-ready');
  }, []);

  return (
    <section className="panel panel-encoded" aria-labelledby="encoded-title">
      <div className="panel-head">
        <h2 id="encoded-title">Encoded token</h2>
        <TokenMenus />
        {hasInput && (
          <button type="button" className="button-quiet" onClick={() => setInput('')}>
            Clear
          </button>
        )}
      </div>
      <ModifiedBanner />
      <EncodedEditor />
      <CopyButtons />
      <DecodeStatus />
      <AttacksPanel />
    </section>
  );
}

/** The token's editor: what re-renders at each keystroke. */
function EncodedEditor() {
  const input = useWorkbench((s) => s.input);
  const setInput = useWorkbench((s) => s.setInput);
  const spans = useWorkbench((s) => s.spans);
  const error = useWorkbench((s) => s.decodeError);
  const notes = useWorkbench((s) => s.decoded?.notes);
  const reveal = useWorkbench((s) => (s.reveal?.pane === 'encoded' ? s.reveal : null));

  const onChange = useCallback(
    (text: string) => {
      const start = keystrokeStart(); // for scripts/bench-ui.mjs
      setInput(text);
      measureKeystroke(start);
    },
    [setInput],
  );
  const highlights = useMemo(() => segmentHighlights(spans), [spans]);
  const problems = useMemo(() => encodedProblems(error, notes ?? []), [error, notes]);

  return (
    <div className="editor-frame editor-encoded" data-invalid={error ? 'true' : undefined}>
      <CodeEditor
        value={input}
        onChange={onChange}
        ariaLabel="Encoded token"
        language="plaintext"
        wordWrap
        tabMovesFocus
        placeholder="Paste a JWT: compact JWS or JWE, JWS JSON, with or without “Bearer ”"
        highlights={highlights}
        problems={problems}
        reveal={reveal}
      />
    </div>
  );
}

/**
 * What an edit of the Header / Payload did to the token, and the way back to the pasted one. Shown exactly
 * while the Encoded pane's token differs from the loaded one (the store clears `modification` when an
 * edit gives the loaded token back; the comparison here keeps the banner honest regardless).
 */
function ModifiedBanner() {
  const modification = useWorkbench((s) => (s.original !== null && s.input !== s.original ? s.modification : null));
  const revert = useWorkbench((s) => s.revertToOriginal);
  if (!modification) return null;
  return (
    <div className={`modified-banner modified-${modification.status}`} role="status">
      <span>{modificationText(modification)}</span>
      <button type="button" className="button-quiet" onClick={revert}>
        Back to the original token
      </button>
    </div>
  );
}

export function modificationText(m: Modification): string {
  switch (m.status) {
    case 'signing':
      return `Modified — re-signing with ${m.keyLabel}…`;
    case 'resigned':
      return `Modified — re-signed with ${m.keyLabel} (${m.alg})`;
    case 'unsigned':
      return `Modified — signature no longer valid (${m.reason})`;
    case 'unsecured':
      return 'Modified — unsecured token (alg none), no signature';
  }
}

export function segmentHighlights(spans: readonly SegmentSpan[]): EditorHighlight[] {
  return spans.map((span) => ({ start: span.start, end: span.end, className: `jwt-seg-${span.segment}` }));
}

function encodedProblems(error: TokenErrorInfo | null, notes: readonly TokenErrorInfo[]): EditorProblem[] {
  const problems: EditorProblem[] = [];
  if (error && error.offset !== null) {
    problems.push({ start: error.offset, end: error.offset + (error.length ?? 1), message: `${error.message} (${error.code})`, severity: 'error' });
  }
  for (const note of notes) {
    if (note.offset === null) continue;
    problems.push({ start: note.offset, end: note.offset + (note.length ?? 1), message: `${note.message} (${note.code})`, severity: 'info' });
  }
  return problems;
}
