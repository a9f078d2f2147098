/**
 * Loads Monaco on demand: the shell paints and decodes first, the editor chunk (≈ 3 MB) follows.
 * One shared promise, so every pane waits for the same load. A failed load can be retried.
 */
export type Monaco = typeof import('monaco-editor/editor/editor.api');

let loading: Promise<Monaco> | null = null;

export function loadMonaco(): Promise<Monaco> {
  loading ??= import('./setup').then(
    (module) => module.monaco,
    (error: unknown) => {
      loading = null;
      throw error;
    },
  );
  return loading;
}
