// probe.start / probe.status / probe.cancel through the dispatcher over the real services, against small
// verifiers on 127.0.0.1: every field is validated before anything is sent, the original token goes first,
// results arrive while the run goes on, and a cancel aborts the request in flight and sends nothing more.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import type { Services } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/method-names';
import { PROBE_LIMITS } from '../../shared/contract/probe';
import { tempDir } from './keys-test-support';

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
const SECRET = 'a-verifier-secret-nobody-guesses-0123456789';

function hsToken(payload: object = { sub: 'lab' }): string {
  const input = `${b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(crypto.createHmac('sha256', SECRET).update(input).digest())}`;
}
const TOKEN = hsToken();

interface Verifier {
  url: string;
  /** Each request as received: path and Authorization header. */
  seen: { path: string; auth: string | undefined }[];
  /** Requests whose connection closed before an answer (aborted by the client). */
  aborted: number;
  close(): Promise<void>;
}

/**
 * A verifier on 127.0.0.1: `judge` answers each request's status; returning null holds the request open
 * (the client must abort it).
 */
async function startVerifier(judge: (auth: string | undefined, index: number) => number | null): Promise<Verifier> {
  const seen: Verifier['seen'] = [];
  const state = { aborted: 0 };
  const server = http.createServer((req, res) => {
    const index = seen.push({ path: req.url ?? '', auth: req.headers.authorization }) - 1;
    const status = judge(req.headers.authorization, index);
    if (status === null) {
      res.on('close', () => {
        if (!res.writableEnded) state.aborted++;
      });
      return;
    }
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(String(status));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/me`,
    seen,
    get aborted() {
      return state.aborted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Accepts exactly the original token, as a correct verifier would. */
const correct = (auth: string | undefined) => (auth === `Bearer ${TOKEN}` ? 200 : 401);
/** Also accepts any alg none spelling: the classic mistake. */
const acceptsNone = (auth: string | undefined) => {
  if (auth === `Bearer ${TOKEN}`) return 200;
  const header = JSON.parse(Buffer.from((auth ?? '').replace(/^Bearer /, '').split('.')[0] ?? '', 'base64url').toString() || '{}') as { alg?: unknown };
  return typeof header.alg === 'string' && header.alg.toLowerCase() === 'none' ? 200 : 401;
};

const dirs: string[] = [];
const opened: Services[] = [];
const verifiers: Verifier[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.probe.close()));
  await Promise.all(verifiers.map((v) => v.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function host() {
  const dir = tempDir('probe-contract-');
  dirs.push(dir);
  const services = createServices({ dataDir: dir, probe: { timeoutMs: 5_000 } });
  opened.push(services);
  const dispatch = createDispatcher(createHandlers(services));
  const call = (method: MethodName, request: unknown) => dispatch(method, request, { transport: 'http' }) as Promise<any>;
  return { services, call };
}

async function verifier(judge: Parameters<typeof startVerifier>[0]): Promise<Verifier> {
  const v = await startVerifier(judge);
  verifiers.push(v);
  return v;
}

/** Polls probe.status until `until` holds (bounded by the test's timeout). */
async function pollStatus(call: ReturnType<typeof host>['call'], runId: string, until: (view: any) => boolean): Promise<any> {
  for (;;) {
    const r = await call('probe.status', { runId });
    expect(r.ok).toBe(true);
    if (until(r.value)) return r.value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('probe.start validation', () => {
  it('refuses each bad field with bad-request and its path, without echoing the token, before sending anything', async () => {
    const { call } = host();
    const v = await verifier(correct);
    const cases: [unknown, string][] = [
      [{ url: 'ftp://127.0.0.1/x', token: TOKEN }, 'url'],
      [{ url: 'javascript:alert(1)', token: TOKEN }, 'url'],
      [{ url: 'http://user:pw@127.0.0.1/x', token: TOKEN }, 'url'],
      [{ url: '/relative', token: TOKEN }, 'url'],
      [{ token: TOKEN }, 'url'],
      [{ url: v.url }, 'token'],
      [{ url: v.url, token: '' }, 'token'],
      [{ url: v.url, token: 'x'.repeat(PROBE_LIMITS.token + 1) }, 'token'],
      [{ url: v.url, token: TOKEN, header: 'X Token' }, 'header'],
      [{ url: v.url, token: TOKEN, header: '' }, 'header'],
      [{ url: v.url, token: TOKEN, header: 'Authorization:' }, 'header'],
      [{ url: v.url, token: TOKEN, scheme: 'Bearer\r\nX-Injected: 1' }, 'scheme'],
      [{ url: v.url, token: TOKEN, scheme: 'B'.repeat(PROBE_LIMITS.scheme + 1) }, 'scheme'],
      [{ url: v.url, token: TOKEN, key: 42 }, 'key'],
      [{ url: v.url, token: TOKEN, extra: 1 }, 'extra'],
    ];
    for (const [request, path] of cases) {
      const r = await call('probe.start', request);
      expect(r.ok, JSON.stringify(request).slice(0, 80)).toBe(false);
      expect(r.error.code).toBe('bad-request');
      expect(r.error.details).toEqual({ path });
      expect(r.error.message).not.toContain(TOKEN);
    }
    expect((await call('probe.status', {})).error.code).toBe('bad-request');
    expect((await call('probe.cancel', { runId: '' })).error.code).toBe('bad-request');
    expect(v.seen).toEqual([]);
  });

  it('answers token-invalid for a token no attack can be made from, and sends nothing', async () => {
    const { call } = host();
    const v = await verifier(correct);
    const notJwt = await call('probe.start', { url: v.url, token: 'not-a-token' });
    expect(notJwt.error.code).toBe('token-invalid');
    expect(notJwt.error.message).toMatch(/^cannot probe with this token: /);
    const jwe = `${b64u(JSON.stringify({ alg: 'dir', enc: 'A128GCM' }))}..${b64u('iv-iv-iv-iv-')}.${b64u('ciphertext')}.${b64u('tag-tag-tag-tag-')}`;
    const r = await call('probe.start', { url: v.url, token: jwe });
    expect(r.error.code).toBe('token-invalid');
    expect(r.error.message).toContain('JWE');
    expect(v.seen).toEqual([]);
  });

  it('answers run-not-found for an unknown run, and cancel of one is a no-op', async () => {
    const { call } = host();
    expect((await call('probe.status', { runId: 'nope' })).error.code).toBe('run-not-found');
    expect((await call('probe.cancel', { runId: 'nope' })).value).toEqual({ cancelled: false });
  });
});

describe('probe runs', { timeout: 30_000 }, () => {
  it('a correct verifier: the original first and accepted, then every variant refused, only at the URL given', async () => {
    const { call } = host();
    const v = await verifier(correct);
    const started = await call('probe.start', { url: v.url, token: `  Bearer ${TOKEN}\n` });
    expect(started.ok).toBe(true);
    const view = await pollStatus(call, started.value.runId, (x) => x.done);
    expect(view).toMatchObject({ runId: started.value.runId, original: 200, done: true, cancelled: false, error: null });
    expect(view.results.length).toBeGreaterThan(5);
    expect(view.results.every((r: any) => r.status === 401 && r.accepted === false)).toBe(true);
    expect(new Set(view.results.map((r: any) => r.kind))).toEqual(new Set(['none', 'null-signature', 'blank-secret', 'embedded-jwk', 'jku', 'x5u', 'kid-injection', 'psychic']));
    expect(view.skipped.map((s: any) => s.kind).sort()).toEqual(['key-confusion', 'weak-secret']);
    // The original, trimmed of what a paste brings, went first; one request per variant after it.
    expect(v.seen[0]).toEqual({ path: '/api/me', auth: `Bearer ${TOKEN}` });
    expect(v.seen).toHaveLength(view.results.length + 1);
    expect(v.seen.every((r) => r.path === '/api/me')).toBe(true);
    expect(JSON.stringify(view)).not.toContain(TOKEN);
  });

  it('a verifier that takes alg none: those variants are reported accepted; header and scheme are used as given', async () => {
    const { call } = host();
    const v = await verifier((auth) => acceptsNone(auth === undefined ? undefined : `Bearer ${auth.replace(/^Token /, '')}`));
    const started = await call('probe.start', { url: v.url, token: TOKEN, scheme: 'Token' });
    const view = await pollStatus(call, started.value.runId, (x) => x.done);
    expect(view.error).toBeNull();
    const accepted = view.results.filter((r: any) => r.accepted);
    expect(accepted.map((r: any) => r.variant).sort()).toEqual(['NONE', 'None', 'nOnE', 'none']);
    expect(accepted.every((r: any) => r.kind === 'none' && r.status === 200)).toBe(true);
    expect(v.seen.every((r) => r.auth?.startsWith('Token '))).toBe(true);
  });

  it('stops with the CLI\'s message when the original token is refused, sending no variant', async () => {
    const { call } = host();
    const v = await verifier(() => 403);
    const started = await call('probe.start', { url: v.url, token: TOKEN });
    const view = await pollStatus(call, started.value.runId, (x) => x.done);
    expect(view.error).toEqual({
      code: 'original-refused',
      message: 'the verifier refused the original token (HTTP 403): the probe needs a token it accepts',
    });
    expect(view.results).toEqual([]);
    expect(v.seen).toHaveLength(1);
  });

  it('cancel aborts the request in flight and sends nothing more; results so far stay', async () => {
    const { call } = host();
    // The original and two variants are answered; the fourth request is held until the client gives up.
    const v = await verifier((auth, index) => (index >= 3 ? null : correct(auth)));
    const started = await call('probe.start', { url: v.url, token: TOKEN });
    const runId = started.value.runId;
    const partial = await pollStatus(call, runId, (x) => x.results.length === 2);
    expect(partial.done).toBe(false);
    await expect.poll(() => v.seen.length, { timeout: 10_000 }).toBe(4);

    expect((await call('probe.cancel', { runId })).value).toEqual({ cancelled: true });
    const view = await pollStatus(call, runId, (x) => x.done);
    expect(view).toMatchObject({ done: true, cancelled: true, error: { code: 'probe-cancelled' } });
    expect(view.results).toHaveLength(2);
    await expect.poll(() => v.aborted, { timeout: 10_000 }).toBe(1);
    // Nothing was sent after the cancel.
    expect(v.seen).toHaveLength(4);
    expect((await call('probe.cancel', { runId })).value).toEqual({ cancelled: false });
  });

  it('a newer start cancels the run in flight', async () => {
    const { call } = host();
    const slow = await verifier((auth, index) => (index >= 1 ? null : correct(auth)));
    const first = (await call('probe.start', { url: slow.url, token: TOKEN })).value.runId;
    await expect.poll(() => slow.seen.length, { timeout: 10_000 }).toBe(2);
    const fast = await verifier(correct);
    const second = (await call('probe.start', { url: fast.url, token: TOKEN })).value.runId;
    expect(second).not.toBe(first);
    expect(await pollStatus(call, first, (x) => x.done)).toMatchObject({ cancelled: true, error: { code: 'probe-cancelled' } });
    expect(await pollStatus(call, second, (x) => x.done)).toMatchObject({ cancelled: false, error: null });
    expect(slow.seen).toHaveLength(2);
  });
});
