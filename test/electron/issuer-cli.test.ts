// `jwtdbg issuer`, spawned from the built bundle: its one JSON line, a login → refresh against it, masked
// logs, a clean SIGTERM, and state plus signing keys that survive a restart with --data.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
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

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwtdbg-issuer-'));
  dirs.push(dir);
  return dir;
}

interface Running {
  line: { issuer: string; control: { url: string; secret: string }; clients: Record<string, string | null> };
  stderr: () => string;
  stdout: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns the issuer and resolves once it printed its line (or rejects with its stderr if it exits first). */
function startCli(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [cli.bin, 'issuer', ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
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
      if (!stdout.includes('\n')) return;
      resolve({
        line: JSON.parse(stdout.split('\n')[0]!) as Running['line'],
        stderr: () => stderr,
        stdout: () => stdout,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => reject(new Error(`issuer exited with ${code} before listening: ${stderr}`)));
  });
}

async function runToExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return cli.run(['issuer', ...args], { env });
}

async function login(issuer: string, username = 'demo', password = 'demo'): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${issuer}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

async function refresh(issuer: string, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'workbench', refresh_token: refreshToken }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('jwtdbg issuer', () => {
  it('prints exactly one JSON line of the documented shape, rotates refresh tokens, masks its logs and stops on SIGTERM', async () => {
    const run = await startCli([]);
    const { line } = run;
    expect(Object.keys(line).sort()).toEqual(['clients', 'control', 'issuer']);
    expect(line.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(line.control).sort()).toEqual(['secret', 'url']);
    expect(line.control.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(line.control.secret.length).toBeGreaterThanOrEqual(16);
    expect(line.clients.workbench).toBeNull();
    expect(typeof line.clients['resource-server']).toBe('string');

    const first = await login(line.issuer);
    const rotated = await refresh(line.issuer, first.refreshToken);
    expect(rotated.status).toBe(200);
    expect(rotated.body.token_type).toBe('Bearer');
    expect(rotated.body.refresh_token).not.toBe(first.refreshToken);
    // The replay of the consumed token is reuse: refused.
    expect((await refresh(line.issuer, first.refreshToken)).body.error).toBe('invalid_grant');

    // The control plane answers with the printed secret, and only with it.
    const clock = await fetch(`${line.control.url}/clock`, { headers: { Authorization: `Bearer ${line.control.secret}` } });
    expect(clock.status).toBe(200);
    expect(typeof ((await clock.json()) as { now: number }).now).toBe('number');
    expect((await fetch(`${line.control.url}/clock`, { headers: { Authorization: 'Bearer wrong-secret-wrong-secret' } })).status).toBe(401);

    const code = await run.stop('SIGTERM');
    expect(code).toBe(0);
    expect(run.stdout().trim().split('\n')).toHaveLength(1);
    const log = run.stderr();
    expect(log).toContain('"event":"refresh.reuse-detected"');
    for (const secret of [first.accessToken, first.refreshToken, String(rotated.body.refresh_token), String(rotated.body.access_token)]) {
      expect(log).not.toContain(secret);
    }
    expect(log).not.toContain(line.control.secret);
    expect(log).toContain('"event":"stopped"');
  }, 30_000);

  it('stops on SIGINT too, with exit status 0', async () => {
    const run = await startCli(['--alg', 'HS256', '--user', 'alice:s3cret:with:colons']);
    await login(run.line.issuer, 'alice', 's3cret:with:colons');
    // No demo user when users are given.
    const res = await fetch(`${run.line.issuer}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo' }),
    });
    expect(res.status).toBe(401);
    expect(await run.stop('SIGINT')).toBe(0);
  }, 30_000);

  it('with --data, families and signing keys survive a restart (keys encrypted with $JWTDBG_PASSPHRASE)', async () => {
    const data = tempDir();
    const env = { JWTDBG_PASSPHRASE: 'correct horse battery staple' };
    const first = await startCli(['--data', data, '--alg', 'ES256'], env);
    const tokens = await login(first.line.issuer);
    const child = await refresh(first.line.issuer, tokens.refreshToken);
    expect(child.status).toBe(200);
    const kid = JSON.parse(Buffer.from(String(child.body.access_token).split('.')[0]!, 'base64url').toString()).kid as string;
    expect(await first.stop()).toBe(0);

    // The private key is not in the clear on disk.
    const storeText = fs.readFileSync(path.join(data, 'keys.json'), 'utf8');
    expect(storeText).not.toMatch(/"d"\s*:/);

    // The same passphrase from a file (first line) opens the same store.
    const passFile = cli.file('passphrase.txt', `${env.JWTDBG_PASSPHRASE}\nignored second line\n`);
    const second = await startCli(['--data', data, '--passphrase-file', passFile], { JWTDBG_PASSPHRASE: '' });
    // Same signing key: the access token issued before the restart still verifies against the new JWKS.
    const jwks = createRemoteJWKSet(new URL(`${second.line.issuer}/jwks`));
    const verified = await jwtVerify(String(child.body.access_token), jwks, { typ: 'at+jwt' });
    expect(verified.protectedHeader.kid).toBe(kid);
    // The family survived: its live refresh token rotates, and the consumed one is still known as consumed.
    const next = await refresh(second.line.issuer, String(child.body.refresh_token));
    expect(next.status).toBe(200);
    expect(await second.stop()).toBe(0);
  }, 60_000);

  it('refuses --data without a passphrase or an explicit --unencrypted-test-store, and a wrong passphrase', async () => {
    const data = tempDir();
    const none = await runToExit(['--data', data], { JWTDBG_PASSPHRASE: '' });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('JWTDBG_PASSPHRASE');
    expect(none.stdout).toBe('');

    const run = await startCli(['--data', data], { JWTDBG_PASSPHRASE: 'first passphrase' });
    expect(await run.stop()).toBe(0);
    const wrong = await runToExit(['--data', data], { JWTDBG_PASSPHRASE: 'another passphrase' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/jwtdbg issuer: signing keys in .*passphrase/i);
    expect(wrong.stdout).toBe('');
  }, 60_000);

  it('--unencrypted-test-store keeps the same key across restarts', async () => {
    const data = tempDir();
    const jwksOf = async (issuer: string) => ((await (await fetch(`${issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
    const a = await startCli(['--data', data, '--unencrypted-test-store']);
    const before = await jwksOf(a.line.issuer);
    expect(await a.stop()).toBe(0);
    const b = await startCli(['--data', data, '--unencrypted-test-store']);
    expect(await jwksOf(b.line.issuer)).toEqual(before);
    expect(await b.stop()).toBe(0);
  }, 60_000);

  it.each([
    [['--port', '70000'], '--port must be an integer'],
    [['--port', 'abc'], '--port must be an integer'],
    [['--alg', 'none'], '--alg must be one of'],
    [['--user', 'nopassword'], '--user must be NAME:PASSWORD'],
    [['--user', ':pw'], '--user must be NAME:PASSWORD'],
    [['--unencrypted-test-store'], 'apply only with --data'],
    [['--data', '/tmp/x', '--unencrypted-test-store', '--passphrase-file', '/tmp/p'], 'give either --passphrase-file or --unencrypted-test-store'],
    [['--issuer', 'not a url'], 'issuer must be an absolute URL'],
    [['extra'], 'takes no arguments'],
  ])('bad usage %j → exit 2 naming the problem', async (args, message) => {
    const result = await runToExit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  }, 30_000);

  it('a port already in use is a start failure, exit 2', async () => {
    const run = await startCli([]);
    const port = new URL(run.line.issuer).port;
    const clash = await runToExit(['--port', port]);
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain('cannot start');
    expect(await run.stop()).toBe(0);
  }, 30_000);
});
