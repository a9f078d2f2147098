// Crash durability of the mock issuer: `jwtdbg issuer --data DIR` is SIGKILLed while refresh rotations are in
// flight, restarted on the same folder, and every rotation a client was answered must have survived: the
// newest acknowledged refresh token of each family still active (or, when its own rotation was in flight at
// the kill, replaced by a live child), every token rotated away in an acknowledged answer refused as reused,
// none revived. Bounded by count (the kill comes after a random number of acknowledged rotations), not time.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness } from './cli-harness';
import type { CliHarness } from './cli-harness';

let cli: CliHarness;
const dirs: string[] = [];
const children = new Set<ChildProcessWithoutNullStreams>();

beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  cli?.dispose();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Line {
  issuer: string;
  control: { url: string; secret: string };
  clients: Record<string, string | null>;
}

interface Running {
  line: Line;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
}

function startCli(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [cli.bin, 'issuer', '--data', dataDir, '--unencrypted-test-store'], { stdio: 'pipe' });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return new Promise((resolve, reject) => {
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('\n')) resolve({ line: JSON.parse(stdout.split('\n')[0]!) as Line, child, exited });
    });
    void exited.then((code) => reject(new Error(`issuer exited with ${code} before listening: ${stderr.slice(-2000)}`)));
  });
}

const FAMILIES = 8;
const label = (token: string): string => `rt:${createHash('sha256').update(token).digest('base64url').slice(0, 10)}`;

function form(url: string, params: Record<string, string>, authorization?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(authorization && { Authorization: authorization }) },
    body: new URLSearchParams(params).toString(),
  });
}

interface FamilyRun {
  /** The newest refresh token this client was given. */
  current: string;
  /** Tokens rotated away in answers the client received, oldest first. */
  rotatedAway: string[];
  /** A refresh was sent and not answered when the issuer was killed. */
  inFlightAtKill: boolean;
  inFlight: boolean;
}

interface FamilyView {
  id: string;
  status: string;
  liveTokens: number;
  tokens: Array<{ id: string; state: string; replacedBy: string | null }>;
}

describe('jwtdbg issuer: a SIGKILL loses no acknowledged rotation', () => {
  it('every acknowledged rotation survives a kill mid-flight: newest tokens live, rotated-away tokens refused as reuse', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwtdbg-durability-'));
    dirs.push(dataDir);
    const first = await startCli(dataDir);
    const token = `${first.line.issuer}/token`;

    const runs: FamilyRun[] = [];
    for (let i = 0; i < FAMILIES; i++) {
      const res = await form(token, { grant_type: 'password', client_id: 'workbench', username: 'demo', password: 'demo' });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { refresh_token: string };
      runs.push({ current: body.refresh_token, rotatedAway: [], inFlightAtKill: false, inFlight: false });
    }

    // Kill after an arbitrary number of acknowledged rotations, from inside an answer while the others are in flight.
    const killAfter = randomInt(120, 360);
    let acknowledged = 0;
    let killed = false;
    const kill = (): void => {
      if (killed) return;
      killed = true;
      for (const run of runs) run.inFlightAtKill = run.inFlight;
      first.child.kill('SIGKILL');
    };
    const walk = async (run: FamilyRun): Promise<void> => {
      while (!killed) {
        const presented = run.current;
        run.inFlight = true;
        let next: string;
        try {
          const res = await form(token, { grant_type: 'refresh_token', client_id: 'workbench', refresh_token: presented });
          const body = (await res.json()) as { refresh_token?: string; error?: string };
          expect(res.status, body.error).toBe(200);
          next = body.refresh_token!;
        } catch (error) {
          if (killed) return; // cut off by the kill: never acknowledged
          throw error;
        }
        // The whole answer arrived: the client now holds `next`, and `presented` is spent.
        run.inFlight = false;
        run.rotatedAway.push(presented);
        run.current = next;
        if (++acknowledged >= killAfter) kill();
      }
    };
    await Promise.all(runs.map(walk));
    await first.exited;
    expect(acknowledged).toBeGreaterThanOrEqual(killAfter);

    const second = await startCli(dataDir);
    try {
      const introspectAuth = `Basic ${Buffer.from(`resource-server:${second.line.clients['resource-server']}`).toString('base64')}`;
      const introspect = async (t: string): Promise<boolean> => {
        const res = await form(`${second.line.issuer}/introspect`, { token: t, token_type_hint: 'refresh_token' }, introspectAuth);
        expect(res.status).toBe(200);
        return ((await res.json()) as { active: boolean }).active;
      };
      const control = await fetch(`${second.line.control.url}/families?user=demo`, { headers: { Authorization: `Bearer ${second.line.control.secret}` } });
      const { families, familiesWithSeveralLiveTokens } = (await control.json()) as { families: FamilyView[]; familiesWithSeveralLiveTokens: number };
      expect(familiesWithSeveralLiveTokens).toBe(0);

      // 1. Nothing consumed yet: the newest acknowledged token of each family is live, unless its own
      //    rotation was in flight and reached the disk (then it was replaced by a live child, unseen by the client).
      for (const run of runs) {
        if (await introspect(run.current)) continue;
        expect(run.inFlightAtKill).toBe(true);
        const family = families.find((f) => f.tokens.some((t) => t.id === label(run.current)));
        expect(family?.status).toBe('active');
        expect(family?.liveTokens).toBe(1);
        const newest = family!.tokens.find((t) => t.id === label(run.current))!;
        expect(newest.state).toBe('rotated');
        expect(family!.tokens.find((t) => t.id === newest.replacedBy)?.state).toBe('active');
      }
      // 2. No token rotated away in an acknowledged answer came back to life.
      for (const run of runs) for (const spent of run.rotatedAway) expect(await introspect(spent)).toBe(false);
      // 3. Each is still known as spent: presenting the latest is reuse (the family is revoked), the others are
      //    refused as tokens of that revoked family; none is unknown, as a lost rotation would leave it.
      let probed = 0;
      for (const run of runs) {
        const spent = [...run.rotatedAway].reverse();
        for (const [i, t] of spent.entries()) {
          const res = await form(`${second.line.issuer}/token`, { grant_type: 'refresh_token', client_id: 'workbench', refresh_token: t });
          const body = (await res.json()) as { error: string; error_description: string };
          expect(res.status).toBe(400);
          expect(body.error).toBe('invalid_grant');
          expect(body.error_description).toMatch(i === 0 ? /reuse detected/ : /revoked/);
          probed++;
        }
      }
      expect(probed).toBe(acknowledged);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000);
});
