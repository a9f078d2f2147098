// secrets.check / secrets.cancel through the dispatcher over the real services: the built-in list scan
// on the host's worker pool, each refusal with its specific code, and cancellation of the scan in flight.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import type { Services } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/method-names';
import { LIMITS } from '../../shared/contract/methods';
import { tempDir } from './keys-test-support';

const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

function hsToken(alg: 'HS256' | 'HS384' | 'HS512', secret: string, payload: object = { sub: 'lab' }): string {
  const input = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${input}.${b64u(crypto.createHmac(hash, secret).update(input).digest())}`;
}

const dirs: string[] = [];
const opened: Services[] = [];
afterAll(async () => {
  await Promise.all(opened.map((s) => s.secrets.close()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

function host(secrets: Parameters<typeof createServices>[0]['secrets'] = { poolSize: 2 }) {
  const dir = tempDir('secrets-contract-');
  dirs.push(dir);
  const services = createServices({ dataDir: dir, secrets });
  opened.push(services);
  const dispatch = createDispatcher(createHandlers(services));
  return (method: MethodName, request: unknown) => dispatch(method, request, { transport: 'http' }) as Promise<any>;
}

describe('secrets.check', { timeout: 30_000 }, () => {
  it('finds the jwt.io secret in the built-in list and says how', async () => {
    const call = host();
    const result = await call('secrets.check', { token: JWT_IO });
    expect(result.ok).toBe(true);
    expect(result.value).toMatchObject({ found: true, secret: 'your-256-bit-secret', alg: 'HS256', source: 'builtin' });
    expect(result.value.tried).toBeGreaterThan(0);
    expect(typeof result.value.seconds).toBe('number');
  });

  it('finds secrets for HS384 and HS512 too, and answers not found for a secret outside the list', async () => {
    const call = host();
    expect((await call('secrets.check', { token: hsToken('HS384', 'secret') })).value).toMatchObject({ found: true, secret: 'secret', alg: 'HS384' });
    expect((await call('secrets.check', { token: hsToken('HS512', 'secret') })).value).toMatchObject({ found: true, secret: 'secret', alg: 'HS512' });
    const unknown = crypto.randomBytes(24).toString('base64url');
    const miss = await call('secrets.check', { token: hsToken('HS256', unknown) });
    expect(miss.value).toMatchObject({ found: false, secret: null, alg: 'HS256', source: null });
    // Not found means the whole list was tried (one candidate per line).
    expect(miss.value.tried).toBe(103_979);
  });

  it('refuses what cannot carry an HMAC secret, each with its code and without echoing the token', async () => {
    const call = host();
    const rs = `${b64u('{"alg":"RS256"}')}.${b64u('{}')}.${b64u('sig')}`;
    const none = `${b64u('{"alg":"none"}')}.${b64u('{}')}.`;
    const short = `${b64u('{"alg":"HS256"}')}.${b64u('{}')}.${b64u('short')}`;
    const cases: [string, string][] = [
      ['not.a.token!', 'token-invalid'],
      [rs, 'not-hmac'],
      [none, 'not-jws'],
      [short, 'signature-length'],
    ];
    for (const [token, code] of cases) {
      const result = await call('secrets.check', { token });
      expect(result.ok, token).toBe(false);
      expect(result.error.code, token).toBe(code);
      expect(result.error.message).not.toContain(token);
    }
    expect((await call('secrets.check', {})).error).toMatchObject({ code: 'bad-request', message: 'token: is required (a string)' });
    expect((await call('secrets.check', { token: 'x'.repeat(LIMITS.token + 1) })).error.code).toBe('bad-request');
    expect((await call('secrets.check', { token: JWT_IO, extra: 1 })).error.code).toBe('bad-request');
  });

  it('answers scan-unavailable when the built-in list is missing', async () => {
    const call = host({ listFile: path.join(tempDir('secrets-missing-'), 'nope.list'), poolSize: 1 });
    const result = await call('secrets.check', { token: JWT_IO });
    expect(result.error.code).toBe('scan-unavailable');
  });
});

describe('secrets.cancel', { timeout: 30_000 }, () => {
  it('aborts the scan in flight, which answers scan-cancelled; with nothing in flight it says so', async () => {
    const call = host();
    expect((await call('secrets.cancel', {})).value).toEqual({ cancelled: false });
    const unknown = hsToken('HS512', crypto.randomBytes(24).toString('base64url'));
    const scan = call('secrets.check', { token: unknown });
    expect((await call('secrets.cancel', {})).value).toEqual({ cancelled: true });
    expect((await scan).error).toEqual({ code: 'scan-cancelled', message: 'The known-secret check was cancelled' });
    expect((await call('secrets.cancel', {})).value).toEqual({ cancelled: false });
    // The pool is still usable after a cancel.
    expect((await call('secrets.check', { token: JWT_IO })).value).toMatchObject({ found: true, secret: 'your-256-bit-secret' });
    expect((await call('secrets.cancel', { x: 1 })).error.code).toBe('bad-request');
  });

  it('a newer check stops the older one (only the token on screen matters)', async () => {
    const call = host();
    const older = call('secrets.check', { token: hsToken('HS256', crypto.randomBytes(24).toString('base64url')) });
    const newer = call('secrets.check', { token: JWT_IO });
    expect((await older).error.code).toBe('scan-cancelled');
    expect((await newer).value).toMatchObject({ found: true, secret: 'your-256-bit-secret' });
  });
});
