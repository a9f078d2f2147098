// Hostile input: password guessing from one address cannot lock a user out at another (the login limit keys
// on the user name AND the client address), and JSON nested thousands of levels deep gets a clear 400 from
// every JSON route and from the in-process control API, never a stack overflow or a 500.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../../electron/services/issuer/errors';
import { startTestIssuer } from './issuer-helpers';
import type { TestIssuer } from './issuer-helpers';

/** POSTs JSON from a given loopback address (the whole of 127/8 is loopback), as another machine would. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<{ status: number; body: string }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) } }, (res) => {
      let data = '';
      res.setEncoding('utf8').on('data', (d: string) => (data += d)).on('end', () => resolve({ status: res.statusCode!, body: data }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

describe('login rate limit: per user name at each client address', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer({ settings: { rateLimits: { login: { max: 3, windowSeconds: 60 }, token: { max: 0, windowSeconds: 60 } } } });
  });
  afterAll(async () => {
    await it_.close();
  });

  const login = (from: string, username: string, password: string) => postFrom(from, it_.url('/auth/login'), { username, password });

  it('a stranger guessing at another address is limited, and the user still logs in from hers', async () => {
    for (let i = 0; i < 3; i++) expect((await login('127.0.0.2', 'alice', 'guess')).status).toBe(401);
    const limited = await login('127.0.0.2', 'alice', 'guess');
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toMatchObject({ error: 'too_many_requests' });
    // Even the right password is refused at the stranger's address: the limit counts attempts, not failures.
    expect((await login('127.0.0.2', 'alice', 'wonderland')).status).toBe(429);

    expect((await login('127.0.0.1', 'alice', 'wonderland')).status).toBe(200);
    // Her own address has its own budget for her name.
    for (let i = 0; i < 2; i++) expect((await login('127.0.0.1', 'alice', 'typo')).status).toBe(401);
    expect((await login('127.0.0.1', 'alice', 'typo')).status).toBe(429);
  });

  it('one address trying many names is limited over all of them (ten times the per-name budget)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await login('127.0.0.3', `user${i}`, 'guess')).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
    // Another address is not affected.
    expect((await login('127.0.0.4', 'user30', 'guess')).status).toBe(401);
  });
});

describe('deeply nested JSON', () => {
  let it_: TestIssuer;
  const errors: string[] = [];
  beforeAll(async () => {
    it_ = await startTestIssuer({ logger: (e) => e.level === 'error' && errors.push(`${e.event}: ${e.message}`) });
  });
  afterAll(async () => {
    await it_.close();
    expect(errors).toEqual([]);
  });

  const nested = (depth: number, leaf: unknown = 1): unknown => {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };
  // As text: JSON.stringify itself overflows the stack at such depths (which is the point).
  const nestedText = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  const nestedArrays = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const raw = (url: string, method: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method, headers: { 'Content-Type': 'application/json', ...headers }, body });
  const control = (method: string, path: string, body: string) =>
    raw(`${it_.handle.control.url}${path}`, method, body, { Authorization: `Bearer ${it_.handle.control.secret}` });

  async function expectNestingRefused(res: Response): Promise<string> {
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/nest/i);
    expect(body.error_description).not.toMatch(/call stack/i);
    return body.error_description;
  }

  it('PUT /users/{name} with claims nested 5,000 levels deep → 400 naming the nesting', async () => {
    const description = await expectNestingRefused(await control('PUT', '/users/deep', `{"password":"pw","claims":${nestedText(5000)}}`));
    expect(description).toContain('deeper than 32 levels');
    expect((await it_.control('GET', '/users')).status).toBe(200);
  });

  it('claims within the JSON limit but nested past 16 levels → 400 from the claims check; 16 levels are fine', async () => {
    const refused = await expectNestingRefused(await it_.control('PUT', '/users/deep', { password: 'pw', claims: nested(20) }));
    expect(refused).toContain('16 levels');
    const accepted = await it_.control('PUT', '/users/deep', { password: 'pw', claims: { ok: nested(15) } });
    expect(accepted.status).toBe(200);
  });

  it('every JSON route refuses deep nesting the same way: settings, clock, the seeds\' routes', async () => {
    await expectNestingRefused(await control('PUT', '/settings', `{"audience":${nestedText(5000)}}`));
    await expectNestingRefused(await control('POST', '/clock', `{"advance":${nestedText(5000)}}`));
    await expectNestingRefused(await raw(it_.url('/auth/login'), 'POST', `{"username":"alice","password":${nestedText(5000)}}`));
    await expectNestingRefused(await raw(it_.url('/auth/refresh'), 'POST', `{"refreshToken":${nestedArrays(20_000)}}`));
  });

  it('the in-process control API (the app\'s) refuses deep claims with a 400 HttpError too', async () => {
    const error = await it_.handle.api.putUser('deep2', { password: 'pw', claims: nested(50_000) as Record<string, unknown> }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).description).toContain('16 levels');
  });
});
