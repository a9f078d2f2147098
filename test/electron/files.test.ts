// The services' file helpers: atomic replacement, the lock file with its stale-lock break, and checked reads
// that refuse FIFOs, devices and folders without ever blocking on them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  acquireLock,
  FileLockError,
  FileReadError,
  readFileChecked,
  removeOrphanTemps,
  writeFileAtomic,
} from '../../electron/services/files';
import { WorkbenchError } from '../../shared/core/errors';

// A switch to make the rename of a temp file fail, for the "crash between temp write and rename" case.
const fsFault = vi.hoisted(() => ({ failRename: false }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const rename: typeof actual.rename = async (from, to) => {
    if (fsFault.failRename && String(from).includes('.tmp-')) {
      throw Object.assign(new Error('EIO: simulated failure'), { code: 'EIO' });
    }
    return actual.rename(from, to);
  };
  return { ...actual, rename, default: { ...actual, rename } };
});

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'files-'));
});
afterEach(() => {
  fsFault.failRename = false;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A pid that is certainly not running: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    expect(error).toBeInstanceOf(WorkbenchError);
    return error as T;
  }
  throw new Error(`expected a ${type.name}`);
}

describe('writeFileAtomic', () => {
  it('replaces the file whole, mode 0600 by default, leaving no temp file', async () => {
    const target = path.join(dir, 'data.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, new TextEncoder().encode('second'));
    expect(fs.readFileSync(target, 'utf8')).toBe('second');
    expect(fs.statSync(target).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir)).toEqual(['data.json']);
    await writeFileAtomic(path.join(dir, 'public.txt'), 'x', { mode: 0o644 });
    expect(fs.statSync(path.join(dir, 'public.txt')).mode & 0o077).toBe(0o044 & ~process.umask());
  });

  it('a failed rename keeps the old content and removes its temp file', async () => {
    const target = path.join(dir, 'data.json');
    await writeFileAtomic(target, 'old');
    fsFault.failRename = true;
    await expect(writeFileAtomic(target, 'new')).rejects.toMatchObject({ code: 'EIO' });
    expect(fs.readFileSync(target, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['data.json']);
  });

  it('readers during a stream of rewrites see the old or the new content, never a mix', async () => {
    const target = path.join(dir, 'data.txt');
    const a = 'a'.repeat(512 * 1024);
    const b = 'b'.repeat(512 * 1024);
    await writeFileAtomic(target, a);
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 30; i++) await writeFileAtomic(target, i % 2 === 0 ? b : a);
      writing = false;
    })();
    let reads = 0;
    while (writing) {
      const text = fs.readFileSync(target, 'utf8');
      expect(text === a || text === b).toBe(true);
      reads++;
      await new Promise(setImmediate);
    }
    await writer;
    expect(reads).toBeGreaterThan(0);
  });

  it('removeOrphanTemps removes temp files of dead writers only', async () => {
    const target = path.join(dir, 'data.json');
    await writeFileAtomic(target, 'x');
    const dead = `data.json.tmp-${await deadPid()}-aaaaaa`;
    const mine = `data.json.tmp-${process.pid}-bbbbbb`;
    const garbage = 'data.json.tmp-notapid';
    for (const name of [dead, mine, garbage, 'other.json.tmp-1-cc']) fs.writeFileSync(path.join(dir, name), 'partial');
    expect(await removeOrphanTemps(target)).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['data.json', mine, 'other.json.tmp-1-cc'].sort());
  });

  describe('a writer killed mid-write (SIGKILL)', () => {
    let workerFile: string;
    let buildDir: string;
    const children: ChildProcess[] = [];
    beforeAll(async () => {
      buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'files-worker-'));
      workerFile = path.join(buildDir, 'writer.mjs');
      const helper = path.resolve(__dirname, '../../electron/services/files/atomic-write.ts');
      // Rewrites the file forever with two alternating 2 MiB contents; says "ready" after the first write.
      const contents = `
        import { writeFileAtomic } from ${JSON.stringify(helper)};
        const [target] = process.argv.slice(2);
        const a = 'a'.repeat(2 * 1024 * 1024), b = 'b'.repeat(2 * 1024 * 1024);
        await writeFileAtomic(target, a);
        process.stdout.write('ready\\n');
        for (let i = 0; ; i++) await writeFileAtomic(target, i % 2 ? a : b);`;
      await build({
        stdin: { contents, resolveDir: buildDir, loader: 'ts' },
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        outfile: workerFile,
        logLevel: 'silent',
      });
    }, 60_000);
    afterEach(() => {
      for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    afterAll(() => fs.rmSync(buildDir, { recursive: true, force: true }));

    it('leaves the old or the new content, and its orphan temp is cleaned up', async () => {
      const target = path.join(dir, 'data.txt');
      let killedMidWrite = 0;
      for (let round = 0; round < 5; round++) {
        const child = spawn(process.execPath, [workerFile, target], { stdio: ['ignore', 'pipe', 'inherit'] });
        children.push(child);
        const exit = new Promise((resolve) => child.on('exit', resolve));
        await new Promise<void>((resolve, reject) => {
          child.stdout?.on('data', (chunk) => String(chunk).includes('ready') && resolve());
          child.on('exit', (code) => reject(new Error(`writer exited ${code}`)));
        });
        // Kill the moment a temp file shows: the writer is between creating it and renaming it.
        const deadline = Date.now() + 5000;
        while (!fs.readdirSync(dir).some((n) => n.includes('.tmp-')) && Date.now() < deadline) await new Promise(setImmediate);
        child.kill('SIGKILL');
        await exit;
        if (fs.readdirSync(dir).some((n) => n.includes('.tmp-'))) killedMidWrite++;
        const text = fs.readFileSync(target, 'utf8');
        expect(text.length).toBe(2 * 1024 * 1024);
        expect(text === 'a'.repeat(text.length) || text === 'b'.repeat(text.length)).toBe(true);
        await removeOrphanTemps(target);
        expect(fs.readdirSync(dir)).toEqual(['data.txt']);
      }
      expect(killedMidWrite).toBeGreaterThan(0);
    }, 60_000);
  });
});

