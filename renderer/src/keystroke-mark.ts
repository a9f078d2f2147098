/**
 * The keystroke-to-render measure that scripts/bench-ui.mjs reads (`workbench:keystroke`): from the input
 * event's time stamp (so the editor's own handling of the key counts) to the end of the frame that shows
 * the result. Style, layout and paint follow a frame's animation-frame callbacks, so a task posted from one
 * runs after them. Costs one animation frame callback and one message per keystroke; no data is recorded.
 */
export const KEYSTROKE_MEASURE = 'workbench:keystroke';

export function measureKeystrokeToFrame(): void {
  const start = window.event?.timeStamp ?? performance.now();
  requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => performance.measure(KEYSTROKE_MEASURE, { start, end: performance.now() });
    channel.port2.postMessage(null);
  });
}
