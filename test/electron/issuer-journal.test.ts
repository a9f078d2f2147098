// The issuer's journal, in process: what a crash leaves in the data folder (the files as they are once an
// answer was received, copied without the lock) must restart into the state every client was told about —
// rotations, revocations, users, settings, the clock — across compactions, a cut-short last record, a
// corrupt journal and a journal whose truncation a crash prevented.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startIssuer } from '../../electron/services/issuer/index';
import type { IssuerHandle } from '../../electron/services/issuer/index';
import { Journal, readJournal } from '../../electron/services/issuer/journal';
import { StoreError } from '../../electron/services/issuer/store';
import { T0, startTestIssuer } from './issuer-helpers';
import type { TestIssuer, TokenResponse } from './issuer-helpers';
import { VirtualClock } from '../../electron/services/issuer/clock';

const STATE = 'issuer-state.json';
const JOURNAL = 'issuer-journal.ndjson';
const dirs: string[] = [];
const running: TestIssuer[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'issuer-journal-'));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const issuer of running.splice(0)) await issuer.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function start(dataDir: string, options: Parameters<typeof startTestIssuer>[0] = {}, warnings?: string[]): Promise<TestIssuer> {
  const issuer = await startTestIssuer({
    dataDir,
    clock: new VirtualClock({ snapshot: { frozenAt: T0 } }),
    ...(warnings && { logger: (e) => (e.level !== 'info' || e.event.startsWith('store.')) && warnings.push(e.event) }),
    ...options,
  });
  running.push(issuer);
  return issuer;
}

/** The data folder as a SIGKILL would leave it now: every file but the lock (its owner would be dead). */
function crashCopy(dataDir: string): string {
  const copy = tempDir();
  for (const name of fs.readdirSync(dataDir)) if (!name.endsWith('.lock')) fs.copyFileSync(path.join(dataDir, name), path.join(copy, name));
  return copy;
}

async function rotate(issuer: TestIssuer, token: string): Promise<string> {
  const res = await issuer.refresh(token);
  const body = (await res.json()) as TokenResponse & { error_description?: string };
  if (res.status !== 200) throw new Error(`refresh failed: ${res.status} ${body.error_description}`);
  return body.refresh_token!;
}

async function refusal(issuer: TestIssuer, token: string): Promise<string> {
  const res = await issuer.refresh(token);
  expect(res.status).toBe(400);
  return ((await res.json()) as { error_description: string }).error_description;
}

