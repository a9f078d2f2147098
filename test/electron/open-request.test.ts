import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OpenQueue, isCompactToken, openRequestsFromArgv, parseOpenLink, readTokenFile, textOf } from '../../electron/main/open-request';
import { parseAppEvent } from '../../shared/contract/desktop';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
// A JWE's five segments (protected header only is decoded).
const JWE = 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'open-request-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('jwtdbg:// links', () => {
  it('accept jwtdbg://open?token=… and jwtdbg://TOKEN (with or without a trailing slash)', () => {
    for (const link of [`jwtdbg://open?token=${TOKEN}`, `jwtdbg://open/?token=${TOKEN}`, `JWTDBG://open?token=${TOKEN}&x=1`, `jwtdbg://${TOKEN}`, `jwtdbg://${TOKEN}/`]) {
      expect(parseOpenLink(link), link).toEqual({ kind: 'token', source: 'link', token: TOKEN });
    }
    expect(parseOpenLink(`jwtdbg://${JWE}`)).toEqual({ kind: 'token', source: 'link', token: JWE });
  });

  it('refuse anything that is not a compact token that decodes, without quoting the link', () => {
    const bad = [
      'jwtdbg://open?token=',
      'jwtdbg://open',
      'jwtdbg://not-a-token',
      `jwtdbg://open?token=${TOKEN}%00`,
      `jwtdbg://open?token=${TOKEN.replace('eyJ', 'e<J')}`,
      'jwtdbg://e30.e30', // two segments
      'jwtdbg://bm90IGpzb24.e30.c2ln', // header is not JSON
      `https://example.com/?token=${TOKEN}`,
      `jwtdbg://${'a'.repeat(1024 * 1024)}.e30.c2ln`,
    ];
    for (const link of bad) {
      const request = parseOpenLink(link);
      expect(request.kind, link.slice(0, 60)).toBe('refused');
      expect(JSON.stringify(request)).not.toContain('e30');
      expect(JSON.stringify(request)).not.toContain(TOKEN.slice(0, 20));
    }
  });

  it('isCompactToken wants base64url segments that decode', () => {
    expect(isCompactToken(TOKEN)).toBe(true);
    expect(isCompactToken(` ${TOKEN}`)).toBe(false);
    expect(isCompactToken(`Bearer ${TOKEN}`)).toBe(false);
    expect(isCompactToken('a.b.c')).toBe(false);
  });
});

describe('the command line', () => {
  it('finds tokens, .jwt / .txt files (relative to the launching folder) and links; ignores the rest', () => {
    const argv = ['/opt/JWT Workbench/jwt-workbench', '.', '--no-sandbox', '--flag=x.jwt', TOKEN, 'notes.TXT', 'sub/a.jwt', '/abs/b.jwt', 'readme.md', 'hello', `jwtdbg://open?token=${TOKEN}`, 'jwtdbg://bad'];
    expect(openRequestsFromArgv(argv, '/home/me')).toEqual([
      { kind: 'token', source: 'command-line', token: TOKEN },
      { kind: 'file', source: 'command-line', path: path.resolve('/home/me', 'notes.TXT') },
      { kind: 'file', source: 'command-line', path: path.resolve('/home/me', 'sub/a.jwt') },
      { kind: 'file', source: 'command-line', path: path.resolve('/abs/b.jwt') },
      { kind: 'token', source: 'link', token: TOKEN },
      { kind: 'refused', source: 'link', message: expect.any(String) },
    ]);
  });

  it('never takes the executable itself (argv[0]) for a request', () => {
    expect(openRequestsFromArgv([path.join(dir, 'odd.jwt')], dir)).toEqual([]);
  });
});

