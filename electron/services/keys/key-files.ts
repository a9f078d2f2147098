/**
 * Writes a generated key to files, as `jwtdbg keygen --out DIR` does: the private part readable by its
 * owner only (0600), the public part beside it. Existing files are never overwritten.
 */
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { errnoCode, KeyStoreError } from './errors';
import type { ExportFormat, KeygenOutput } from './export';

export interface KeyFiles {
  /** null for an HMAC secret: it has no public part. */
  publicPath: string | null;
  privatePath: string;
}

/** A file name from a kid: thumbprints pass unchanged; anything outside [A-Za-z0-9._-] becomes '_'. */
export function keyFileStem(kid: string): string {
  const stem = kid.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  return stem.length > 0 ? stem : 'key';
}

export async function writeKeyFiles(output: KeygenOutput, dir: string, format: ExportFormat): Promise<KeyFiles> {
  const stem = path.join(path.resolve(dir), keyFileStem(output.kid));
  const extension = format === 'pem' ? 'pem' : 'jwk';
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2) + '\n');
  const privatePath = `${stem}.private.${extension}`;
  const publicPath = output.public === null ? null : `${stem}.public.${extension}`;
  await writeNew(privatePath, text(output.private), 0o600);
  if (publicPath !== null) {
    try {
      await writeNew(publicPath, text(output.public), 0o644);
    } catch (error) {
      await rm(privatePath, { force: true }); // all or nothing: no private key left without its public file
      throw error;
    }
  }
  return { publicPath, privatePath };
}

async function writeNew(file: string, data: string, mode: number): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'wx', mode);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
  } catch (error) {
    const code = errnoCode(error);
    const why = code === 'EEXIST' ? 'it already exists' : (code ?? 'error');
    throw new KeyStoreError('file-write-failed', `cannot write ${file} (${why})`, { cause: error });
  } finally {
    await handle?.close();
  }
}
