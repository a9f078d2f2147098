/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over the
 * target (atomic on POSIX and on NTFS), then fsync the directory so the rename itself is durable.
 * A crash at any point leaves either the old file or the new one, never a torn mix.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

const TEMP_MARK = '.tmp-';

/** Temp names carry the writer's pid, so leftovers of a crashed writer can be told from live ones. */
function tempPathFor(target: string): string {
  return `${target}${TEMP_MARK}${process.pid}-${randomBytes(6).toString('hex')}`;
}

export async function writeFileAtomic(target: string, data: string, mode = 0o600): Promise<void> {
  const temp = tempPathFor(target);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data, 'utf8');
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

/** fsync of a directory; Windows cannot open one for it, and there the rename is already durable. */
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

/** Removes temp files that writers which are no longer running left beside `target`. */
export async function removeOrphanTemps(target: string, isProcessAlive: (pid: number) => boolean): Promise<number> {
  const dir = path.dirname(target);
  const prefix = path.basename(target) + TEMP_MARK;
  let removed = 0;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || (pid !== process.pid && !isProcessAlive(pid))) {
      await rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