describe('token files', () => {
  it('reads a text file, trimmed, with its name; a BOM is dropped', async () => {
    const file = path.join(dir, 'token.jwt');
    fs.writeFileSync(file, `\uFEFF${TOKEN}\n`);
    expect(await readTokenFile(file, 'file')).toEqual({ ok: true, source: 'file', token: TOKEN, name: 'token.jwt' });
  });

  it('refuses missing, oversized, binary and special files, naming the file only', async () => {
    const big = path.join(dir, 'big.jwt');
    fs.writeFileSync(big, 'a'.repeat(1024 * 1024 + 1));
    const binary = path.join(dir, 'binary.jwt');
    fs.writeFileSync(binary, Buffer.from([0x65, 0x79, 0x00, 0x01, 0x02]));
    const latin1 = path.join(dir, 'latin1.txt');
    fs.writeFileSync(latin1, Buffer.from([0x65, 0xe9, 0x65]));
    const folder = path.join(dir, 'folder.jwt');
    fs.mkdirSync(folder);
    expect(await readTokenFile(path.join(dir, 'missing.jwt'), 'file')).toEqual({ ok: false, source: 'file', message: "'missing.jwt' does not exist" });
    expect(await readTokenFile(big, 'command-line')).toEqual({ ok: false, source: 'command-line', message: "'big.jwt' is larger than 1 MiB" });
    expect(await readTokenFile(binary, 'file')).toEqual({ ok: false, source: 'file', message: "'binary.jwt' is not a text file" });
    expect(await readTokenFile(latin1, 'file')).toEqual({ ok: false, source: 'file', message: "'latin1.txt' is not a text file" });
    expect(await readTokenFile(folder, 'file')).toEqual({ ok: false, source: 'file', message: "'folder.jwt' is not a regular file" });
  });

  it.runIf(process.platform !== 'win32')('refuses a FIFO without blocking on it', async () => {
    const fifo = path.join(dir, 'pipe.jwt');
    execFileSync('mkfifo', [fifo]);
    expect(await readTokenFile(fifo, 'file')).toEqual({ ok: false, source: 'file', message: "'pipe.jwt' is not a regular file" });
  });

  it('textOf keeps tabs and line breaks and refuses other control characters', () => {
    expect(textOf(new TextEncoder().encode('a\tb\r\nc'))).toBe('a\tb\r\nc');
    expect(textOf(new TextEncoder().encode('a\u001bb'))).toBeNull();
  });
});

describe('the open queue', () => {
  it('keeps order across files and tokens, notifies once per batch, and hands each open over once', async () => {
    const file = path.join(dir, 'queued.jwt');
    fs.writeFileSync(file, JWE);
    const notify = vi.fn();
    const queue = new OpenQueue(notify);
    const first = queue.add([{ kind: 'file', source: 'command-line', path: file }]);
    const second = queue.add([{ kind: 'token', source: 'link', token: TOKEN }, { kind: 'refused', source: 'link', message: 'no' }]);
    await Promise.all([first, second]);
    expect(notify).toHaveBeenCalledTimes(2);
    expect(queue.take()).toEqual([
      { ok: true, source: 'command-line', token: JWE, name: 'queued.jwt' },
      { ok: true, source: 'link', token: TOKEN, name: null },
      { ok: false, source: 'link', message: 'no' },
    ]);
    expect(queue.take()).toEqual([]);
    await queue.add([]);
    expect(notify).toHaveBeenCalledTimes(2);
  });

  it('keeps at most the last hundred unread opens', async () => {
    const queue = new OpenQueue(() => {});
    await queue.add(Array.from({ length: 130 }, (_, i) => ({ kind: 'refused' as const, source: 'link' as const, message: String(i) })));
    const taken = queue.take();
    expect(taken).toHaveLength(100);
    expect(taken[0]).toMatchObject({ message: '30' });
  });
});

describe('app events', () => {
  it('only known shapes pass', () => {
    expect(parseAppEvent({ type: 'open-pending', token: TOKEN })).toEqual({ type: 'open-pending' });
    expect(parseAppEvent({ type: 'command', id: 'view-keys' })).toEqual({ type: 'command', id: 'view-keys' });
    expect(parseAppEvent({ type: 'command', id: 'rm -rf' })).toBeNull();
    expect(parseAppEvent({ type: 'other' })).toBeNull();
    expect(parseAppEvent('open-pending')).toBeNull();
    expect(parseAppEvent(null)).toBeNull();
  });
});

describe('electron-builder.cjs', () => {
  it('associates .jwt files and registers the jwtdbg scheme', async () => {
    const { createRequire } = await import('node:module');
    const config = createRequire(import.meta.url)('../../electron-builder.cjs') as {
      fileAssociations: { ext: string; mimeType: string }[];
      protocols: { schemes: string[] }[];
    };
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: 'jwt', mimeType: 'application/jwt' })]);
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['jwtdbg'] })]);
  });
});
