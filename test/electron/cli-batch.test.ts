// A hostile token in a stdin batch costs that token its line, never the batch: deep nesting, a line over
// the length limit, bytes that are not UTF-8, a handler that throws. The built CLI is spawned as a user runs it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH, type CliIo } from '../../electron/cli/io';
import { runOnTokens, type TokenFailure, type TokenHandler } from '../../electron/cli/token-runner';
import { buildCliHarness, jsonLines, type CliHarness, type RunResult } from './cli-harness';

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

// RFC 7515 Appendix A.1's symmetric JWK: every token below is HS256-signed with it (node:crypto, not the code under test).
const A1_JWK = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };
const A1_SECRET = Buffer.from(A1_JWK.k, 'base64url');

function hs256(headerText: string, payloadText: string): string {
  const input = `${b64u(headerText)}.${b64u(payloadText)}`;
  return `${input}.${crypto.createHmac('sha256', A1_SECRET).update(input).digest('base64url')}`;
}

const nested = (open: string, close: string, levels: number, inner = '1') => open.repeat(levels) + inner + close.repeat(levels);

const GOOD_1 = hs256('{"alg":"HS256"}', '{"iss":"first"}');
const GOOD_2 = hs256('{"alg":"HS256"}', '{"iss":"last"}');
/** 5,000 levels of objects in the payload. */
const DEEP_PAYLOAD = hs256('{"alg":"HS256"}', nested('{"a":', '}', 5000));
/** 100,000 levels of arrays in a header member. */
const DEEP_HEADER = hs256(`{"alg":"HS256","x":${nested('[', ']', 100_000)}}`, '{"iss":"deep"}');
/** A JWS JSON serialization whose unprotected header nests 5,000 arrays deep. */
const DEEP_JSON_SERIALIZATION = `{"payload":"${b64u('{}')}","protected":"${b64u('{"alg":"HS256"}')}","header":{"x":${nested('[', ']', 5000)}},"signature":"AAAA"}`;
/** 1,000,000 levels: its base64url is longer than a token line may be. */
const MILLION_DEEP = hs256('{"alg":"HS256"}', nested('[', ']', 1_000_000));
/** 20 MB on one line. */
const HUGE_LINE = `${b64u('{"alg":"HS256"}')}.${'A'.repeat(20 * 1024 * 1024)}.AAAA`;

/** A token line with two bytes in its payload that are not UTF-8 (and so not base64url either). */
function invalidUtf8Line(): Buffer {
  const [header, payload, signature] = GOOD_1.split('.') as [string, string, string];
  return Buffer.concat([Buffer.from(`${header}.${payload.slice(0, 4)}`), Buffer.from([0xff, 0xfe]), Buffer.from(`${payload.slice(4)}.${signature}`)]);
}

/** The batch: [what each line is, the expected error code or null for a good token]. */
const BATCH: [string | Buffer, string | null][] = [
  [GOOD_1, null],
  [DEEP_PAYLOAD, 'json-too-deep'],
  [DEEP_HEADER, 'json-too-deep'],
  [HUGE_LINE, 'token-too-large'],
  [invalidUtf8Line(), 'base64url-invalid-char'],
  [DEEP_JSON_SERIALIZATION, 'json-too-deep'],
  [MILLION_DEEP, 'token-too-large'],
  [GOOD_2, null],
];
const BATCH_INPUT = Buffer.concat(BATCH.map(([line]) => Buffer.concat([Buffer.from(line), Buffer.from('\n')])));
const EXPECTED_CODES = BATCH.map(([, code]) => code);

let cli: CliHarness;
let keyFile: string;
beforeAll(async () => {
  cli = await buildCliHarness();
  keyFile = cli.file('a1.jwk', JSON.stringify(A1_JWK));
}, 60_000);
afterAll(() => cli?.dispose());

/** Runs the CLI with raw bytes on stdin (the harness takes text, and these lines include bytes that are not UTF-8). */
function runWithBytes(args: string[], input: Buffer): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli.bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

interface ErrorJson {
  code: string;
  message: string;
  segment: string | null;
  offset: number | null;
  line?: number;
  column?: number;
}

