import { useRef } from 'react';

/**
 * `value` while `hold` is false; while it is true, the value it had when it last was false. A view that keystrokes
 * hide and show again (a broken token, then mended) keeps its content, hidden, instead of being torn down and rebuilt.
 */
export function useHeldWhile<T>(hold: boolean, value: T): T {
  const held = useRef(value);
  if (!hold) held.current = value;
  return held.current;
}
