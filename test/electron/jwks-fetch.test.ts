import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpUrlProblem, httpUrlSchema } from '../../shared/contract/jwks';
import { methods } from '../../shared/contract/methods';
import { JwksFetchError, fetchJwks } from '../../electron/services/jwks-fetch';

const JWKS = JSON.stringify({ keys: [{ kty: 'oct', k: 'AAAA', kid: 'a' }, { kty: 'oct', k: 'BBBB' }] });
let base: string;
const server = http.createServer((req, res) => {
  switch (req.url) {
    case '/jwks':
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JWKS);
      break;
    case '/redirect':
      res.writeHead(302, { Location: '/jwks' }).end();
      break;
    case '/html':
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html></html>');
      break;
    case '/no-keys':
      res.writeHead(200).end('{"kty":"oct"}');
      break;
    case '/big':
      // No Content-Length: the cap must hold while streaming.
      res.writeHead(200, { 'Transfer-Encoding': 'chunked' });
      res.write(`{"keys":["${'x'.repeat(4000)}`);
      res.end(`${'y'.repeat(4000)}"]}`);
      break;
    case '/slow':
      setTimeout(() => res.writeHead(200).end(JWKS), 1000);
      break;
    default:
      res.writeHead(404).end();
  }
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<JwksFetchError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof JwksFetchError) return error;
    throw error;
  }
  throw new Error('expected a JwksFetchError');
}

describe('fetchJwks', () => {
  it('returns the JWKS text, its key count and the final URL (after redirects)', async () => {
    expect(await fetchJwks(`${base}/jwks`)).toEqual({ jwks: JWKS, keys: 2, url: `${base}/jwks` });
    expect((await fetchJwks(`${base}/redirect`)).url).toBe(`${base}/jwks`);
  });

  it('refuses what is not a JWKS, with a specific code', async () => {
    expect((await failure(fetchJwks(`${base}/html`))).code).toBe('jwks-invalid');
    expect((await failure(fetchJwks(`${base}/no-keys`))).message).toContain('no "keys" array');
    expect((await failure(fetchJwks(`${base}/missing`))).message).toContain('HTTP 404');
  });

  it('caps the size while reading and gives up after the deadline', async () => {
    expect((await failure(fetchJwks(`${base}/big`, { maxBytes: 5000 }))).code).toBe('too-large');
    expect((await failure(fetchJwks(`${base}/slow`, { timeoutMs: 100 }))).code).toBe('fetch-timeout');
  });

  it('reports an unreachable host as fetch-failed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    expect((await failure(fetchJwks(`http://127.0.0.1:${port}/jwks`))).code).toBe('fetch-failed');
  });
});

describe('the URL rule of jwks.fetch', () => {
  it.each([
    ['ftp://example.com/jwks', 'only http and https'],
    ['file:///etc/passwd', 'only http and https'],
    ['javascript:alert(1)', 'only http and https'],
    ['https://user:pw@example.com/jwks', 'user name or password'],
    ['/relative/jwks.json', 'not an absolute URL'],
    ['https:///jwks', 'no host'],
    ['', 'empty'],
  ])('refuses %s', (url, why) => {
    expect(httpUrlProblem(url)).toContain(why);
  });

  it('accepts http and https URLs, and the contract validates requests with it', () => {
    expect(httpUrlProblem('https://idp.example.com/.well-known/jwks.json')).toBeNull();
    expect(httpUrlProblem('http://127.0.0.1:8080/jwks')).toBeNull();
    expect(methods['jwks.fetch'].request.parse({ url: 'file:///x' })).toMatchObject({ ok: false, issue: { path: 'url' } });
    expect(httpUrlSchema.parse('https://a.example/jwks')).toEqual({ ok: true, value: 'https://a.example/jwks' });
  });
});