function expectLocatedDepthError(error: ErrorJson | null) {
  expect(error).toMatchObject({ code: 'json-too-deep', segment: expect.any(String), offset: expect.any(Number) });
  expect(error!.line).toEqual(expect.any(Number));
  expect(error!.column).toEqual(expect.any(Number));
  expect(error!.message).toContain('1000 levels');
}

describe('a hostile token in a stdin batch', () => {
  it('decode: every token gets its line in order, each hostile one an error line of the decode shape; exit 1', async () => {
    const r = await runWithBytes(['decode', '--json'], BATCH_INPUT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as ({ kind: string | null; payload: unknown; error: ErrorJson | null } & Record<string, unknown>)[];
    expect(lines.map((l) => l.error?.code ?? null)).toEqual(EXPECTED_CODES);
    const keys = ['kind', 'serialization', 'header', 'payload', 'payloadFormat', 'signature', 'notes', 'error'];
    for (const line of lines) expect(Object.keys(line)).toEqual(keys);
    expect(lines[0]).toMatchObject({ kind: 'jws', payload: { iss: 'first' } });
    expect(lines.at(-1)).toMatchObject({ kind: 'jws', payload: { iss: 'last' } });
    expect(lines[1]!.error).toMatchObject({ segment: 'payload' });
    expectLocatedDepthError(lines[1]!.error);
    expect(lines[2]!.error).toMatchObject({ segment: 'header' });
    expectLocatedDepthError(lines[2]!.error);
    expect(lines[5]!.error).toMatchObject({ segment: 'input' });
    expectLocatedDepthError(lines[5]!.error);
    expect(lines[3]).toMatchObject({ kind: null, header: null, error: { code: 'token-too-large', segment: 'input', offset: null } });
    expect(lines[3]!.error!.message).toContain(String(HUGE_LINE.length));
    expect(lines[3]!.error!.message).toContain(String(MAX_LINE_LENGTH));
    // The two bytes read as U+FFFD, located where they sit in the line.
    expect(lines[4]!.error).toMatchObject({ segment: 'payload', offset: GOOD_1.indexOf('.') + 5 });
    // A failed token's line never echoes the token.
    expect(r.stdout).not.toContain(HUGE_LINE.slice(0, 200));
  });

  it('lint: the same lines in the lint shape ({findings, error}); exit 1', async () => {
    const r = await runWithBytes(['lint', '--json', '--now', '0'], BATCH_INPUT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as { findings: { rule: string }[]; error: ErrorJson | null }[];
    expect(lines.map((l) => l.error?.code ?? null)).toEqual(EXPECTED_CODES);
    for (const line of lines) expect(Object.keys(line)).toEqual(['findings', 'error']);
    expect(lines[0]!.findings.map((f) => f.rule)).toContain('exp-missing');
    expect(lines.at(-1)!.findings.map((f) => f.rule)).toContain('exp-missing');
    for (const line of lines.filter((l) => l.error !== null)) expect(line.findings).toEqual([]);
    expectLocatedDepthError(lines[1]!.error);
  });

  it('verify: one verdict line per token, the unreadable ones malformed-token with the error; exit 1', async () => {
    const r = await runWithBytes(['verify', '--key', keyFile, '--json'], BATCH_INPUT);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as { valid: boolean; ok: boolean; reason: string | null; error: ErrorJson | null }[];
    expect(lines).toHaveLength(BATCH.length);
    const keys = ['valid', 'alg', 'kid', 'reason', 'message', 'key', 'warnings', 'claims', 'ok', 'error'];
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(keys);
      expect(line.reason).not.toBe('internal-error');
    }
    expect(lines[0]).toMatchObject({ valid: true, ok: true, error: null });
    expect(lines.at(-1)).toMatchObject({ valid: true, ok: true, error: null });
    expect(lines[2]).toMatchObject({ valid: false, ok: false, reason: 'malformed-token', error: { code: 'json-too-deep' } });
    for (const i of [3, 6]) {
      expect(lines[i]).toMatchObject({ valid: false, ok: false, reason: 'malformed-token', error: { code: 'token-too-large' } });
    }
    expect(lines[4]).toMatchObject({ valid: false, reason: 'malformed-token', error: { code: 'base64url-invalid-char' } });
  });

  it('a single deep TOKEN argument: the error (json or text), exit 1, no stack trace', async () => {
    const json = await cli.run(['decode', DEEP_PAYLOAD, '--json']);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe('');
    expectLocatedDepthError((JSON.parse(json.stdout) as { error: ErrorJson }).error);
    const text = await cli.run(['lint', DEEP_PAYLOAD]);
    expect(text.code).toBe(1);
    expect(text.stderr).toBe('');
    expect(text.stdout).toMatch(/^cannot lint: json-too-deep \(payload, offset \d+\): /);
    expect(text.stdout).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });

  it('sign: a deeply nested payload is signed as the exact text with a warning, and decoding the result names the depth', async () => {
    const payload = nested('{"a":', '}', 5000);
    const r = await cli.run(['sign', '--header', '{"alg":"HS256"}', '--payload', `@${cli.file('deep.json', payload)}`, '--key', keyFile]);
    // Signed as typed, with a warning that decode (and so verify) will refuse the result.
    expect(r.stderr).toMatch(/^jwtdbg sign: warning: decode refuses the token this makes \(json-too-deep\)/);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')).toBe(payload);
    const decoded = await cli.run(['decode', token, '--json']);
    expect(decoded.code).toBe(1);
    expectLocatedDepthError((JSON.parse(decoded.stdout) as { error: ErrorJson }).error);
  });
});

// A handler that throws cannot be provoked through the real commands once they are correct, so the
// runner is driven in-process with one that does, on the token "boom".
describe('runOnTokens with a handler that throws', () => {
  class Sink extends Writable {
    text = '';
    override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
      this.text += chunk.toString();
      done();
    }
  }

  function io(stdin: string): { io: CliIo; stdout: Sink } {
    const stdout = new Sink();
    return { io: { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr: new Sink(), env: {} }, stdout };
  }

  const handler: TokenHandler<string> = {
    handle(text) {
      if (text === 'boom') throw new RangeError(`Maximum call stack size exceeded near ${text}-secret-material`);
      return text.toUpperCase();
    },
    ok: () => true,
    json: (result) => ({ value: result, error: null }),
    text: (result) => `value ${result}`,
    failure: (error: TokenFailure) => ({ value: null, error }),
  };

  it('turns the throw into that token’s internal-error line, in order, and handles the rest; exit 1', async () => {
    const { io: fake, stdout } = io('one\nboom\ntwo\n');
    expect(await runOnTokens(fake, 'test', undefined, true, handler)).toBe(1);
    const lines = jsonLines(stdout.text) as { value: string | null; error: TokenFailure | null }[];
    expect(lines.map((l) => l.value)).toEqual(['ONE', null, 'TWO']);
    expect(lines[1]!.error).toEqual({ code: 'internal-error', message: expect.stringContaining('RangeError'), segment: 'input', offset: null });
    // The thrown message (which may quote the token) is not passed on.
    expect(stdout.text).not.toContain('secret-material');
  });

  it('answers a single TOKEN that throws with one line, exit 1, as JSON or text', async () => {
    const json = io('');
    expect(await runOnTokens(json.io, 'test', 'boom', true, handler)).toBe(1);
    expect(JSON.parse(json.stdout.text)).toMatchObject({ value: null, error: { code: 'internal-error' } });
    const text = io('');
    expect(await runOnTokens(text.io, 'test', 'boom', false, handler)).toBe(1);
    expect(text.stdout.text).toMatch(/^error internal-error \(input\): This token could not be processed: .*\n$/);
    expect(text.stdout.text.split('\n')).toHaveLength(2);
    expect(text.stdout.text).not.toContain('secret-material');
  });

  it('answers a result that cannot be printed (JSON.stringify overflows) as an internal-error line', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const printer: TokenHandler<unknown> = { ...handler, handle: (text) => (text === 'deep' ? deep : text) } as TokenHandler<unknown>;
    const { io: fake, stdout } = io('a\ndeep\nb\n');
    expect(await runOnTokens(fake, 'test', undefined, true, printer)).toBe(1);
    const lines = jsonLines(stdout.text) as { value: unknown; error: TokenFailure | null }[];
    expect(lines.map((l) => l.error?.code ?? null)).toEqual([null, 'internal-error', null]);
  });
});
