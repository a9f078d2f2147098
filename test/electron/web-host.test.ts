import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../electron/web/args';
import { answerClientError, startWebHost } from '../../electron/web/host';
import type { WebHost } from '../../electron/web/host';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';
import type { Handlers } from '../../shared/contract/methods';
import { err, ok } from '../../shared/contract/result';
import { notWiredHandlers } from './not-wired-handlers';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let host: WebHost;
let tmp: string;
let logged: string[];
const MAX_BODY = 64 * 1024;
const KEY = { type: 'secret', value: 'never-echo-this-secret', encoding: 'utf8' } as const;

const handlers: Handlers = {
  ...notWiredHandlers(),
  'app.info': (_req, ctx) => ok({ name: 'JWT Workbench', version: '9.9.9', transport: ctx.transport, platform: process.platform }),
  'crypto.verify': (req) =>
    req.token === 'throw'
      ? Promise.reject(new Error(`boom with ${'value' in req.key ? req.key.value : 'id' in req.key ? req.key.id : req.key.type}`))
      : err('not-found', `no stored key for a token of ${req.token.length} characters`),
  'crypto.sign': (req) => ok({ token: `${req.headerText}|${req.payloadText}`, alg: req.alg ?? 'HS256', warnings: [], headerText: req.headerText, kid: null }),
};

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'web-host-'));
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>JWT Workbench</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'setup-CFNE7Ql2.js'), 'console.log("hashed")');
  fs.writeFileSync(path.join(rendererDir, '.hidden'), 'hidden');
  fs.writeFileSync(path.join(tmp, 'outside.txt'), 'OUTSIDE-THE-ROOT');
  fs.symlinkSync(path.join(tmp, 'outside.txt'), path.join(rendererDir, 'assets', 'link.txt'));
  logged = [];
  host = await startWebHost({ port: 0, handlers, rendererDir, maxBodyBytes: MAX_BODY, log: (line) => logged.push(line) });
});

