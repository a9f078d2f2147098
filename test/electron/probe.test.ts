// `jwtdbg probe` and the issuer's deliberately naive resource: the probe against /resource/me (every variant
// refused) and /resource/naive (none, embedded-jwk, jku and key-confusion accepted), in-process and through the
// built CLI (whose issuer runs with --demo-vulnerable). Loopback only.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAttacks } from '../../shared/core/attacks/index';
import { startIssuer } from '../../electron/services/issuer/index';
import { settingsFromStored } from '../../electron/services/issuer/settings';
import type { IssuerHandle } from '../../electron/services/issuer/index';
import { ProbeError, runProbe, type ProbeResult } from '../../electron/services/probe';
import { buildCliHarness, jsonLines, type CliHarness } from './cli-harness';

/** What the naive resource must accept, as `kind/variant`; everything else the probe sends must be refused. */
const NAIVE_ACCEPTS = ['none/none', 'none/None', 'none/NONE', 'none/nOnE', 'key-confusion/pem-as-file', 'embedded-jwk/ES256', 'jku/ES256'];

/** A password-grant access token for demo:demo. */
async function accessToken(issuer: string): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'workbench', username: 'demo', password: 'demo' }).toString(),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The issuer's public key as the SPKI PEM a verifier would keep on disk. */
async function publicKeyPem(issuer: string): Promise<string> {
  const jwks = (await (await fetch(`${issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
  expect(jwks.keys).toHaveLength(1);
  return createPublicKey({ key: jwks.keys[0]! as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}

const accepted = (results: ProbeResult[]) => results.filter((r) => r.accepted).map((r) => `${r.kind}/${r.variant}`).sort();

describe('probe (in-process) and /resource/naive', () => {
  let vulnerable: IssuerHandle;
  let plain: IssuerHandle;
  let token: string;
  let pem: string;

  beforeAll(async () => {
    vulnerable = await startIssuer({ settings: { demoVulnerable: true } });
    plain = await startIssuer();
    token = await accessToken(vulnerable.issuer);
    pem = await publicKeyPem(vulnerable.issuer);
  }, 30_000);

  afterAll(async () => {
    await vulnerable?.close();
    await plain?.close();
  });

  it('/resource/naive is a 404 unless demoVulnerable is on, and stays out of discovery', async () => {
    const plainToken = await accessToken(plain.issuer);
    const res = await fetch(`${plain.issuer}/resource/naive`, { headers: { Authorization: `Bearer ${plainToken}` } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not_found', error_description: 'no such endpoint' });
    const on = await fetch(`${vulnerable.issuer}/resource/naive`, { headers: { Authorization: `Bearer ${token}` } });
    expect(on.status).toBe(200);
    expect(await on.json()).toMatchObject({ sub: 'demo', accepted_by: 'signature' });
    const discovery = await (await fetch(`${vulnerable.issuer}/.well-known/openid-configuration`)).text();
    expect(discovery).not.toContain('naive');
  });

  it('demoVulnerable can be switched at run time, and is never read back from disk', async () => {
    const plainToken = await accessToken(plain.issuer);
    const get = () => fetch(`${plain.issuer}/resource/naive`, { headers: { Authorization: `Bearer ${plainToken}` } });
    try {
      expect(plain.api.putSettings({ demoVulnerable: true }).demoVulnerable).toBe(true);
      expect((await get()).status).toBe(200);
    } finally {
      plain.api.putSettings({ demoVulnerable: false });
    }
    expect((await get()).status).toBe(404);
    expect(() => plain.api.putSettings({ demoVulnerable: 'yes' })).toThrow(/demoVulnerable: must be true or false/);
    expect(settingsFromStored({ demoVulnerable: true, rotation: false })).toMatchObject({ demoVulnerable: false, rotation: false });
  });

  it('every variant is refused by /resource/me', async () => {
    const seen: ProbeResult[] = [];
    const report = await runProbe({ url: `${vulnerable.issuer}/resource/me`, token, key: pem, onResult: (r) => void seen.push(r) });
    expect(report.original).toBe(200);
    expect(report.results.length).toBeGreaterThanOrEqual(15);
    expect(seen).toEqual(report.results);
    expect(accepted(report.results)).toEqual([]);
    for (const r of report.results) expect(r.status).toBe(401);
    const kinds = new Set(report.results.map((r) => r.kind));
    for (const kind of ['none', 'null-signature', 'blank-secret', 'key-confusion', 'embedded-jwk', 'jku', 'x5u', 'kid-injection', 'psychic']) expect(kinds).toContain(kind);
    expect(report.skipped.map((s) => s.kind)).toEqual(['weak-secret']);
    expect(report.keyServer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  }, 30_000);

  it('/resource/naive accepts alg none, the embedded jwk, the loopback jku and the public key as HMAC secret', async () => {
    const report = await runProbe({ url: `${vulnerable.issuer}/resource/naive`, token, key: pem });
    expect(accepted(report.results)).toEqual([...NAIVE_ACCEPTS].sort());
    for (const r of report.results) expect(r.status).toBe(r.accepted ? 200 : 401);
  }, 30_000);

  it('without --key, key-confusion is skipped', async () => {
    const report = await runProbe({ url: `${vulnerable.issuer}/resource/naive`, token });
    expect(report.skipped.map((s) => s.kind).sort()).toEqual(['key-confusion', 'weak-secret']);
    expect(accepted(report.results)).toEqual(NAIVE_ACCEPTS.filter((a) => !a.startsWith('key-confusion')).sort());
  }, 30_000);

  it('the naive jku fetch refuses a non-loopback URL', async () => {
    // A jku variant pointing at a host outside loopback (TEST-NET-1, never contacted).
    const [variant] = await generateAttacks('jku', token, { url: 'http://192.0.2.1/jwks.json' });
    const res = await fetch(`${vulnerable.issuer}/resource/naive`, { headers: { Authorization: `Bearer ${variant!.token}` } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('loopback');
  });

  it('stops when the original token is refused, and checks its options', async () => {
    const refused = runProbe({ url: `${plain.issuer}/resource/naive`, token });
    await expect(refused).rejects.toBeInstanceOf(ProbeError);
    await expect(refused).rejects.toMatchObject({ code: 'original-refused' });
    await expect(runProbe({ url: 'ftp://127.0.0.1/x', token })).rejects.toMatchObject({ code: 'invalid-url' });
    await expect(runProbe({ url: `${plain.issuer}/resource/me`, token, header: 'Bad Header' })).rejects.toMatchObject({ code: 'invalid-header' });
  });
});

describe('jwtdbg probe (built CLI) against jwtdbg issuer --demo-vulnerable', () => {
  let cli: CliHarness;
  let issuer: ChildProcessWithoutNullStreams | null = null;
  let url: string;
  let token: string;
  let keyFile: string;

  beforeAll(async () => {
    cli = await buildCliHarness();
    const child = spawn(process.execPath, [cli.bin, 'issuer', '--demo-vulnerable'], { stdio: 'pipe' });
    issuer = child;
    url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.includes('\n')) resolve((JSON.parse(stdout.split('\n')[0]!) as { issuer: string }).issuer);
      });
      child.on('close', (code) => reject(new Error(`issuer exited with ${code}`)));
    });
    token = await accessToken(url);
    keyFile = cli.file('issuer.pem', await publicKeyPem(url));
  }, 90_000);

  afterAll(() => {
    issuer?.kill('SIGTERM');
    cli?.dispose();
  });

  it('/resource/me refuses every variant: exit 0', async () => {
    const run = await cli.run(['probe', `${url}/resource/me`, '--token', token, '--key', keyFile, '--json']);
    expect(run.code).toBe(0);
    const lines = jsonLines(run.stdout) as ProbeResult[];
    expect(lines.length).toBeGreaterThanOrEqual(15);
    for (const line of lines) expect(Object.keys(line)).toEqual(['kind', 'variant', 'status', 'accepted']);
    expect(lines.filter((l) => l.accepted)).toEqual([]);
    expect(run.stderr).toContain('skipped weak-secret');
    expect(run.stdout + run.stderr).not.toContain(token);
  }, 60_000);

  it('/resource/naive accepts the classic attacks: exit 1, per-variant results', async () => {
    const run = await cli.run(['probe', `${url}/resource/naive`, '--token', token, '--key', keyFile, '--json']);
    expect(run.code).toBe(1);
    expect(accepted(jsonLines(run.stdout) as ProbeResult[])).toEqual([...NAIVE_ACCEPTS].sort());
  }, 60_000);

  it('the table names the accepted variants', async () => {
    const run = await cli.run(['probe', `${url}/resource/naive`, '--token', token]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^embedded-jwk\s+ES256\s+200\s+ACCEPTED$/m);
    expect(run.stdout).toMatch(/^psychic\s+ES256\s+401\s+refused$/m);
    expect(run.stdout).toContain('skipped key-confusion');
    expect(run.stdout).toContain('hosted by the probe on http://127.0.0.1:');
    expect(run.stdout).not.toContain(token);
  }, 60_000);

  it('a refused original token stops with exit 2', async () => {
    const run = await cli.run(['probe', `${url}/resource/me`, '--token', `${token.slice(0, -4)}AAAA`, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refused the original token (HTTP 401)');
    expect(run.stdout).toBe('');
  }, 60_000);

  it('bad usage: exit 2', async () => {
    expect((await cli.run(['probe', '--token', token])).code).toBe(2);
    expect((await cli.run(['probe', `${url}/resource/me`])).code).toBe(2);
  }, 60_000);
});
