// State in the data folder: a restart keeps families (and reuse detection), users, settings and the clock;
// the file never holds a token or password; a second issuer cannot share the folder; a corrupt file is set aside.
// The journal's crash behaviour is in issuer-journal.test.ts and issuer-durability.test.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIssuer, IssuerStartError } from '../../electron/services/issuer/index';
import { startTestIssuer } from './issuer-helpers';
import type { TokenResponse } from './issuer-helpers';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issuer-state-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('issuer persistence', () => {
  it('a restart keeps families: the rotated token still refreshes, and replaying its parent is still reuse', async () => {
    const dataDir = tempDir();
    const first = await startTestIssuer({ dataDir });
    const login = await first.passwordLogin();
    const child = (await (await first.refresh(login.refresh_token!)).json()) as TokenResponse;
    await first.control('PUT', '/settings', { graceWindow: 7 });
    await first.control('PUT', '/users/bob', { password: 'builder', claims: { team: 'blue' } });
    await first.close();

    const file = path.join(dataDir, 'issuer-state.json');
    const text = fs.readFileSync(file, 'utf8');
    for (const secret of [login.refresh_token!, child.refresh_token!, 'wonderland', 'builder']) expect(text).not.toContain(secret);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dataDir).sort()).toEqual(['issuer-state.json']);

    const second = await startTestIssuer({ dataDir, clock: first.clock });
    try {
      expect(((await (await second.control('GET', '/settings')).json()) as { graceWindow: number }).graceWindow).toBe(7);
      expect((await second.passwordLogin({ username: 'bob', password: 'builder' })).access_token).toBeTruthy();
      const next = await second.refresh(child.refresh_token!);
      expect(next.status).toBe(200);
      second.clock.advance(60);
      const replay = await second.refresh(login.refresh_token!);
      expect(replay.status).toBe(400);
      const { families } = (await (await second.control('GET', '/families')).json()) as { families: Array<{ revokeReason: string | null }> };
      expect(families.some((f) => f.revokeReason === 'reuse-detected')).toBe(true);
    } finally {
      await second.close();
    }
  });

  it('close() folds the journal into the state file and removes it', async () => {
    const dataDir = tempDir();
    const issuer = await startTestIssuer({ dataDir });
    const login = await issuer.passwordLogin();
    // While running, the login is in the journal, not yet in the state file.
    const journal = fs.readFileSync(path.join(dataDir, 'issuer-journal.ndjson'), 'utf8');
    expect(journal).toContain(issuer.handle.api.families().families[0]!.id);
    expect(journal).not.toContain(login.refresh_token!);
    await issuer.close();
    const stored = JSON.parse(fs.readFileSync(path.join(dataDir, 'issuer-state.json'), 'utf8')) as { families: Array<{ sub: string }>; journalSeq: number };
    expect(stored.families.map((f) => f.sub)).toContain('alice');
    expect(stored.journalSeq).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(path.join(dataDir, 'issuer-journal.ndjson'))).toBe(false);
  });

  it('an issuer-owned virtual clock keeps its offset across a restart', async () => {
    const dataDir = tempDir();
    const first = await startIssuer({ dataDir });
    const control = (issuer: typeof first, method: string, p: string, body?: unknown) =>
      fetch(`${issuer.control.url}${p}`, { method, headers: { Authorization: `Bearer ${issuer.control.secret}`, 'Content-Type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    await control(first, 'POST', '/clock', { advance: 86_400 });
    await first.close();
    const second = await startIssuer({ dataDir });
    try {
      const { now } = (await (await control(second, 'GET', '/clock')).json()) as { now: number };
      expect(Math.abs(now - (Date.now() / 1000 + 86_400))).toBeLessThan(30);
    } finally {
      await second.close();
    }
  });

  it('a second issuer on the same folder is refused while the first runs', async () => {
    const dataDir = tempDir();
    const first = await startTestIssuer({ dataDir });
    try {
      const error = await startIssuer({ dataDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IssuerStartError);
      expect((error as IssuerStartError).code).toBe('data-dir-locked');
    } finally {
      await first.close();
    }
    // Released on close.
    const again = await startIssuer({ dataDir });
    await again.close();
  });

  it('a stale lock left by a process that is gone does not block a start', async () => {
    const dataDir = tempDir();
    const gone = { pid: 2147483646, host: os.hostname(), nonce: 'stale', since: new Date(0).toISOString() };
    fs.writeFileSync(path.join(dataDir, 'issuer-state.json.lock'), JSON.stringify(gone));
    const issuer = await startIssuer({ dataDir });
    await issuer.close();
  });

  it('a corrupt state file is set aside, never overwritten, and the issuer starts fresh', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'issuer-state.json'), '{"schema": 1, "families": [tru');
    const warnings: string[] = [];
    const issuer = await startIssuer({ dataDir, logger: (e) => e.level === 'warn' && warnings.push(e.event) });
    await issuer.close();
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('issuer-state.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe('{"schema": 1, "families": [tru');
    expect(warnings).toContain('store.corrupt');
  });

  it('a state file from a newer version stops the start and stays untouched', async () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'issuer-state.json');
    fs.writeFileSync(file, '{"schema": 99}');
    const error = await startIssuer({ dataDir }).catch((e: unknown) => e);
    expect((error as IssuerStartError).code).toBe('data-dir-unusable');
    expect(fs.readFileSync(file, 'utf8')).toBe('{"schema": 99}');
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it('start-up errors are typed: bad options, a port in use', async () => {
    await expect(startIssuer({ port: 70000 })).rejects.toMatchObject({ code: 'invalid-options' });
    await expect(startIssuer({ issuer: 'ftp://x' })).rejects.toMatchObject({ code: 'invalid-options' });
    await expect(startIssuer({ issuer: 'http://127.0.0.1:1/?q' })).rejects.toMatchObject({ code: 'invalid-options' });
    await expect(startIssuer({ settings: { accessTokenTtl: -1 } })).rejects.toMatchObject({ code: 'invalid-options' });
    await expect(startIssuer({ users: [{ name: 'no spaces allowed', password: 'x' }] })).rejects.toMatchObject({ code: 'invalid-options' });
    const running = await startTestIssuer();
    try {
      const port = Number(new URL(running.handle.issuer).port);
      await expect(startIssuer({ port })).rejects.toMatchObject({ code: 'listen-failed' });
    } finally {
      await running.close();
    }
  });
});