afterAll(async () => {
  await host?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function request(
  method: string,
  urlPath: string,
  options: { headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method,
        path: urlPath,
        agent: false,
        headers: { Host: `127.0.0.1:${host.port}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined && options.chunked) {
      // Without Content-Length: the server must count while reading.
      const body = Buffer.from(options.body);
      for (let i = 0; i < body.length; i += 16 * 1024) req.write(body.subarray(i, i + 16 * 1024));
      req.end();
    } else {
      req.end(options.body);
    }
  });
}

function rpc(method: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request('POST', `/rpc/${method}`, {
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.secret}`, ...headers },
    body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

function json(reply: Reply): unknown {
  expect(reply.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(reply.body);
}

async function expectStillUp(): Promise<void> {
  const reply = await rpc('app.info', {});
  expect(reply.status).toBe(200);
  expect(json(reply)).toMatchObject({ ok: true, value: { transport: 'http' } });
}

describe('startWebHost', () => {
  it('listens on 127.0.0.1 only and prints a URL carrying the secret in its fragment', () => {
    expect(host.origin).toBe(`http://127.0.0.1:${host.port}`);
    expect(host.url).toBe(`${host.origin}/#secret=${host.secret}`);
    expect(host.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(host.port).toBeGreaterThan(0);
  });

  it('gives each launch its own secret, and refuses a busy port with EADDRINUSE', async () => {
    await expect(startWebHost({ port: host.port, handlers, rendererDir: tmp })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    const other = await startWebHost({ port: 0, handlers, rendererDir: tmp });
    try {
      expect(other.secret).not.toBe(host.secret);
      expect(other.port).not.toBe(host.port);
    } finally {
      await other.close();
    }
  });
});

describe('POST /rpc/<method>', () => {
  it('answers a valid call with the handler’s Result', async () => {
    const reply = await rpc('crypto.sign', { headerText: '{"alg":"HS256"}', payloadText: '{}', key: KEY });
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(json(reply)).toEqual({ ok: true, value: { token: '{"alg":"HS256"}|{}', alg: 'HS256', warnings: [], headerText: '{"alg":"HS256"}', kid: null } });
  });

  it('passes a service error through as a 200 Result', async () => {
    const reply = await rpc('crypto.verify', { token: 'a.b.c', key: KEY });
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({ ok: false, error: { code: 'not-found', message: 'no stored key for a token of 5 characters' } });
  });

  it('accepts Host localhost:<port> and a same-origin Origin', async () => {
    const reply = await rpc('app.info', {}, { Host: `localhost:${host.port}`, Origin: `http://localhost:${host.port}` });
    expect(reply.status).toBe(200);
    const same = await rpc('app.info', {}, { Origin: host.origin });
    expect(same.status).toBe(200);
  });

  it.each([
    ['another name (DNS rebinding)', 'evil.example:PORT'],
    ['another port', '127.0.0.1:1'],
    ['no port', '127.0.0.1'],
    ['a lookalike', '127.0.0.1.evil.example:PORT'],
    ['IPv6 loopback (not where it listens)', '[::1]:PORT'],
  ])('refuses Host of %s with 403', async (_label, hostHeader) => {
    const reply = await rpc('app.info', {}, { Host: hostHeader.replace('PORT', String(host.port)) });
    expect(reply.status).toBe(403);
    expect(json(reply)).toMatchObject({ ok: false, error: { code: 'forbidden-host' } });
    await expectStillUp();
  });

  it('refuses static files too when Host is wrong', async () => {
    const reply = await request('GET', '/', { headers: { Host: 'attacker.example' } });
    expect(reply.status).toBe(403);
  });

  it.each([
    ['another site', 'https://evil.example'],
    ['the other loopback name', 'http://localhost:PORT'],
    ['a sandboxed frame', 'null'],
    ['another port', 'http://127.0.0.1:1'],
  ])('refuses Origin of %s with 403', async (_label, origin) => {
    const reply = await rpc('app.info', {}, { Origin: origin.replace('PORT', String(host.port)) });
    expect(reply.status).toBe(403);
    expect(json(reply)).toMatchObject({ ok: false, error: { code: 'forbidden-origin', message: 'Cross-origin requests are not accepted' } });
  });

  it('requires the per-launch secret', async () => {
    const missing = await request('POST', '/rpc/app.info', { headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect(json(missing)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Missing Authorization: Bearer <secret>' } });
    for (const auth of [`Bearer ${host.secret}x`, `Bearer ${host.secret.slice(1)}`, host.secret, `Basic ${host.secret}`, 'Bearer ']) {
      const wrong = await rpc('app.info', {}, { Authorization: auth });
      expect(wrong.status).toBe(401);
      expect(json(wrong)).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Wrong secret' } });
    }
    await expectStillUp();
  });

  it('refuses a body that is not JSON with 400, and the server stays up', async () => {
    for (const body of ['{"token":', 'not json', '']) {
      const reply = await rpc('crypto.verify', body);
      expect(reply.status).toBe(400);
      expect(json(reply)).toEqual({ ok: false, error: { code: 'bad-request', message: 'The body is not valid JSON' } });
    }
    const latin1 = await rpc('crypto.verify', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    expect(latin1.status).toBe(400);
    expect(json(latin1)).toMatchObject({ error: { code: 'bad-request', message: 'The body is not UTF-8' } });
    await expectStillUp();
  });

  it('requires Content-Type application/json', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await rpc('app.info', {}, { 'Content-Type': contentType });
      expect(reply.status).toBe(415);
      expect(json(reply)).toMatchObject({ ok: false, error: { code: 'unsupported-media-type' } });
    }
    expect((await rpc('app.info', {}, { 'Content-Type': 'Application/JSON; charset=utf-8' })).status).toBe(200);
  });

  it('refuses an oversized body with 413, declared or streamed, and stays up', async () => {
    const big = JSON.stringify({ token: 'a'.repeat(MAX_BODY), key: KEY });
    const declared = await rpc('crypto.verify', big);
    expect(declared.status).toBe(413);
    expect(json(declared)).toEqual({ ok: false, error: { code: 'payload-too-large', message: `The body exceeds ${MAX_BODY} bytes` } });
    const streamed = await request('POST', '/rpc/crypto.verify', {
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.secret}` },
      body: big,
      chunked: true,
    });
    expect(streamed.status).toBe(413);
    await expectStillUp();
    // Just under the limit goes through to the validator.
    const fits = await rpc('crypto.verify', JSON.stringify({ token: 'a'.repeat(MAX_BODY - 200), key: KEY }));
    expect(fits.status).toBe(200);
  });

  it('allows POST only on /rpc', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const reply = await request(method, '/rpc/app.info', { headers: { Authorization: `Bearer ${host.secret}` } });
      expect(reply.status).toBe(405);
      expect(reply.headers.allow).toBe('POST');
      expect(json(reply)).toMatchObject({ ok: false, error: { code: 'method-not-allowed' } });
    }
  });

  it('answers an unknown method with 404 JSON', async () => {
    for (const name of ['nope', 'constructor', '__proto__', '', 'crypto.verify/extra']) {
      const reply = await rpc(name, {});
      expect(reply.status).toBe(404);
      expect(json(reply)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
  });

  it('answers a validator failure as a 200 bad-request Result naming the field', async () => {
    const reply = await rpc('crypto.verify', { token: 'a.b.c', key: { type: 'secret', value: 'x', encoding: 'utf16' } });
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({
      ok: false,
      error: {
        code: 'bad-request',
        message: 'key.encoding: expected one of "utf8", "base64", "base64url", "hex", got "utf16"',
        details: { path: 'key.encoding' },
      },
    });
    const extra = await rpc('app.info', { admin: true });
    expect(json(extra)).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'admin: unknown field "admin"' } });
  });

  it('answers a request body nested 30,000 levels deep as a bad-request Result, not an internal error', async () => {
    const levels = 30_000; // JSON.stringify and structuredClone overflow the stack at a few thousand
    const deepKey = `${'['.repeat(levels)}${']'.repeat(levels)}`;
    const logLength = logged.length;
    const reply = await rpc('crypto.verify', `{"token":"a.b.c","key":${deepKey}}`);
    expect(reply.status).toBe(200);
    expect(json(reply)).toMatchObject({ ok: false, error: { code: 'bad-request', details: { path: 'key' } } });
    const deepRoot = await rpc('crypto.verify', `${'{"a":'.repeat(levels / 3)}1${'}'.repeat(levels / 3)}`);
    expect(json(deepRoot)).toMatchObject({ ok: false, error: { code: 'bad-request', details: { path: 'a' } } });
    expect(logged.slice(logLength)).toEqual([]);
    await expectStillUp();
  });

  it('turns a throwing handler into a generic internal error and logs no key material', async () => {
    const reply = await rpc('crypto.verify', { token: 'throw', key: KEY });
    expect(reply.status).toBe(200);
    expect(json(reply)).toEqual({ ok: false, error: { code: 'internal', message: "crypto.verify failed unexpectedly; see the host's log" } });
    expect(reply.body).not.toContain(KEY.value);
    expect(logged.some((line) => line.startsWith('internal error in crypto.verify: Error'))).toBe(true);
    expect(logged.join('\n')).not.toContain(KEY.value);
  });

  it('answers malformed HTTP with a 400 JSON error and stays up', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(host.port, '127.0.0.1', () => socket.end('BROKEN REQUEST LINE\r\n\r\n'));
      let data = '';
      socket.on('data', (c) => (data += c.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('{"ok":false,"error":{"code":"bad-request","message":"Malformed HTTP request"}}');
    await expectStillUp();
  });

  it('answers oversized headers with 431 in the same JSON shape', async () => {
    const raw = await rawExchange(host.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(raw).toContain('"code":"bad-request"');
    await expectStillUp();
  });

  it('writes nothing on a socket the peer reset, and logs nothing', async () => {
    const before = logged.length;
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(host.port, '127.0.0.1', () => {
        // Half a request line, then an RST: the server sees ECONNRESET while parsing.
        socket.write('POST /rpc/app.info HTTP/1.1\r\nHost: 127.0');
        setTimeout(() => socket.resetAndDestroy(), 50);
      });
      socket.on('close', () => resolve());
      socket.on('error', reject);
    });
    await expectStillUp();
    expect(logged.slice(before)).toEqual([]);
  });
});

/** Sends `text` on a fresh connection (nothing when empty) and resolves with every byte the server wrote until it closed. */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      if (text !== '') socket.write(text);
    });
    let data = '';
    socket.on('data', (c) => (data += c.toString()));
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
  });
}

describe('low-level connection failures are not malformed requests', () => {
  let quick: WebHost;
  const quickLog: string[] = [];
  beforeAll(async () => {
    // A short headers timeout, checked often, so an idle connection is timed out within the test.
    quick = await startWebHost({ port: 0, handlers, rendererDir: tmp, headersTimeoutMs: 200, connectionsCheckingIntervalMs: 50, log: (l) => quickLog.push(l) });
  });
  afterAll(async () => {
    await quick?.close();
  });

  it('closes a connection that sent nothing before the headers timeout without writing a byte', async () => {
    // What a browser's preconnected socket looks like. The old 400 waited on it and answered the next call.
    expect(await rawExchange(quick.port, '')).toBe('');
    expect(quickLog).toEqual([]);
  });

  it('closes a connection whose headers never finished without claiming it was malformed', async () => {
    const raw = await rawExchange(quick.port, `POST /rpc/app.info HTTP/1.1\r\nHost: 127.0.0.1:${quick.port}\r\n`);
    expect(raw).not.toContain('Malformed');
    expect(raw).toBe('');
  });

  it('still answers a real parse error with 400 bad-request', async () => {
    const raw = await rawExchange(quick.port, 'BROKEN REQUEST LINE\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(raw).toContain('"code":"bad-request"');
  });

  it('answerClientError writes only for HPE_* codes, on a writable socket with no response under way', () => {
    const written: string[] = [];
    const fake = (extra: object = {}) => {
      const socket = new PassThrough();
      const end = socket.end.bind(socket);
      socket.end = ((chunk: unknown) => (written.push(String(chunk)), end())) as typeof socket.end;
      return Object.assign(socket, extra);
    };
    const failure = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_HTTP_REQUEST_TIMEOUT']) {
      const socket = fake();
      answerClientError(failure(code), socket);
      expect(socket.destroyed, code).toBe(true);
    }
    expect(written).toEqual([]);
    const midResponse = fake({ _httpMessage: { headersSent: true } });
    answerClientError(failure('HPE_INVALID_METHOD'), midResponse);
    expect(written).toEqual([]);
    expect(midResponse.destroyed).toBe(true);
    answerClientError(failure('HPE_INVALID_METHOD'), fake());
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*"message":"Malformed HTTP request"/);
  });
});

describe('static files', () => {
  it('serves index.html for / with the CSP and nosniff, without needing the secret', async () => {
    const reply = await request('GET', '/');
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>JWT Workbench</title>');
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['content-security-policy']).not.toContain('unsafe-eval');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves assets with their type, and HEAD without a body', async () => {
    const js = await request('GET', '/assets/app.js?v=1');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app")');
    const head = await request('HEAD', '/assets/app.js');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String('console.log("app")'.length));
    expect(head.body).toBe('');
  });

  it('lets a content-hashed asset be cached for good, and revalidates everything else', async () => {
    // Vite's `name-<hash>.ext` never changes (a new build names new files); index.html names them.
    const hashed = await request('GET', '/assets/setup-CFNE7Ql2.js');
    expect(hashed.status).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request('GET', '/assets/app.js')).headers['cache-control']).toBe('no-cache');
    expect((await request('GET', '/')).headers['cache-control']).toBe('no-cache');
    expect((await request('GET', '/index.html')).headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing file with 404 and other methods with 405', async () => {
    expect((await request('GET', '/assets/missing.js')).status).toBe(404);
    expect((await request('GET', '/assets')).status).toBe(404);
    const post = await request('POST', '/index.html', { body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it.each([
    '/../outside.txt',
    '/../../package.json',
    '/assets/../../outside.txt',
    '/%2e%2e/outside.txt',
    '/..%2foutside.txt',
    '/assets/..%2F..%2Foutside.txt',
    '/..%5coutside.txt',
    '/assets/%2e%2e%5c%2e%2e%5coutside.txt',
    '/%00index.html',
    '/index.html%00.js',
    '/%E0%A4%A',
    '//etc/passwd',
    '/.hidden',
    '/assets/link.txt',
  ])('refuses %s', async (urlPath) => {
    const reply = await request('GET', urlPath);
    expect([400, 404]).toContain(reply.status);
    expect(reply.body).not.toContain('OUTSIDE-THE-ROOT');
    expect(reply.body).not.toContain('hidden');
    expect(json(reply)).toMatchObject({ ok: false });
  });
});

describe('parseWebArgs', () => {
  it('reads --port, --json and --data-dir, in both spellings', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, json: false, dataDir: null, unencryptedTestStore: false });
    expect(parseWebArgs(['--port', '8080', '--json'])).toEqual({ port: 8080, json: true, dataDir: null, unencryptedTestStore: false });
    expect(parseWebArgs(['--port=0', '--data-dir=rel'])).toEqual({ port: 0, json: false, dataDir: path.resolve('rel'), unencryptedTestStore: false });
    expect(parseWebArgs(['--unencrypted-test-store']).unencryptedTestStore).toBe(true);
  });

  it('refuses bad values with a usage error', () => {
    expect(() => parseWebArgs(['--port', '70000'])).toThrow('--port must be 0…65535, got "70000"');
    expect(() => parseWebArgs(['--port', '-1'])).toThrow('--port must be 0…65535');
    expect(() => parseWebArgs(['--port'])).toThrow('--port needs a value');
    expect(() => parseWebArgs(['--verbose'])).toThrow('unknown option "--verbose"');
  });
});

describe('renderer client (renderer/src/host.ts) against the real HTTP host', () => {
  function fakePage(hash: string, stored: Map<string, string> = new Map()) {
    const page = {
      url: `/index.html?x=1${hash}`,
      location: { hash, pathname: '/index.html', search: '?x=1' },
      history: {
        state: { n: 1 },
        replaceState: (_state: unknown, _title: string, url?: string | URL | null) => {
          page.url = String(url);
        },
      },
      storage: { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) },
      stored,
    };
    return page;
  }
  const toHost = (input: string | URL | Request, init?: RequestInit) => fetch(new URL(String(input), host.origin), init);

  it('takes the secret from the fragment, keeps other fragment parameters, and stores it for reloads', async () => {
    const { takeSecret, SECRET_STORAGE_KEY } = await import('../../renderer/src/host');
    const page = fakePage(`#secret=${host.secret}&view=payload`);
    expect(takeSecret(page)).toBe(host.secret);
    expect(page.url).toBe('/index.html?x=1#view=payload');
    expect(page.stored.get(SECRET_STORAGE_KEY)).toBe(host.secret);
    // Reload: no fragment any more, the stored secret is used and the address is left alone.
    const reloaded = fakePage('', page.stored);
    expect(takeSecret(reloaded)).toBe(host.secret);
    expect(reloaded.url).toBe('/index.html?x=1');
    const bare = fakePage(`#secret=${host.secret}`);
    takeSecret(bare);
    expect(bare.url).toBe('/index.html?x=1');
  });

  it('calls methods over HTTP and resolves to the Result', async () => {
    const { createHostClient } = await import('../../renderer/src/host');
    const client = createHostClient({ bridge: undefined, fetch: toHost, ...fakePage(`#secret=${host.secret}`) });
    expect(await client.call('app.info', {})).toEqual({
      ok: true,
      value: { name: 'JWT Workbench', version: '9.9.9', transport: 'http', platform: process.platform },
    });
    expect(await client.call('crypto.sign', { headerText: 'h', payloadText: 'p', key: KEY })).toMatchObject({ ok: true, value: { token: 'h|p' } });
  });

  it('turns transport refusals and failures into error Results, never a throw', async () => {
    const { createHostClient } = await import('../../renderer/src/host');
    const wrong = createHostClient({ bridge: undefined, fetch: toHost, ...fakePage('#secret=not-the-secret') });
    expect(await wrong.call('app.info', {})).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Wrong secret' } });

    let fetched = 0;
    const none = createHostClient({ bridge: undefined, fetch: (...a) => (fetched++, toHost(...a)), ...fakePage('') });
    expect(await none.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(fetched).toBe(0);

    const closed = await startWebHost({ port: 0, handlers, rendererDir: tmp });
    const closedOrigin = closed.origin;
    await closed.close();
    const gone = createHostClient({
      bridge: undefined,
      fetch: (input, init) => fetch(new URL(String(input), closedOrigin), init),
      ...fakePage(`#secret=${closed.secret}`),
    });
    expect(await gone.call('app.info', {})).toMatchObject({ ok: false, error: { code: 'network' } });

    const html = createHostClient({
      bridge: undefined,
      fetch: async () => new Response('<html>proxy error</html>', { status: 502 }),
      ...fakePage(`#secret=${host.secret}`),
    });
    expect(await html.call('app.info', {})).toEqual({
      ok: false,
      error: { code: 'bad-response', message: 'The host answered app.info with HTTP 502 and no Result' },
    });
  });

  it('repeats a repeatable call once when the connection failed before any answer, and never repeats the others', async () => {
    const { createHostClient, isRepeatable } = await import('../../renderer/src/host');
    const sent: string[] = [];
    // The first request of each call dies on a dead pooled connection, as a browser reports it: a TypeError.
    let failNext = true;
    const flaky = (input: string | URL | Request, init?: RequestInit) => {
      sent.push(String(input));
      if (failNext) {
        failNext = false;
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return toHost(input, init);
    };
    const client = createHostClient({ bridge: undefined, fetch: flaky, ...fakePage(`#secret=${host.secret}`) });
    expect(await client.call('app.info', {})).toMatchObject({ ok: true, value: { transport: 'http' } });
    expect(sent).toEqual(['/rpc/app.info', '/rpc/app.info']);

    sent.length = 0;
    failNext = true;
    const lost = await client.call('issuer.clock', { advance: 60 });
    expect(lost).toEqual({
      ok: false,
      error: { code: 'network', message: 'The connection to the JWT Workbench host was lost before it answered issuer.clock: is `npm run web` still running?' },
    });
    expect(sent).toEqual(['/rpc/issuer.clock']);
    expect(JSON.stringify(lost)).not.toMatch(/bad-request|Malformed/);

    expect(isRepeatable('issuer.clock', {})).toBe(true);
    expect(isRepeatable('issuer.clock', { reset: true })).toBe(true);
    expect(isRepeatable('issuer.start', {})).toBe(true);
    expect(isRepeatable('keys.generate', { alg: 'ES256' })).toBe(false);
  });

  it('reports an aborted call as aborted, without repeating it', async () => {
    const { createHostClient } = await import('../../renderer/src/host');
    let fetched = 0;
    const aborting = () => (fetched++, Promise.reject(new DOMException('The operation was aborted.', 'AbortError')));
    const client = createHostClient({ bridge: undefined, fetch: aborting, ...fakePage(`#secret=${host.secret}`) });
    expect(await client.call('issuer.status', {})).toEqual({
      ok: false,
      error: { code: 'network', message: 'The call to issuer.status was aborted before the host answered' },
    });
    expect(fetched).toBe(1);
  });

  it('reports a body cut off mid-answer as a lost connection, not as a bad answer', async () => {
    const { createHostClient } = await import('../../renderer/src/host');
    const cut = async () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"ok":tr'));
            controller.error(new TypeError('network error'));
          },
        }),
        { status: 200, headers: { 'Content-Type': 'application/json' } },
      );
    const client = createHostClient({ bridge: undefined, fetch: cut, ...fakePage(`#secret=${host.secret}`) });
    expect(await client.call('issuer.stop', {})).toEqual({
      ok: false,
      error: { code: 'network', message: 'The connection to the JWT Workbench host was lost while it answered issuer.stop' },
    });
  });

  it('uses window.workbench when the preload exposed it', async () => {
    const { createHostClient } = await import('../../renderer/src/host');
    const page = fakePage(`#secret=${host.secret}`);
    const seen: unknown[] = [];
    const bridge = {
      'app.info': async (req: unknown) => (seen.push(req), ok({ name: 'JWT Workbench', version: '1', transport: 'electron' as const, platform: 'linux' })),
      'crypto.verify': async () => Promise.reject(new Error('IPC channel closed')),
      'crypto.sign': async () => ({ not: 'a result' }),
    } as unknown as import('../../shared/contract/methods').WorkbenchApi;
    const client = createHostClient({ bridge, fetch: () => Promise.reject(new Error('must not fetch')), ...page });
    expect(await client.call('app.info', {})).toMatchObject({ ok: true, value: { transport: 'electron' } });
    expect(seen).toEqual([{}]);
    expect(await client.call('crypto.verify', { token: 't', key: KEY })).toEqual({
      ok: false,
      error: { code: 'network', message: 'The desktop host did not answer crypto.verify: IPC channel closed' },
    });
    expect(await client.call('crypto.sign', { headerText: '', payloadText: '', key: KEY })).toMatchObject({ ok: false, error: { code: 'bad-response' } });
    // In Electron the fragment is not consulted at all.
    expect(page.url).toBe(`/index.html?x=1#secret=${host.secret}`);
  });
});

describe('the real services behind the HTTP host', () => {
  let real: WebHost;
  let dataDir: string;
  const call = (method: string, body: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: real.port,
          method: 'POST',
          path: `/rpc/${method}`,
          agent: false,
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${real.secret}` },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  beforeAll(async () => {
    const { createHandlers, createServices } = await import('../../electron/services/index');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'web-host-real-'));
    real = await startWebHost({ port: 0, handlers: createHandlers(createServices({ dataDir })), rendererDir: tmp });
  });
  afterAll(async () => {
    await real?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const secret = { type: 'secret', value: 'a-32-byte-secret-for-hs256-tests', encoding: 'utf8' } as const;

  it('app.info reports the package version over http', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await call('app.info', {})).toEqual({
      ok: true,
      value: { name: 'JWT Workbench', version: pkg.version, transport: 'http', platform: process.platform },
    });
  });

  it('signs exactly the typed text and verifies the result; a changed key or signature does not verify', async () => {
    const headerText = '{"alg":"HS256","typ":"JWT"}';
    const payloadText = '{"sub":"1234567890","iat":1516239022}';
    const signed = (await call('crypto.sign', { headerText, payloadText, key: secret })) as {
      ok: true;
      value: { token: string; alg: string };
    };
    expect(signed).toMatchObject({ ok: true, value: { alg: 'HS256' } });
    const [h, p, sig] = signed.value.token.split('.');
    expect(Buffer.from(h!, 'base64url').toString()).toBe(headerText);
    expect(Buffer.from(p!, 'base64url').toString()).toBe(payloadText);

    const verified = await call('crypto.verify', { token: signed.value.token, key: secret, options: { now: 1516239022 } });
    expect(verified).toMatchObject({ ok: true, value: { valid: true, alg: 'HS256', reason: null } });

    const wrongKey = await call('crypto.verify', { token: signed.value.token, key: { ...secret, value: `${secret.value}!` } });
    expect(wrongKey).toMatchObject({ ok: true, value: { valid: false, reason: 'signature-mismatch' } });
    const flipped = `${h}.${p}.${sig![0] === 'A' ? 'B' : 'A'}${sig!.slice(1)}`;
    expect(await call('crypto.verify', { token: flipped, key: secret })).toMatchObject({ ok: true, value: { valid: false } });
  });

  it('a key the core cannot use comes back as the service’s own error code, without the key', async () => {
    const badHex = await call('crypto.sign', { headerText: '{"alg":"HS256"}', payloadText: '{}', key: { type: 'secret', value: 'zz-not-hex', encoding: 'hex' } });
    expect(badHex).toMatchObject({ ok: false, error: { code: 'invalid-key', message: expect.stringMatching(/^secret-encoding: not valid hex/) } });
    const pem = '-----BEGIN PRIVATE KEY-----\nTUlJQ0FOT1RBS0VZ\n-----END PRIVATE KEY-----';
    const badPem = await call('crypto.sign', { headerText: '{"alg":"RS256"}', payloadText: '{}', key: { type: 'pem', value: pem } });
    expect(badPem).toMatchObject({ ok: false, error: { code: 'invalid-key', message: expect.stringMatching(/^pem-invalid: /) } });
    expect(JSON.stringify(badPem)).not.toContain('TUlJQ0FOT1RBS0VZ');
  });
});
