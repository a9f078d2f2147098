/**
 * `jwtdbg crack` and lint's `hmac-secret-known`, through the built CLI: the JSON contract, exit codes,
 * wordlists, stdin batches and the refusals.
 */
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/io';
import { runCli } from '../../electron/cli/run';
import { findKnownSecretsList, KNOWN_SECRETS_FILE } from '../../electron/services/crack';
import { buildCliHarness, jsonLines, repoRoot, type CliHarness } from './cli-harness';

const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const JSON_KEYS = ['found', 'secret', 'alg', 'tried', 'seconds', 'source'];

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

function hsToken(alg: 'HS256' | 'HS384' | 'HS512', secret: string, payload: object = { sub: 'cli-crack' }): string {
  const input = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${input}.${crypto.createHmac(hash, secret).update(input).digest('base64url')}`;
}

// Candidates on the bundled list, counted the way the scan counts them (the empty first line included).
const LIST = fs.readFileSync(path.join(repoRoot, KNOWN_SECRETS_FILE), 'latin1');
const LIST_LINES = LIST.split('\n').length - (LIST.endsWith('\n') ? 1 : 0);
const STRONG = hsToken('HS256', crypto.randomBytes(32).toString('base64url'));
const RS256 = `${b64u('{"alg":"RS256","typ":"JWT"}')}.${b64u('{"sub":"x"}')}.${b64u(crypto.randomBytes(256))}`;

/** Exit 2 with exactly one line on stderr and nothing on stdout. */
function expectRefused(r: { code: number | null; stdout: string; stderr: string }, ...words: string[]) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  for (const w of words) expect(r.stderr).toContain(w);
}

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

describe('jwtdbg crack', () => {
  it("finds jwt.io's default token's secret on the built-in list: exit 1, exactly the JSON contract", async () => {
    const r = await cli.run(['crack', JWT_IO, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(JSON_KEYS);
    expect(out).toMatchObject({ found: true, secret: 'your-256-bit-secret', alg: 'HS256', source: 'builtin' });
    expect(out.tried).toEqual(expect.any(Number));
    expect(out.tried).toBeGreaterThan(0);
    expect(out.seconds).toEqual(expect.any(Number));
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('says so in text, with the secret, from any pasted form', async () => {
    const r = await cli.run(['crack', `Bearer ${JWT_IO}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('HS256 secret found: "your-256-bit-secret"');
    expect(r.stdout).toContain('built-in list');
  });

  it('not found: exit 0, every candidate tried, secret and source null; no progress when stderr is not a terminal', async () => {
    const r = await cli.run(['crack', STRONG, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(JSON_KEYS);
    expect(out).toMatchObject({ found: false, secret: null, alg: 'HS256', tried: LIST_LINES, source: null });
    const text = await cli.run(['crack', STRONG]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('not found');
  });

  it('finds a secret in a CRLF wordlist (non-ASCII too), the source being the path as given', async () => {
    const wordlist = cli.file('words-crlf.txt', 'one\r\ntwo\r\nclé-secrète-鍵\r\nfour\r\n');
    const token = hsToken('HS384', 'clé-secrète-鍵');
    const r = await cli.run(['crack', token, '--wordlist', wordlist, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ found: true, secret: 'clé-secrète-鍵', alg: 'HS384', source: wordlist });
    // Not necessarily all of the built-in list: a worker still on its last chunks stops once the other finds it.
    expect(out.tried).toBeGreaterThan(0);
  });

  it('--no-builtin tries the wordlists only, in order', async () => {
    const first = cli.file('first.txt', 'alpha\nbeta\n');
    const second = cli.file('second.txt', 'gamma\ndelta');
    const found = await cli.run(['crack', hsToken('HS512', 'delta'), '--no-builtin', '--wordlist', first, '--wordlist', second, '--json']);
    expect(found.code).toBe(1);
    const out = JSON.parse(found.stdout) as { tried: number };
    expect(out).toEqual({ found: true, secret: 'delta', alg: 'HS512', tried: expect.any(Number), seconds: expect.any(Number), source: second });
    // The workers run side by side: one may stop before trying its share once the other has found it.
    expect(out.tried).toBeGreaterThanOrEqual(1);
    expect(out.tried).toBeLessThanOrEqual(4);
    const missed = await cli.run(['crack', JWT_IO, '--no-builtin', '--wordlist', first, '--json']);
    expect(missed.code).toBe(0);
    expect(JSON.parse(missed.stdout)).toMatchObject({ found: false, tried: 2, source: null });
  });

  it('exit 2, saying why, for a token that is not an HMAC-signed JWS or does not decode', async () => {
    expectRefused(await cli.run(['crack', RS256, '--json']), 'not-hmac', 'RS256');
    expectRefused(await cli.run(['crack', `${b64u('{"alg":"none"}')}.${b64u('{}')}.`]), 'not-jws');
    expectRefused(await cli.run(['crack', 'a.b']), 'segment-count');
    const short = JWT_IO.replace(/\.[^.]+$/, `.${b64u(crypto.randomBytes(20))}`);
    expectRefused(await cli.run(['crack', short]), 'signature-length');
  });

  it('exit 2 for bad usage and unreadable wordlists', async () => {
    expectRefused(await cli.run(['crack', JWT_IO, '--no-builtin']), '--wordlist');
    expectRefused(await cli.run(['crack', JWT_IO, '--wordlist', path.join(cli.dir, 'no-such-list.txt')]), 'does not exist');
    expectRefused(await cli.run(['crack', JWT_IO, '--wordlist', cli.dir]), 'folder');
    expectRefused(await cli.run(['crack', JWT_IO, JWT_IO]), 'at most one TOKEN');
  });

  it('stdin: one JSON line per token in order, the untried ones with their error; exit 1 when any is found', async () => {
    const input = [JWT_IO, STRONG, RS256, 'not a token', hsToken('HS256', 'secret')].join('\n');
    const r = await cli.run(['crack'], { input });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const lines = jsonLines(r.stdout) as Record<string, unknown>[];
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ found: true, secret: 'your-256-bit-secret', source: 'builtin' });
    expect(Object.keys(lines[0]!)).toEqual(JSON_KEYS);
    expect(lines[1]).toMatchObject({ found: false, secret: null, tried: LIST_LINES });
    expect(Object.keys(lines[1]!)).toEqual(JSON_KEYS);
    expect(lines[2]).toMatchObject({ found: false, alg: 'RS256', tried: 0, source: null, error: { code: 'not-hmac' } });
    expect(lines[3]).toMatchObject({ found: false, alg: null, error: { code: 'segment-count' } });
    expect(lines[4]).toMatchObject({ found: true, secret: 'secret', alg: 'HS256' });
  });

  it('stdin: exit 0 when none is found, 2 when none is found but one could not be tried', async () => {
    const none = await cli.run(['crack'], { input: `${STRONG}\n${STRONG}\n` });
    expect(none.code).toBe(0);
    expect(jsonLines(none.stdout)).toHaveLength(2);
    const refused = await cli.run(['crack'], { input: `${STRONG}\n${RS256}\n` });
    expect(refused.code).toBe(2);
    expect((jsonLines(refused.stdout)[1] as { error: { code: string } }).error.code).toBe('not-hmac');
  });

  it('is listed in the help, with its own', async () => {
    expect((await cli.run(['--help'])).stdout).toContain('crack');
    const help = await cli.run(['crack', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('jwtdbg crack');
    expect(help.stdout).toMatch(/Exit status/);
  });
});

describe('jwtdbg crack in process: progress', () => {
  class Sink extends Writable {
    text = '';
    isTTY?: boolean;
    override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
      this.text += chunk.toString();
      done();
    }
  }
  const run = async (stderrIsTTY: boolean) => {
    const stdout = new Sink();
    const stderr = new Sink();
    if (stderrIsTTY) stderr.isTTY = true;
    const io: CliIo = { stdin: Readable.from([]), stdout, stderr, env: {} };
    const code = await runCli(['crack', STRONG, '--json'], io);
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  it('shows the count tried on stderr when it is a terminal, and clears it before the answer', async () => {
    const r = await run(true);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^\r\x1b\[Kcrack: [\d,]+ tried \([\d,]+\/s\)/);
    expect(r.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(r.stdout)).toMatchObject({ found: false, tried: LIST_LINES });
  });

  it('writes nothing to stderr otherwise', async () => {
    const r = await run(false);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('jwtdbg lint: hmac-secret-known', () => {
  it('reports the known secret of an HS token, with "secret" in the JSON finding', async () => {
    const r = await cli.run(['lint', JWT_IO, '--json']);
    expect(r.code).toBe(0);
    const findings = (JSON.parse(r.stdout) as { findings: Record<string, unknown>[] }).findings;
    const known = findings.filter((f) => f.rule === 'hmac-secret-known');
    expect(known).toEqual([
      {
        rule: 'hmac-secret-known',
        severity: 'error',
        message: expect.any(String),
        path: 'header.alg',
        rfc: 'RFC 8725 §3.5',
        secret: 'your-256-bit-secret',
      },
    ]);
    expect(known[0]!.message).not.toContain('your-256-bit-secret');
    for (const f of findings.filter((x) => x.rule !== 'hmac-secret-known')) expect(Object.keys(f)).toEqual(['rule', 'severity', 'message', 'path', 'rfc']);
    const text = await cli.run(['lint', JWT_IO]);
    expect(text.stdout).toContain('hmac-secret-known');
    expect(text.stdout).toContain('secret: "your-256-bit-secret"');
  });

  it('stays quiet for a strong secret and a token with no HMAC; a batch gets one line each', async () => {
    const r = await cli.run(['lint', '--json'], { input: [STRONG, RS256, JWT_IO, hsToken('HS512', 'your-256-bit-secret')].join('\n') });
    expect(r.code).toBe(0);
    const rules = (jsonLines(r.stdout) as { findings: { rule: string; secret?: string }[] }[]).map((l) =>
      l.findings.filter((f) => f.rule === 'hmac-secret-known').map((f) => f.secret),
    );
    expect(rules).toEqual([[], [], ['your-256-bit-secret'], ['your-256-bit-secret']]);
  });

  it('--no-known-secrets skips the scan: the same batch, every other rule, no hmac-secret-known', async () => {
    const r = await cli.run(['lint', '--json', '--no-known-secrets'], { input: [JWT_IO, hsToken('HS512', 'your-256-bit-secret')].join('\n') });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as { findings: { rule: string }[] }[];
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line.findings.map((f) => f.rule)).not.toContain('hmac-secret-known');
      expect(line.findings.length).toBeGreaterThan(0);
    }
  });
});

describe('a jwtdbg bundle copied away from the list', () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    // Outside the repository; node_modules linked in so the bundle's external packages still resolve.
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwtdbg-no-list-'));
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    fs.mkdirSync(path.join(dir, 'cli'));
    bin = path.join(dir, 'cli', 'jwtdbg.mjs');
    fs.copyFileSync(cli.bin, bin);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });

  it('crack: exit 2 naming the missing list, while --no-builtin with a wordlist still works', async () => {
    expect(await findKnownSecretsList(path.join(dir, 'cli'))).toBeNull();
    expectRefused(await run(['crack', JWT_IO]), 'missing', '--no-builtin');
    const wordlist = path.join(dir, 'words.txt');
    fs.writeFileSync(wordlist, 'x\nyour-256-bit-secret\n');
    const r = await run(['crack', JWT_IO, '--no-builtin', '--wordlist', wordlist, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ found: true, secret: 'your-256-bit-secret', source: wordlist });
  });

  it('lint: every other rule still runs, and a warning says hmac-secret-known is not checked', async () => {
    const r = await run(['lint', JWT_IO, '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('hmac-secret-known is not checked');
    const rules = (JSON.parse(r.stdout) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
    expect(rules).toContain('exp-missing');
    expect(rules).not.toContain('hmac-secret-known');
  });
});
