// Component tests: Monaco does not run in jsdom, so its wrapper is replaced by a textarea double
// (editor-double.tsx); unmount what a test rendered and drop its stores' timers before the next test.
import { cleanup, configure } from '@testing-library/react';
import { afterEach, vi } from 'vitest';
import { disposeStores } from './harness';

// findBy* / waitFor resolve as soon as what they wait for is there; the default 1 s limit was seen to run
// out on a 2-core machine busy with other test workers, so allow 5 s before calling it a failure.
configure({ asyncUtilTimeout: 5000 });

vi.mock('../../renderer/src/monaco/CodeEditor', () => import('./editor-double'));

afterEach(() => {
  cleanup();
  disposeStores();
});
