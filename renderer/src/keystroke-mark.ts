/**
 * The keystroke measures that scripts/bench-ui.mjs reads, both from the input event's time stamp (so the
 * editor's own handling of the key counts):
 * - `workbench:keystroke-update`: to the moment every pane holds the keystroke's result (store decoded,
 *   React committed, editor models edited), before anything is drawn: the work the keystroke costs.
 * - `workbench:keystroke`: to the end of the frame that shows it. Style, layout and paint follow a frame's
 *   animation-frame callbacks, so a task posted from one runs after them. This includes the wait for the
 *   display's next frame, up to 16.7 ms at 60 Hz, which no work on the page can shorten.
 * Costs a microtask, an animation-frame callback and a message per keystroke; no data is recorded.
 */
export const KEYSTROKE_MEASURE = 'workbench:keystroke';
export const KEYSTROKE_UPDATE_MEASURE = 'workbench:keystroke-update';

// A typed character reaches the editor in the `keypress` (or `input`) after its `keydown`, which the editor
// handles too: the keystroke starts at the keydown.
let lastKeyDown = -Infinity;
if (typeof window !== 'undefined') window.addEventListener('keydown', (event) => (lastKeyDown = event.timeStamp), { capture: true, passive: true });
const SAME_KEYSTROKE_MS = 50;

/** Call in the handler of the edit, then `measureKeystroke(start)` right after handing the text on. */
export function keystrokeStart(): number {
  const eventTime = window.event?.timeStamp ?? performance.now();
  return eventTime - lastKeyDown >= 0 && eventTime - lastKeyDown < SAME_KEYSTROKE_MS ? lastKeyDown : eventTime;
}

export function measureKeystroke(start: number): void {
  // A state change queues React's flush as a microtask; this one, queued after it, runs once it is done.
  queueMicrotask(() => performance.measure(KEYSTROKE_UPDATE_MEASURE, { start, end: performance.now() }));
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => performance.measure(KEYSTROKE_MEASURE, { start, end: performance.now() });
    channel.port2.postMessage(null);
  });
}
