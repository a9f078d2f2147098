/**
 * Monaco, bundled from node_modules and configured once: workers (emitted by Vite as same-origin ES
 * module files, which the CSP's `worker-src 'self'` admits), the JSON language with the JWT schemas,
 * claim hovers and the two themes. Only the editor contributions the panes use are imported, which keeps
 * the lazily loaded chunk smaller than the full `editor.main`.
 *
 * Imported only through load.ts (a dynamic import), so none of this is in the initial bundle.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/suggest/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/format/register';
import 'monaco-editor/features/readOnlyMessage/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
// Services that bundled contributions look up when an editor is created (the CodeLens cache; tree drag and drop,
// for paste and drop) but that no feature entry above registers: without them an editor created after a view
// switch logs "[createInstance] … depends on UNKNOWN service". Registered before the first editor exists.
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache';
import 'monaco-editor/editor/common/services/treeViewsDndService';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import './editor.css';
import { HEADER_MODEL_URI, HEADER_SCHEMA, PAYLOAD_MODEL_URI, PAYLOAD_SCHEMA } from './schemas';

self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  trailingCommas: 'error',
  // Never fetch a `$schema` the user types: the app works offline and talks to no one unasked.
  enableSchemaRequest: false,
  schemas: [
    { uri: 'inmemory://workbench/schemas/header.json', fileMatch: [HEADER_MODEL_URI], schema: HEADER_SCHEMA },
    { uri: 'inmemory://workbench/schemas/payload.json', fileMatch: [PAYLOAD_MODEL_URI], schema: PAYLOAD_SCHEMA },
  ],
});

// The schema's descriptions show in completions; hovers are ours (hovers.ts), with live time descriptions.
jsonDefaults.setModeConfiguration({
  documentFormattingEdits: true,
  documentRangeFormattingEdits: true,
  completionItems: true,
  hovers: false,
  documentSymbols: true,
  tokens: true,
  colors: false,
  foldingRanges: true,
  diagnostics: true,
  selectionRanges: true,
});

monaco.editor.defineTheme('workbench-light', {
  base: 'vs',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#ffffff' },
});
monaco.editor.defineTheme('workbench-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#16181d' },
});

export { monaco };
