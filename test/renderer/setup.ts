// Component tests: Monaco does not run in jsdom, so its wrapper is replaced by a textarea double
// (editor-double.tsx); unmount what a test rendered and drop its stores' timers before the next test.
import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { disposeStores } from './harness';

vi.mock('../../renderer/src/monaco/CodeEditor', () => import('./editor-double'));

afterEach(() => {
  cleanup();
  disposeStores();
});
