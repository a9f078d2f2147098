/**
 * A cross-process exclusive lock file around the store's read-modify-write. Created with O_EXCL
 * ('wx'), it holds the owner's pid, host and a random nonce. A lock whose owner process is gone on
 * this host is stale and is broken; a live owner makes the caller wait, then fail with `store-locked`.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { errnoCode, KeyStoreError } from './errors';

export interface LockOptions {
  /** How long to wait for a live owner to let go. */
  timeoutMs?: number;
  /** A lock file that never got its content (owner died between create and write) is stale after this. */
  emptyStaleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

export interface HeldLock {
  release(): Promise<void>;
}

const RETRY_MIN_MS = 10;
const RETRY_MAX_MS = 60;

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM'; // exists, owned by someone else
  }
}

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const emptyStaleMs = options.emptyStaleMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomBytes(12).toString('hex'), since: '' };

  for (;;) {
    me.since = new Date().toISOString();
    if (await tryCreate(lockPath, me)) return { release: () => release(lockPath, me.nonce) };

    const seen = await readOwner(lockPath);
    if (seen !== null && (await isStale(lockPath, seen, emptyStaleMs))) {
      await breakStale(lockPath, seen.raw);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = seen?.owner ? `process ${seen.owner.pid} on ${seen.owner.host} since ${seen.owner.since}` : 'another process';
      throw new KeyStoreError(
        'store-locked',
        `the key store is locked by ${who}; close the other JWT Workbench instance or try again`,
      );
    }
    await sleep(RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS));
  }
}

async function tryCreate(lockPath: string, me: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw new KeyStoreError('store-write-failed', `cannot create the key store lock (${errnoCode(error) ?? 'error'})`, {
      cause: error,
    });
  }
  try {
    await handle.writeFile(JSON.stringify(me), 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(lockPath: string): Promise<{ raw: string; owner: LockOwner | null } | null> {
  let raw: string;
  try {
    raw = await readFile(lockPath, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null; // released meanwhile: just retry
    throw error;
  }
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') {
      return { raw, owner: { pid: value.pid, host: value.host, nonce: value.nonce, since: String(value.since) } };
    }
  } catch {
    // empty or half-written: judged by age below
  }
  return { raw, owner: null };
}

async function isStale(lockPath: string, seen: { owner: LockOwner | null }, emptyStaleMs: number): Promise<boolean> {
  if (seen.owner === null) {
    const info = await stat(lockPath).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > emptyStaleMs;
  }
  // A pid on another host (a shared network folder) cannot be checked: never presumed dead.
  if (seen.owner.host !== os.hostname()) return false;
  return !isProcessAlive(seen.owner.pid);
}

/**
 * Two processes may find the same stale lock. Each moves it to a private name first (rename is
 * atomic, so only one of them gets any given file) and then checks that what it moved is the stale
 * lock it judged; if it instead moved a lock someone just took, it puts that one back.
 */
async function breakStale(lockPath: string, staleRaw: string): Promise<void> {
  const aside = `${lockPath}.breaking-${process.pid}-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== staleRaw) {
    await link(aside, lockPath).catch(() => undefined); // fails only if yet another lock exists now
  }
  await rm(aside, { force: true });
}

async function release(lockPath: string, nonce: string): Promise<void> {
  // Remove the lock only while it is still ours (it is never taken from a live owner, but be exact).
  const current = await readOwner(lockPath).catch(() => null);
  if (current?.owner?.nonce === nonce) await rm(lockPath, { force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
