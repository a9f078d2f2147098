/**
 * The Electron transport of the host contract: one `ipcMain.handle` per method on its fixed channel.
 * The sender is checked before anything else, then the shared dispatcher validates the request and runs
 * the handler; the renderer always gets a Result back, never a thrown error (IPC would keep only its
 * message).
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { DispatchOptions } from '../../shared/contract/dispatch';
import { METHOD_NAMES, channelOf } from '../../shared/contract/method-names';
import type { Handlers } from '../../shared/contract/methods';
import { err } from '../../shared/contract/result';
import type { Result } from '../../shared/contract/result';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Registers every method; returns a function that removes them again. */
export function registerHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: Handlers,
  isTrustedSender: SenderCheck,
  options: DispatchOptions = {},
): () => void {
  const dispatch = createDispatcher(handlers, options);
  for (const method of METHOD_NAMES) {
    // Only the first argument is the request: the preload sends exactly one, anything else is ignored.
    ipcMain.handle(channelOf(method), async (event: IpcMainInvokeEvent, request: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSenderSafely(isTrustedSender, event)) {
        return err('forbidden-sender', 'This sender may not call the host');
      }
      return dispatch(method, request, { transport: 'electron' });
    });
  }
  return () => {
    for (const method of METHOD_NAMES) ipcMain.removeHandler(channelOf(method));
  };
}

/** A check that throws (a destroyed frame, say) is a failed check. */
function isTrustedSenderSafely(check: SenderCheck, event: IpcMainInvokeEvent): boolean {
  try {
    return check(event) === true;
  } catch {
    return false;
  }
}
