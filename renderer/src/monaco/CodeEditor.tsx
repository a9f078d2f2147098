/**
 * One Monaco editor as a React component, in terms of text offsets rather than Monaco types, so the
 * panes know nothing of Monaco and jsdom tests can swap this module for a textarea double.
 *
 * The editor is the owner of its text while the user types: `value` is pushed into the model only when
 * it differs from what the model holds (a change that came from elsewhere: a token loaded, a re-signed
 * token), as a minimal edit of the differing middle, so the cursor, selection and scroll survive and no
 * change event loops back. The user's own typing comes back as the very text the model holds and is left
 * alone, undo history included. A change from elsewhere starts a new undo history: Ctrl+Z undoes the
 * user's edits back to the text that was put in, never past it to the text before (or to an empty pane).
 * Monaco itself is loaded lazily; until it arrives a plain text box stands in.
 */
import { memo, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { editor as MonacoEditor } from 'monaco-editor/editor/editor.api';
import { loadMonaco } from './load';
import type { Monaco } from './load';
import { installClaimHovers } from './hovers';
import { useColorScheme } from './color-scheme';

export interface EditorHighlight {
  start: number;
  end: number;
  className: string;
}

export interface EditorProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning' | 'info';
}

export interface CodeEditorProps {
  value: string;
  onChange?: (text: string) => void;
  /** The accessible name of the editor's text box. */
  ariaLabel: string;
  language: 'json' | 'plaintext';
  /** Model URI: the JSON schemas and hovers are bound to it. */
  modelUri?: string;
  readOnly?: boolean;
  /** Soft-wrap long lines (the encoded token is one long line). */
  wordWrap?: boolean;
  /** Tab moves focus instead of inserting a tab (where a tab is never content). */
  tabMovesFocus?: boolean;
  placeholder?: string;
  highlights?: readonly EditorHighlight[];
  problems?: readonly EditorProblem[];
  /** Puts the cursor at `offset` (and focuses the editor) each time `seq` changes. */
  reveal?: { offset: number; seq: number } | null;
}

const EMPTY: readonly never[] = [];

/**
 * The wrapped one-line editor (the encoded token): nothing in it has indentation, brackets, words or
 * whitespace worth marking, and each of those features walks every wrapped line of a 100 KB token per
 * keystroke.
 */
const ENCODED_OPTIONS: MonacoEditor.IEditorOptions = {
  guides: { indentation: false, bracketPairs: false, highlightActiveIndentation: false },
  renderWhitespace: 'none',
  renderControlCharacters: false,
  bracketPairColorization: { enabled: false },
  matchBrackets: 'never',
  occurrencesHighlight: 'off',
  selectionHighlight: false,
  links: false,
  colorDecorators: false,
  quickSuggestions: false,
  suggestOnTriggerCharacters: false,
};

