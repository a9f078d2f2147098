/**
 * Every host method answers with a Result. Errors travel as data because Electron carries only the
 * `message` of an error thrown in an `ipcMain.handle` handler, and HTTP carries only what we serialize.
 */

/** Codes every transport can produce before or around a handler. Stable: the renderer switches on them. */
export type TransportErrorCode =
  | 'bad-request' // the request failed the method's validator; details say which field and why
  | 'unknown-method'
  | 'forbidden-sender' // Electron: not the app's own window / main frame / origin
  | 'internal' // a handler threw unexpectedly; the message is generic on purpose
  // HTTP transport only (4xx responses, before any handler):
  | 'unauthorized' // missing or wrong per-launch secret
  | 'forbidden-host' // Host header is not this server (DNS rebinding)
  | 'forbidden-origin' // Origin header is present and not this server's
  | 'method-not-allowed'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'not-found'
  // Renderer client only: the host could not be reached or answered something that is not a Result.
  | 'network'
  | 'bad-response';

/**
 * A service's own codes (`signature-mismatch`, `key-invalid`, …) pass through unchanged, so the type is
 * open; the transport codes above are the ones every caller can rely on.
 */
export type ErrorCode = TransportErrorCode | (string & {});

/**
 * An error as data. `C` narrows the code to what one method can answer (shared/contract/errors.ts plus the
 * transport's codes), so a check for a code the method never answers does not compile.
 */
export interface HostError<C extends string = ErrorCode> {
  code: C;
  message: string;
  /** Plain data only (it crosses structured clone and JSON). For bad-request: `{ path }`. */
  details?: Record<string, unknown>;
}

export type Ok<T> = { ok: true; value: T };
export type Err<C extends string = ErrorCode> = { ok: false; error: HostError<C> };
export type Result<T, C extends string = ErrorCode> = Ok<T> | Err<C>;

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/**
 * A handler's answer: the task's value as Ok. Its typed errors (WorkbenchError) propagate: the dispatcher
 * turns those the method declares into error Results (shared/contract/dispatch.ts).
 */
export async function answer<T>(task: () => T | Promise<T>): Promise<Ok<T>> {
  return ok(await task());
}

export function err<C extends string>(code: C, message: string, details?: Record<string, unknown>): Err<C> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/** True when `value` has the shape of a Result (used by clients on data from another process). */
export function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.ok === true) return 'value' in v;
  if (v.ok !== false || typeof v.error !== 'object' || v.error === null) return false;
  const e = v.error as Record<string, unknown>;
  return typeof e.code === 'string' && typeof e.message === 'string';
}
