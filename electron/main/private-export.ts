/**
 * The desktop app's private-key export: main writes the key itself, to a file the user picks in a save
 * dialog or to main's clipboard, so it never passes through the renderer. A copied key is cleared from
 * the clipboard after a minute if it is still there (the user may have copied something else since).
 */
import path from 'node:path';
import type { BrowserWindow, Clipboard, Dialog } from 'electron';
import { keyFileStem } from '../services/keys';
import type { PrivateKeyExporter } from '../services/keys/store-session';

export const CLIPBOARD_CLEAR_SECONDS = 60;

export interface ElectronExportDeps {
  dialog: Pick<Dialog, 'showSaveDialog'>;
  clipboard: Pick<Clipboard, 'writeText' | 'readText' | 'clear'>;
  /** The window the save dialog is modal to. */
  window: () => BrowserWindow | null;
  /** Where the dialog opens (the user's Documents folder). */
  defaultDir: () => string;
  setTimer?: (run: () => void, ms: number) => void;
}

export function createElectronPrivateExporter(deps: ElectronExportDeps): PrivateKeyExporter {
  const setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms).unref());
  return {
    destinations: ['file', 'clipboard'],
    async export({ store, key, format, destination }) {
      if (destination === 'clipboard') {
        const text = await store.revealPrivateKey(key.id, format);
        // Electron's clipboard reads and writes return promises (W3C-style) in the supported lines.
        await deps.clipboard.writeText(text);
        setTimer(() => {
          void clearIfUnchanged(deps.clipboard, text);
        }, CLIPBOARD_CLEAR_SECONDS * 1000);
        return { status: 'copied', clearsAfterSeconds: CLIPBOARD_CLEAR_SECONDS };
      }
      const extension = format === 'pem' ? 'pem' : 'jwk';
      const options = {
        title: `Save the private key ${key.kid}`,
        defaultPath: path.join(deps.defaultDir(), `${keyFileStem(key.kid)}.private.${extension}`),
        filters: [{ name: format === 'pem' ? 'PEM private key' : 'Private JWK', extensions: [extension] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'] as ('createDirectory' | 'showOverwriteConfirmation')[],
      };
      const window = deps.window();
      const chosen = window ? await deps.dialog.showSaveDialog(window, options) : await deps.dialog.showSaveDialog(options);
      if (chosen.canceled || !chosen.filePath) return { status: 'cancelled' };
      const { path: written } = await store.exportPrivateKeyToFile(key.id, { format, path: chosen.filePath });
      return { status: 'saved', path: written };
    },
  };
}

/** Clears the clipboard if it still holds `text`; a clipboard that cannot be read is left alone. */
async function clearIfUnchanged(clipboard: ElectronExportDeps['clipboard'], text: string): Promise<void> {
  try {
    if ((await clipboard.readText()) === text) clipboard.clear();
  } catch {
    // Nothing to do: the key may stay until the user copies something else, as after any copy.
  }
}
