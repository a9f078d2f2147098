/**
 * Crash-safe file replacement: write a temp file in the same folder, fsync it, rename it over the target
 * (atomic on POSIX and on NTFS), then fsync the folder so the rename itself is durable. A crash at any point
 * leaves either the old file or the new one, never a torn mix — at worst an orphan temp file, which
 * `removeOrphanTemps` clears.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { isProcessAlive } from './process';

const TEMP_MARK = '.tmp-';

export interface AtomicWriteOptions {
  /** Permission bits of the new file (before the umask). Default 0600: services write private data. */
  mode?: number;
}

/** Temp names carry the writer's pid, so leftovers of a crashed writer can be told from live ones. */
function tempPathFor(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Replaces `target` with `data` (a string is written as UTF-8). Throws the Node system error (ENOSPC,
 * EACCES, …) unchanged — callers map it to their own error code; the previous file is then intact and the
 * temp file removed.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(target));
}

/** fsync of a folder; Windows cannot open one for it, and there the rename is already durable. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Removes the temp files that writers no longer running left beside `target` (a temp of a live writer, or of
 * this process, is kept). Returns how many were removed. Call it under the file's lock, at open.
 */
export async function removeOrphanTemps(target: string, isAlive: (pid: number) => boolean = isProcessAlive): Promise<number> {
  const dir = path.dirname(target);
  const prefix = path.basename(target) + TEMP_MARK;
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && !isAlive(pid))) {
      await rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
