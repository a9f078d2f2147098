/**
 * The web host's private-key export: it has no dialog nor clipboard of its own (the browser page must
 * never see the key), so it writes the key into the data folder's `exports/` subfolder, owner-only,
 * under a fresh name, and answers with the path. Electron main has its own exporter (save dialog,
 * clipboard) in electron/main.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, KeyStoreError } from './errors';
import { keyFileStem } from './key-files';
import type { PrivateKeyExporter } from './store-session';

export const EXPORTS_FOLDER = 'exports';

export function createExportsFolderExporter(dataDir: string): PrivateKeyExporter {
  const folder = path.join(path.resolve(dataDir), EXPORTS_FOLDER);
  return {
    destinations: ['file'],
    async export({ store, key, format, destination }) {
      if (destination !== 'file') {
        throw new KeyStoreError(
          'not-supported',
          `this host cannot copy a private key to the clipboard; it writes it to a file in ${folder}`,
        );
      }
      try {
        await mkdir(folder, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new KeyStoreError('file-write-failed', `cannot create ${folder} (${errnoCode(error) ?? 'error'})`, { cause: error });
      }
      // Time first so a listing sorts by export; the random part keeps two exports in one second apart.
      const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
      const name = `${keyFileStem(key.kid)}.private-${stamp}-${randomBytes(3).toString('hex')}.${format === 'pem' ? 'pem' : 'jwk'}`;
      const { path: written } = await store.exportPrivateKeyToFile(key.id, { format, path: path.join(folder, name) });
      return { status: 'saved', path: written };
    },
  };
}
