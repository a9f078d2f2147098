/**
 * What main does with a menu action: Open shows the system's file dialog and Paste reads main's
 * clipboard (the page could do neither from a menu click: a file chooser needs a user gesture in the
 * page, and the page may not read the clipboard); both go through the open queue like any token from
 * outside. Every other action is sent to the page, which runs it (renderer/src/commands.ts).
 */
import type { BrowserWindow, Clipboard, Dialog, OpenDialogOptions } from 'electron';
import { OPEN_FILE_EXTENSIONS, OPEN_FILE_MAX_BYTES } from '../../shared/contract/desktop';
import type { AppEvent, CommandId } from '../../shared/contract/desktop';
import type { OpenQueue } from './open-request';

export interface MenuCommandDeps {
  dialog: Pick<Dialog, 'showOpenDialog'>;
  clipboard: Pick<Clipboard, 'readText'>;
  window: () => BrowserWindow | null;
  queue: Pick<OpenQueue, 'add'>;
  send: (event: AppEvent) => void;
}

export function createMenuCommandRunner(deps: MenuCommandDeps): (id: CommandId) => Promise<void> {
  return async (id) => {
    if (id === 'open-file') return openFromDialog(deps);
    if (id === 'paste-token') return pasteFromClipboard(deps);
    deps.send({ type: 'command', id });
  };
}

async function openFromDialog(deps: MenuCommandDeps): Promise<void> {
  const options: OpenDialogOptions = {
    title: 'Open token file',
    properties: ['openFile'],
    filters: [
      { name: 'Token files', extensions: [...OPEN_FILE_EXTENSIONS] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const window = deps.window();
  const chosen = window ? await deps.dialog.showOpenDialog(window, options) : await deps.dialog.showOpenDialog(options);
  const file = chosen.filePaths[0];
  if (chosen.canceled || !file) return;
  await deps.queue.add([{ kind: 'file', source: 'file', path: file }]);
}

async function pasteFromClipboard(deps: MenuCommandDeps): Promise<void> {
  let text: string;
  try {
    // Synchronous in Electron's API, a promise in some lines (see private-export.ts): either is fine.
    text = (await Promise.resolve(deps.clipboard.readText())).trim();
  } catch {
    text = '';
  }
  if (text === '') await deps.queue.add([{ kind: 'refused', source: 'clipboard', message: 'The clipboard holds no text' }]);
  else if (text.length > OPEN_FILE_MAX_BYTES) await deps.queue.add([{ kind: 'refused', source: 'clipboard', message: 'The clipboard text is larger than 1 MiB' }]);
  else await deps.queue.add([{ kind: 'token', source: 'clipboard', token: text }]);
}
