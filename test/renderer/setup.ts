// Component tests: unmount what a test rendered and drop its stores' timers before the next test.
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { disposeStores } from './harness';

afterEach(() => {
  cleanup();
  disposeStores();
});