/** Memoised: a pane re-rendered for its badge or note leaves its editor alone when the editor's props are the same. */
export const CodeEditor = memo(function CodeEditor(props: CodeEditorProps) {
  const { value, ariaLabel, language, modelUri, readOnly = false, wordWrap = false, tabMovesFocus = false, placeholder } = props;
  const host = useRef<HTMLDivElement>(null);
  const fallback = useRef<HTMLTextAreaElement>(null);
  const [editor, setEditor] = useState<{ monaco: Monaco; editor: MonacoEditor.IStandaloneCodeEditor } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const onChange = useRef(props.onChange);
  onChange.current = props.onChange;
  // Set while we write `value` into the model, so the change event it fires is not reported back.
  const applying = useRef(false);
  const latestValue = useRef(value);
  latestValue.current = value;
  // The model's text as last read or written here: comparing `value` with it costs nothing when they are
  // the same string, where reading the model back would build the whole text on every render.
  const modelText = useRef<string | null>(null);
  const scheme = useColorScheme();

  useEffect(() => {
    let disposed = false;
    let created: MonacoEditor.IStandaloneCodeEditor | null = null;
    loadMonaco().then(
      (monaco) => {
        if (disposed || !host.current) return;
        installClaimHovers(monaco);
        const uri = modelUri ? monaco.Uri.parse(modelUri) : undefined;
        // A model of this URI may survive a fast unmount/mount (React StrictMode): reuse it.
        const model = (uri && monaco.editor.getModel(uri)) || monaco.editor.createModel(latestValue.current, language, uri);
        if (model.getValue() !== latestValue.current) model.setValue(latestValue.current);
        modelText.current = latestValue.current;
        created = monaco.editor.create(host.current, {
          model,
          ariaLabel,
          readOnly,
          wordWrap: wordWrap ? 'on' : 'off',
          wrappingStrategy: 'simple',
          tabFocusMode: tabMovesFocus,
          placeholder,
          automaticLayout: true,
          minimap: { enabled: false },
          lineNumbers: wordWrap ? 'off' : 'on',
          glyphMargin: false,
          folding: !wordWrap,
          scrollBeyondLastLine: false,
          renderLineHighlight: 'none',
          fontSize: 13,
          fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
          tabSize: 2,
          fixedOverflowWidgets: true,
          unicodeHighlight: { ambiguousCharacters: false },
          stickyScroll: { enabled: false },
          ...(wordWrap && ENCODED_OPTIONS),
          theme: scheme === 'dark' ? 'workbench-dark' : 'workbench-light',
        });
        created.onDidChangeModelContent(() => {
          if (applying.current) return; // our own edit: modelText is already its result
          const text = model.getValue();
          modelText.current = text;
          onChange.current?.(text);
        });
        // Take over focus and cursor from the stand-in text box if the user was in it.
        const stand = fallback.current;
        if (stand && document.activeElement === stand) {
          created.setPosition(model.getPositionAt(stand.selectionStart));
          created.focus();
        }
        if (!performance.getEntriesByName('workbench:editor-ready').length) performance.mark('workbench:editor-ready');
        setEditor({ monaco, editor: created });
      },
      (error: unknown) => {
        if (!disposed) setFailed(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      disposed = true;
      if (created) {
        const model = created.getModel();
        created.dispose();
        model?.dispose();
      }
    };
    // Created once; later prop changes are applied by the effects below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // External value changes, as a minimal edit.
  useLayoutEffect(() => {
    const model = editor?.editor.getModel();
    if (!model) return;
    if (value === modelText.current) return;
    const current = modelText.current ?? model.getValue();
    let start = 0;
    const max = Math.min(current.length, value.length);
    while (start < max && current.charCodeAt(start) === value.charCodeAt(start)) start++;
    let end = 0;
    while (end < max - start && current.charCodeAt(current.length - 1 - end) === value.charCodeAt(value.length - 1 - end)) end++;
    const range = editor!.monaco.Range.fromPositions(model.getPositionAt(start), model.getPositionAt(current.length - end));
    applying.current = true;
    try {
      if (model.canUndo() || model.canRedo()) {
        // The user's edits here belong to the text being replaced: setValue drops them (keeping the view).
        const view = editor!.editor.saveViewState();
        model.setValue(value);
        if (view) editor!.editor.restoreViewState(view);
      } else {
        // No history to drop: a minimal edit that is itself not undoable, so the history starts here.
        model.applyEdits([{ range, text: value.slice(start, value.length - end) }]);
      }
      modelText.current = value;
    } finally {
      applying.current = false;
    }
  }, [editor, value]);

  useEffect(() => {
    editor?.editor.updateOptions({ readOnly, ariaLabel });
  }, [editor, readOnly, ariaLabel]);

  useEffect(() => {
    const model = editor?.editor.getModel();
    if (model && model.getLanguageId() !== language) editor!.monaco.editor.setModelLanguage(model, language);
  }, [editor, language]);

  useEffect(() => {
    editor?.monaco.editor.setTheme(scheme === 'dark' ? 'workbench-dark' : 'workbench-light');
  }, [editor, scheme]);

  const highlights = props.highlights ?? EMPTY;
  const decorations = useRef<MonacoEditor.IEditorDecorationsCollection | null>(null);
  // What was last handed to Monaco, so a re-render with equal content costs nothing (every keystroke
  // re-renders the panes; most of them change neither their colours nor their markers).
  const appliedHighlightClasses = useRef<string | null>(null);
  const appliedProblems = useRef('');
  useLayoutEffect(() => {
    if (!editor) return;
    const model = editor.editor.getModel();
    if (!model) return;
    const classes = highlights.map((h) => h.className).join(' ');
    // Monaco moves decorations with each edit, so after a keystroke inside a segment the colours it
    // already holds are usually exactly the ones wanted: compare, and replace them only if not.
    if (classes === appliedHighlightClasses.current && decorations.current && sameRanges(model, decorations.current.getRanges(), highlights)) return;
    appliedHighlightClasses.current = classes;
    decorations.current ??= editor.editor.createDecorationsCollection();
    decorations.current.set(
      highlights.map((h) => ({
        range: editor.monaco.Range.fromPositions(model.getPositionAt(h.start), model.getPositionAt(h.end)),
        options: { inlineClassName: h.className },
      })),
    );
  }, [editor, highlights, value]);

  const problems = props.problems ?? EMPTY;
  useLayoutEffect(() => {
    if (!editor) return;
    const model = editor.editor.getModel();
    if (!model) return;
    // No problems before and none now holds whatever the edit; otherwise positions are only valid for
    // the text they were computed on.
    const signature = problems.length === 0 ? 'none' : `${model.getVersionId()}|${problems.map((p) => `${p.start},${p.end},${p.severity},${p.message}`).join(';')}`;
    if (signature === appliedProblems.current) return;
    appliedProblems.current = signature;
    const { MarkerSeverity } = editor.monaco;
    editor.monaco.editor.setModelMarkers(
      model,
      'workbench',
      problems.map((p) => {
        const start = model.getPositionAt(p.start);
        // An empty range would not be underlined: mark at least one character (or the end of the text).
        const end = model.getPositionAt(Math.max(p.end, p.start + 1));
        return {
          startLineNumber: start.lineNumber,
          startColumn: start.column,
          endLineNumber: end.lineNumber,
          endColumn: end.column === start.column && end.lineNumber === start.lineNumber ? end.column + 1 : end.column,
          message: p.message,
          severity: p.severity === 'error' ? MarkerSeverity.Error : p.severity === 'warning' ? MarkerSeverity.Warning : MarkerSeverity.Info,
        };
      }),
    );
  }, [editor, problems, value]);

  const reveal = props.reveal;
  useEffect(() => {
    if (!editor || !reveal) return;
    const model = editor.editor.getModel();
    if (!model) return;
    const position = model.getPositionAt(reveal.offset);
    editor.editor.setPosition(position);
    editor.editor.revealPositionInCenter(position);
    editor.editor.focus();
    // Only a new request moves the cursor, never a re-render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editor, reveal?.seq]);

  return (
    <div className="code-editor" data-editor-ready={editor ? 'true' : undefined}>
      <div ref={host} className="code-editor-host" />
      {!editor && (
        // Until Monaco arrives (or if it cannot load), a plain text box with the same name and text keeps
        // the pane usable: the app accepts a paste as soon as the shell paints.
        <textarea
          ref={fallback}
          className="code-editor-fallback"
          aria-label={ariaLabel}
          title={failed ? `The editor could not load: ${failed}` : undefined}
          value={value}
          readOnly={readOnly}
          placeholder={placeholder}
          onChange={(e) => onChange.current?.(e.target.value)}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
        />
      )}
    </div>
  );
});

function sameRanges(
  model: MonacoEditor.ITextModel,
  ranges: ReturnType<MonacoEditor.IEditorDecorationsCollection['getRanges']>,
  highlights: readonly EditorHighlight[],
): boolean {
  if (ranges.length !== highlights.length) return false;
  return ranges.every((range, i) => model.getOffsetAt(range.getStartPosition()) === highlights[i]!.start && model.getOffsetAt(range.getEndPosition()) === highlights[i]!.end);
}