describe('issuer journal: crash recovery', () => {
  it('acknowledged rotations, revocations, users and settings survive a crash without a clean close', async () => {
    const dataDir = tempDir();
    const issuer = await start(dataDir);
    const a = await issuer.passwordLogin();
    const a1 = await rotate(issuer, a.refresh_token!);
    const a2 = await rotate(issuer, a1);
    const b = await issuer.passwordLogin();
    const b1 = await rotate(issuer, b.refresh_token!);
    expect(await refusal(issuer, b.refresh_token!)).toMatch(/reuse detected/); // family b revoked
    const c = await issuer.passwordLogin();
    expect((await issuer.form('/revoke', { token: c.refresh_token!, client_id: 'workbench' })).status).toBe(200);
    expect((await issuer.control('PUT', '/users/bob', { password: 'builder', claims: { team: 'blue' } })).status).toBe(200);
    expect((await issuer.control('PUT', '/settings', { maxFamiliesPerUser: 50, accessTokenTtl: 120 })).status).toBe(200);
    // Nothing of it is in the state file yet: only the journal has it.
    expect(fs.readFileSync(path.join(dataDir, STATE), 'utf8')).not.toContain('"bob"');

    const after = await start(crashCopy(dataDir));
    expect(await rotate(after, a2)).toBeTruthy();
    expect(await refusal(after, a1)).toMatch(/reuse detected/);
    expect(await refusal(after, b1)).toMatch(/revoked/);
    expect(await refusal(after, c.refresh_token!)).toMatch(/revoked/);
    expect((await after.passwordLogin({ username: 'bob', password: 'builder' })).access_token).toBeTruthy();
    const settings = (await (await after.control('GET', '/settings')).json()) as { maxFamiliesPerUser: number; accessTokenTtl: number };
    expect(settings).toMatchObject({ maxFamiliesPerUser: 50, accessTokenTtl: 120 });
  });

  it('a clock move survives a crash (an issuer-owned clock)', async () => {
    const dataDir = tempDir();
    const control = (handle: IssuerHandle, method: string, p: string, body?: unknown) =>
      fetch(`${handle.control.url}${p}`, { method, headers: { Authorization: `Bearer ${handle.control.secret}`, 'Content-Type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    const first = await startIssuer({ dataDir });
    try {
      expect((await control(first, 'POST', '/clock', { advance: 86_400 })).status).toBe(200);
      const second = await startIssuer({ dataDir: crashCopy(dataDir) });
      try {
        const { now } = (await (await control(second, 'GET', '/clock')).json()) as { now: number };
        expect(Math.abs(now - (Date.now() / 1000 + 86_400))).toBeLessThan(30);
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it('compactions along the way: the state file takes the journal over and the journal starts again, losing nothing', async () => {
    const dataDir = tempDir();
    const issuer = await start(dataDir, { journalLimits: { maxRecords: 3 } });
    let token = (await issuer.passwordLogin()).refresh_token!;
    const spent: string[] = [];
    for (let i = 0; i < 10; i++) {
      spent.push(token);
      token = await rotate(issuer, token);
    }
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, STATE), 'utf8')) as { journalSeq: number };
    const { records } = await readJournal(path.join(dataDir, JOURNAL));
    expect(state.journalSeq).toBeGreaterThanOrEqual(9);
    expect(records.length).toBeLessThan(3);
    for (const record of records) expect(record.seq).toBeGreaterThan(state.journalSeq);

    const after = await start(crashCopy(dataDir));
    for (const old of spent.slice(1)) expect(await refusal(after, old)).toMatch(/revoked|reuse detected/);
    expect(await refusal(after, token)).toMatch(/revoked/); // the replays above revoked the family: nothing revived it
  });

  it('a journal a crash kept from being truncated after a compaction is not replayed over the newer state', async () => {
    const dataDir = tempDir();
    const issuer = await start(dataDir);
    const login = await issuer.passwordLogin();
    const t1 = await rotate(issuer, login.refresh_token!);
    const stale = fs.readFileSync(path.join(dataDir, JOURNAL)); // records up to the rotation to t1
    const t2 = await rotate(issuer, t1);
    const t3 = await rotate(issuer, t2);
    await issuer.close(); // compacts: the state holds t1 and t2 rotated, t3 live
    running.splice(running.indexOf(issuer), 1);
    fs.writeFileSync(path.join(dataDir, JOURNAL), stale); // as if the crash came before the truncation

    const after = await start(dataDir);
    // Replayed, the stale records would set t1 back to active (and t2, t3 unknown).
    expect(await rotate(after, t3)).toBeTruthy();
    expect(await refusal(after, t1)).toMatch(/reuse detected/);
  });

  it('a last record cut short by the kill is ignored: it was never acknowledged', async () => {
    const dataDir = tempDir();
    const issuer = await start(dataDir);
    const login = await issuer.passwordLogin();
    const t1 = await rotate(issuer, login.refresh_token!);
    const copy = crashCopy(dataDir);
    const full = fs.readFileSync(path.join(copy, JOURNAL), 'utf8');
    fs.appendFileSync(path.join(copy, JOURNAL), full.split('\n')[0]!.slice(0, 40)); // half a line, no newline

    const warnings: string[] = [];
    const after = await start(copy, {}, warnings);
    expect(warnings).toContain('store.torn-record');
    expect(warnings).not.toContain('store.journal-corrupt');
    expect(await rotate(after, t1)).toBeTruthy();
    expect(fs.readdirSync(copy).filter((n) => n.includes('corrupt'))).toEqual([]);
  });

  it('a corrupt journal is set aside, not dropped: the records before the damage are replayed', async () => {
    const dataDir = tempDir();
    const issuer = await start(dataDir);
    const login = await issuer.passwordLogin();
    const t1 = await rotate(issuer, login.refresh_token!);
    await rotate(issuer, t1);
    const copy = crashCopy(dataDir);
    const lines = fs.readFileSync(path.join(copy, JOURNAL), 'utf8').split('\n');
    // login, rotation to t1, rotation to t2: damage the third record.
    expect(lines.filter((l) => l !== '').length).toBe(3);
    lines[2] = `${lines[2]!.slice(0, 30)}#garbage#${lines[2]!.slice(30)}`;
    const damaged = lines.join('\n');
    fs.writeFileSync(path.join(copy, JOURNAL), damaged);

    const warnings: string[] = [];
    const after = await start(copy, {}, warnings);
    expect(warnings).toContain('store.journal-corrupt');
    const aside = fs.readdirSync(copy).filter((n) => n.startsWith(`${JOURNAL}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(copy, aside[0]!), 'utf8')).toBe(damaged);
    // The first two records were replayed: t1 is the live token (the rotation to t2 was in the damaged record).
    expect(await rotate(after, t1)).toBeTruthy();
    expect(await refusal(after, login.refresh_token!)).toMatch(/reuse detected/);
  });
});

describe('Journal', () => {
  it('a failed write stops the journal: every waiting and later durable() rejects with StoreError', async () => {
    const dir = tempDir();
    let fail = false;
    const journal = new Journal({
      file: path.join(dir, JOURNAL),
      lastSeq: 0,
      collect: () => {
        if (fail) throw new Error('disk full');
        return { n: 1 };
      },
      compact: async () => 0,
    });
    await journal.open();
    journal.note();
    await journal.durable();
    expect((await readJournal(path.join(dir, JOURNAL))).records.map((r) => r.seq)).toEqual([1]);
    fail = true;
    journal.note();
    const waiting = journal.durable();
    await expect(waiting).rejects.toBeInstanceOf(StoreError);
    journal.note();
    await expect(journal.durable()).rejects.toMatchObject({ code: 'data-dir-unusable' });
  });

  it('group commit: changes noted while a write is in flight share the next write', async () => {
    const dir = tempDir();
    const collected: number[] = [];
    let pending = 0;
    const journal = new Journal({
      file: path.join(dir, JOURNAL),
      lastSeq: 41,
      collect: () => {
        collected.push(pending);
        const n = pending;
        pending = 0;
        return n === 0 ? null : { changes: n };
      },
      compact: async () => 0,
    });
    await journal.open();
    const waits: Array<Promise<void>> = [];
    for (let i = 0; i < 100; i++) {
      pending++;
      journal.note();
      waits.push(journal.durable());
      if (i % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waits);
    const { records } = await readJournal(path.join(dir, JOURNAL));
    expect(records.reduce((sum, r) => sum + (r.changes as { changes: number }).changes, 0)).toBe(100);
    expect(records.length).toBeLessThan(100);
    expect(records[0]!.seq).toBe(42);
  });
});
