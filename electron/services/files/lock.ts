/**
 * A cross-process exclusive lock file, around a read-modify-write of a data file. Created with O_EXCL ('wx'),
 * it holds its owner's pid, host and a random nonce. A lock whose owner process is gone ON THIS HOST is stale
 * and is broken (race-free, see breakStale); a live owner — another process, or another holder in this one —
 * makes the caller wait up to `timeoutMs`, then fail with FileLockError `locked` naming the holder. An owner
 * on another host (a shared network folder) cannot be checked and is never presumed dead.
 */
import { randomBytes } from 'node:crypto';
import { open, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { errnoCode, FileLockError, type LockHolder } from './errors';
import { isProcessAlive } from './process';
import { readFileChecked } from './read';

export interface LockOptions {
  /** How long to wait for a live holder to let go; 0 tries once. Default 5 s. */
  timeoutMs?: number;
  /** A lock file that never got its content (owner died between create and write) is stale after this. Default 5 s. */
  emptyStaleMs?: number;
}

export interface HeldLock {
  /** Removes the lock file if it is still this holder's. Never throws for a lock already gone. */
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

interface SeenLock {
  raw: string;
  owner: LockOwner | null;
}

const RETRY_MIN_MS = 10;
const RETRY_MAX_MS = 60;
/** A lock file is a few dozen bytes; anything much larger is not one of ours. */
const MAX_LOCK_FILE_BYTES = 4096;

/**
 * Takes the lock at `lockPath` (its folder must exist). Throws FileLockError: `locked` when a live holder
 * keeps it past `timeoutMs`, `lock-failed` when the lock file cannot be created or read.
 */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const emptyStaleMs = options.emptyStaleMs ?? 5000;
  const deadline = Date.now() + timeoutMs;
  const me: LockOwner = { pid: process.pid, host: os.hostname(), nonce: randomBytes(12).toString('hex'), since: '' };

  for (;;) {
    me.since = new Date().toISOString();
    if (await tryCreate(lockPath, me)) return { release: () => release(lockPath, me.nonce) };

    const seen = await readOwner(lockPath);
    if (seen !== null && (await isStale(lockPath, seen, emptyStaleMs)) && (await breakStale(lockPath, seen.raw, emptyStaleMs))) continue;
    if (Date.now() >= deadline) {
      const holder: LockHolder | null = seen?.owner
        ? { pid: seen.owner.pid, host: seen.owner.host, since: seen.owner.since || null }
        : null;
      throw new FileLockError('locked', `'${lockPath}' is locked by ${describeHolder(holder)}`, { lockPath, holder });
    }
    await sleep(RETRY_MIN_MS + Math.random() * (RETRY_MAX_MS - RETRY_MIN_MS));
  }
}

/** "process 123 on host-a since 2024-…", "this process (pid 123)", or "another process" when unknown. */
export function describeHolder(holder: LockHolder | null): string {
  if (holder === null || holder.pid === null) return 'another process';
  if (holder.pid === process.pid && holder.host === os.hostname()) return `this process (pid ${holder.pid})`;
  return `process ${holder.pid} on ${holder.host ?? 'an unknown host'}${holder.since ? ` since ${holder.since}` : ''}`;
}

async function tryCreate(lockPath: string, me: LockOwner): Promise<boolean> {
  let handle;
  try {
    handle = await open(lockPath, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw lockFailed(lockPath, 'create', error);
  }
  try {
    await handle.writeFile(JSON.stringify(me), 'utf8');
  } finally {
    await handle.close();
  }
  return true;
}

async function readOwner(lockPath: string): Promise<SeenLock | null> {
  let raw: string | null;
  try {
    raw = await readFileChecked(lockPath, { maxBytes: MAX_LOCK_FILE_BYTES, encoding: 'utf8' });
  } catch (error) {
    throw lockFailed(lockPath, 'read', error);
  }
  if (raw === null) return null; // released meanwhile: just retry
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.nonce === 'string') {
      return { raw, owner: { pid: value.pid, host: value.host, nonce: value.nonce, since: typeof value.since === 'string' ? value.since : '' } };
    }
  } catch {
    // empty or half-written: judged by age below
  }
  return { raw, owner: null };
}

async function isStale(lockPath: string, seen: SeenLock, emptyStaleMs: number): Promise<boolean> {
  if (seen.owner === null) {
    const info = await stat(lockPath).catch(() => null);
    return info !== null && Date.now() - info.mtimeMs > emptyStaleMs;
  }
  // A pid on another host (a shared network folder) cannot be checked: never presumed dead.
  if (seen.owner.host !== os.hostname()) return false;
  return !isProcessAlive(seen.owner.pid);
}

/**
 * Several takers (processes, or holders in this one) may find the same stale lock. Breaking it is done under
 * a guard file created with O_EXCL, one breaker at a time, and the lock is judged again under the guard: no
 * one else removes the lock file meanwhile, and no one can take the lock while the stale file is there, so
 * the same content, still stale, is the same dead lock — removing it can never remove a live holder's lock.
 * (Moving the lock aside and putting back a live one, as before, left a moment with no lock file, in which
 * a second taker got in: two holders.) Answers whether this taker did the check, so the caller retries at
 * once; while another breaker works, the caller waits its turn as for a live holder. A guard left behind by
 * a breaker that died is cleared once older than `staleMs` (breaking takes milliseconds).
 */
async function breakStale(lockPath: string, staleRaw: string, staleMs: number): Promise<boolean> {
  const guard = `${lockPath}.breaking`;
  let handle;
  try {
    handle = await open(guard, 'wx', 0o600);
  } catch (error) {
    if (errnoCode(error) !== 'EEXIST') throw lockFailed(lockPath, 'break the stale', error);
    const info = await stat(guard).catch(() => null);
    if (info !== null && Date.now() - info.mtimeMs > staleMs) await rm(guard, { force: true });
    return false;
  }
  try {
    await handle.close();
    const now = await readOwner(lockPath);
    if (now !== null && now.raw === staleRaw && (await isStale(lockPath, now, staleMs))) await rm(lockPath, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
  return true;
}

async function release(lockPath: string, nonce: string): Promise<void> {
  // Remove the lock only while it is still ours (it is never taken from a live owner, but be exact).
  const current = await readOwner(lockPath).catch(() => null);
  if (current?.owner?.nonce === nonce) await rm(lockPath, { force: true });
}

function lockFailed(lockPath: string, doing: string, cause: unknown): FileLockError {
  const why = errnoCode(cause) ?? (cause instanceof Error ? cause.message : 'error');
  return new FileLockError('lock-failed', `cannot ${doing} lock file '${lockPath}' (${why})`, { lockPath, cause });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