describe('acquireLock', () => {
  const lockPath = () => path.join(dir, 'data.json.lock');
  const writeOwner = (owner: Record<string, unknown>) => fs.writeFileSync(lockPath(), JSON.stringify(owner));

  it('is exclusive: a second taker waits for the release', async () => {
    const first = await acquireLock(lockPath());
    const owner = JSON.parse(fs.readFileSync(lockPath(), 'utf8')) as Record<string, unknown>;
    expect(owner).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(fs.statSync(lockPath()).mode & 0o777).toBe(0o600);
    let secondHasIt = false;
    const second = acquireLock(lockPath(), { timeoutMs: 10_000 }).then((lock) => {
      secondHasIt = true;
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondHasIt).toBe(false);
    await first.release();
    const held = await second;
    expect(secondHasIt).toBe(true);
    await held.release();
    expect(fs.existsSync(lockPath())).toBe(false);
  });

  it('a live holder makes the caller wait, then fail with `locked` naming the holder', async () => {
    const held = await acquireLock(lockPath());
    const error = await rejection(acquireLock(lockPath(), { timeoutMs: 150 }), FileLockError);
    expect(error.code).toBe('locked');
    expect(error.holder).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(error.message).toBe(`'${lockPath()}' is locked by this process (pid ${process.pid})`);
    await held.release();
  });

  it('a lock of another live process is not broken', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeOwner({ pid: child.pid, host: os.hostname(), nonce: 'n1', since: '2024-01-01T00:00:00.000Z' });
      const error = await rejection(acquireLock(lockPath(), { timeoutMs: 150 }), FileLockError);
      expect(error.code).toBe('locked');
      expect(error.message).toContain(`process ${child.pid} on ${os.hostname()} since 2024-01-01T00:00:00.000Z`);
      expect(JSON.parse(fs.readFileSync(lockPath(), 'utf8'))).toMatchObject({ nonce: 'n1' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('a lock whose owner died on this host is broken and taken', async () => {
    writeOwner({ pid: await deadPid(), host: os.hostname(), nonce: 'stale', since: '2024-01-01T00:00:00.000Z' });
    const held = await acquireLock(lockPath(), { timeoutMs: 0 });
    expect(JSON.parse(fs.readFileSync(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
    await held.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a lock of a process on another host is never presumed dead', async () => {
    writeOwner({ pid: await deadPid(), host: `not-${os.hostname()}`, nonce: 'remote', since: 'then' });
    const error = await rejection(acquireLock(lockPath(), { timeoutMs: 100 }), FileLockError);
    expect(error.code).toBe('locked');
    expect(fs.existsSync(lockPath())).toBe(true);
  });

  it('an empty lock file is stale only once it is old', async () => {
    fs.writeFileSync(lockPath(), '');
    expect((await rejection(acquireLock(lockPath(), { timeoutMs: 100, emptyStaleMs: 60_000 }), FileLockError)).code).toBe('locked');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(lockPath(), old, old);
    const held = await acquireLock(lockPath(), { timeoutMs: 100, emptyStaleMs: 60_000 });
    await held.release();
  });

  it('a stale lock is broken one breaker at a time; a guard left by a breaker that died is cleared once old', async () => {
    writeOwner({ pid: await deadPid(), host: os.hostname(), nonce: 'stale', since: 'then' });
    const guard = `${lockPath()}.breaking`;
    fs.writeFileSync(guard, '');
    // A breaker at work (a fresh guard): the stale lock is left to it, and the caller waits as for a holder.
    expect((await rejection(acquireLock(lockPath(), { timeoutMs: 100, emptyStaleMs: 60_000 }), FileLockError)).code).toBe('locked');
    expect(fs.existsSync(lockPath())).toBe(true);
    // Its breaker died long ago: the guard goes, the stale lock is broken and taken.
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(guard, old, old);
    const held = await acquireLock(lockPath(), { timeoutMs: 1000, emptyStaleMs: 60_000 });
    await held.release();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('many takers of one stale lock: exactly one holds it at a time', async () => {
    writeOwner({ pid: await deadPid(), host: os.hostname(), nonce: 'stale', since: 'then' });
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        const held = await acquireLock(lockPath(), { timeoutMs: 10_000 });
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        await held.release();
      }),
    );
    expect(most).toBe(1);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a folder that does not exist fails with lock-failed', async () => {
    const error = await rejection(acquireLock(path.join(dir, 'missing', 'x.lock')), FileLockError);
    expect(error.code).toBe('lock-failed');
    expect(error.details).toMatchObject({ errno: 'ENOENT' });
  });
});

describe('readFileChecked', () => {
  const MAX = 1024;

  it('reads a regular file (also through a symlink), and gives null for a missing one', async () => {
    const file = path.join(dir, 'a.txt');
    fs.writeFileSync(file, 'héllo');
    expect(await readFileChecked(file, { maxBytes: MAX, encoding: 'utf8' })).toBe('héllo');
    expect(await readFileChecked(file, { maxBytes: MAX })).toEqual(Buffer.from('héllo'));
    fs.symlinkSync(file, path.join(dir, 'link'));
    expect(await readFileChecked(path.join(dir, 'link'), { maxBytes: MAX, encoding: 'utf8' })).toBe('héllo');
    expect(await readFileChecked(path.join(dir, 'missing'), { maxBytes: MAX })).toBeNull();
    fs.writeFileSync(path.join(dir, 'exact'), 'x'.repeat(MAX));
    expect(await readFileChecked(path.join(dir, 'exact'), { maxBytes: MAX, encoding: 'utf8' })).toHaveLength(MAX);
  });

  it('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const error = await rejection(readFileChecked(fifo, { maxBytes: MAX }), FileReadError);
    expect(error.code).toBe('not-a-regular-file');
    expect(error.message).toBe(`'${fifo}' is a FIFO (named pipe), not a regular file`);
    fs.symlinkSync(fifo, path.join(dir, 'to-pipe'));
    expect((await rejection(readFileChecked(path.join(dir, 'to-pipe'), { maxBytes: MAX }), FileReadError)).code).toBe(
      'not-a-regular-file',
    );
  }, 5_000);

  it('refuses /dev/zero and a symlink to it', async () => {
    const error = await rejection(readFileChecked('/dev/zero', { maxBytes: MAX }), FileReadError);
    expect(error.code).toBe('not-a-regular-file');
    expect(error.details).toMatchObject({ kind: 'a character device' });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
    expect((await rejection(readFileChecked(path.join(dir, 'zero'), { maxBytes: MAX }), FileReadError)).code).toBe(
      'not-a-regular-file',
    );
  }, 5_000);

  it('refuses a folder', async () => {
    const error = await rejection(readFileChecked(dir, { maxBytes: MAX }), FileReadError);
    expect(error.code).toBe('not-a-regular-file');
    expect(error.message).toContain('is a folder');
  }, 5_000);

  it('refuses a file larger than maxBytes', async () => {
    const file = path.join(dir, 'big');
    fs.writeFileSync(file, 'x'.repeat(MAX + 1));
    const error = await rejection(readFileChecked(file, { maxBytes: MAX }), FileReadError);
    expect(error.code).toBe('too-large');
    expect(error.message).toBe(`'${file}' is larger than 1 KiB`);
    expect(error.details).toMatchObject({ maxBytes: MAX });
  }, 5_000);

  it('refuses a socket', async () => {
    const net = await import('node:net');
    const socketPath = path.join(dir, 's.sock');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      expect((await rejection(readFileChecked(socketPath, { maxBytes: MAX }), FileReadError)).code).toBe('not-a-regular-file');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 5_000);

  it('an unreadable file is `unreadable` with its errno', async () => {
    const file = path.join(dir, 'secret');
    fs.writeFileSync(file, 'x', { mode: 0o000 });
    // root reads anything: then there is nothing to refuse.
    const readable = (() => {
      try {
        fs.readFileSync(file);
        return true;
      } catch {
        return false;
      }
    })();
    const read = readFileChecked(file, { maxBytes: MAX, encoding: 'utf8' });
    if (readable) {
      expect(await read).toBe('x');
    } else {
      const error = await rejection(read, FileReadError);
      expect(error.code).toBe('unreadable');
      expect(error.details).toMatchObject({ errno: 'EACCES' });
    }
  });
});
