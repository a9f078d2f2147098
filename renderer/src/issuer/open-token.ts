/**
 * "Open in debugger" from the issuer and stepper views. The token is put in the debugger's input (the
 * token slice's setInput), and an event is dispatched so the shell can switch to the Debugger tab:
 * `window.addEventListener(OPEN_TOKEN_EVENT, …)`. The event carries no token: the store already has it.
 */
export const OPEN_TOKEN_EVENT = 'workbench:open-token';

export function announceOpenToken(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(OPEN_TOKEN_EVENT));
}
