/**
 * The transport-independent half of every call: method lookup, request validation, handler, and the
 * conversion of an unexpected throw into a generic `internal` error. The Electron and HTTP transports
 * do their own caller checks first, then hand the raw request here.
 */
import { isMethodName } from './method-names';
import type { MethodName } from './method-names';
import { methods } from './methods';
import type { CallContext, Handler, Handlers } from './methods';
import { WorkbenchError } from '../core/errors';
import { declaresError } from './errors';
import { err, isResult } from './result';
import type { Result } from './result';

export interface DispatchOptions {
  /**
   * Told about handler failures that became `internal` errors, for logging. The error may hold request
   * data (a parser's message can quote its input): log its name and stack frames, never its message.
   */
  onInternalError?: (method: MethodName, error: unknown) => void;
}

export type Dispatch = (method: string, request: unknown, context: CallContext) => Promise<Result<unknown>>;

export function createDispatcher(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (method, request, context) => {
    if (!isMethodName(method)) {
      return err('unknown-method', `Unknown method ${JSON.stringify(method.slice(0, 64))}`);
    }
    const parsed = methods[method].request.parse(request);
    if (!parsed.ok) {
      const { path, message } = parsed.issue;
      return err('bad-request', `${path || 'request'}: ${message}`, { path });
    }
    try {
      // The map is keyed by method, so handler and validated request belong together.
      const handler = handlers[method] as Handler<MethodName>;
      const result: unknown = await handler(parsed.value as never, context);
      if (!isResult(result)) throw new TypeError(`handler for ${method} returned something that is not a Result`);
      if (result.ok || declaresError(method, result.error.code)) return result;
      throw new TypeError(`handler for ${method} answered the undeclared error code ${result.error.code}`);
    } catch (error) {
      // The one mapping from the error family to a Result: a typed error the method declares is an answer;
      // anything else (another code, a plain Error, a non-Error) is a defect, answered generically.
      if (error instanceof WorkbenchError && declaresError(method, error.code)) return err(error.code, error.message, error.details);
      options.onInternalError?.(method, error);
      return err('internal', `${method} failed unexpectedly; see the host's log`);
    }
  };
}

/** The part of an error that is safe to log: its class and stack frames, without its message. */
export function describeErrorForLog(error: unknown): string {
  if (!(error instanceof Error)) return `non-Error value (${typeof error})`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  return [error.name, ...frames].join('\n');
}
