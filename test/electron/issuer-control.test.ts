// The control plane (clock, keys, families, users, settings) and what it drives: key rotation with retired
// keys kept in the JWKS until their tokens expire, the grace window under concurrency, HS256 and a mounted issuer.
import http from 'node:http';
import { jwtVerify, createLocalJWKSet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePart, startTestIssuer, T0 } from './issuer-helpers';
import type { TestIssuer, TokenResponse } from './issuer-helpers';

describe('control plane', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer();
  });
  afterAll(async () => {
    await it_.close();
  });

  it('needs the secret; refuses browsers (Origin) and foreign Host names before looking at it', async () => {
    const base = it_.handle.control.url;
    const none = await fetch(`${base}/clock`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="control"');
    expect((await fetch(`${base}/clock`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    const browser = await fetch(`${base}/clock`, { headers: { Authorization: `Bearer ${it_.handle.control.secret}`, Origin: 'http://localhost:3000' } });
    expect(browser.status).toBe(403);
    // fetch may not set Host; a DNS-rebound page would reach us with its own host name in it.
    const rebinding = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${base}/clock`, { headers: { Authorization: `Bearer ${it_.handle.control.secret}`, Host: `attacker.test:${new URL(base).port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebinding).toBe(403);
    // The control plane is not served on the issuer's port.
    expect((await fetch(it_.url('/clock'), { headers: { Authorization: `Bearer ${it_.handle.control.secret}` } })).status).toBe(404);
  });

  it('GET/POST /clock: advance and set move the clock every check uses', async () => {
    expect(await (await it_.control('GET', '/clock')).json()).toEqual({ now: T0 / 1000, adjustable: true });
    expect(await (await it_.control('POST', '/clock', { advance: 900 })).json()).toMatchObject({ now: T0 / 1000 + 900 });
    expect(await (await it_.control('POST', '/clock', { set: T0 / 1000 })).json()).toMatchObject({ now: T0 / 1000 });
    for (const bad of [{}, { advance: 'soon' }, { advance: 1, set: 2 }, { set: -5 }, { rewind: 3 }, { reset: 1 }, { reset: true, advance: 1 }]) {
      const res = await it_.control('POST', '/clock', bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_request');
    }
  });

  it('POST /clock {reset: true} puts a moved or frozen clock back to real time, flowing', async () => {
    await it_.control('POST', '/clock', { advance: 7200 });
    const before = Date.now();
    const { now } = (await (await it_.control('POST', '/clock', { reset: true })).json()) as { now: number };
    expect(now).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(it_.clock.frozen).toBe(false);
    expect(it_.clock.snapshot()).toEqual({ offsetMs: 0 });
  });

  it('GET/PUT /settings: validated partial updates that take effect', async () => {
    const settings = (await (await it_.control('GET', '/settings')).json()) as Record<string, unknown>;
    expect(settings).toMatchObject({ accessTokenTtl: 900, refreshTokenTtl: 14 * 24 * 3600, rotation: true, graceWindow: 0, cookieMode: false });
    const updated = (await (await it_.control('PUT', '/settings', { accessTokenTtl: 60, rateLimits: { token: { max: 100 } } })).json()) as {
      accessTokenTtl: number; rateLimits: { token: { max: number; windowSeconds: number }; login: { max: number } };
    };
    expect(updated.accessTokenTtl).toBe(60);
    expect(updated.rateLimits.token).toEqual({ max: 100, windowSeconds: 60 });
    expect(updated.rateLimits.login.max).toBe(10);
    expect((await it_.passwordLogin()).expires_in).toBe(60);
    for (const bad of [{ accessTokenTtl: 0 }, { rotation: 'yes' }, { nope: 1 }, { rateLimits: { login: { max: -1 } } }, { corsOrigins: ['http://x.test/path'] }, [1]]) {
      const res = await it_.control('PUT', '/settings', bad);
      expect(res.status).toBe(400);
    }
    await it_.control('PUT', '/settings', { accessTokenTtl: 900, rateLimits: { token: { max: 0 } } });
  });

  it('rotation off: the refresh token stays the same', async () => {
    await it_.control('PUT', '/settings', { rotation: false });
    const login = await it_.passwordLogin();
    const refreshed = (await (await it_.refresh(login.refresh_token!)).json()) as TokenResponse;
    expect(refreshed).not.toHaveProperty('refresh_token');
    expect((await it_.refresh(login.refresh_token!)).status).toBe(200);
    await it_.control('PUT', '/settings', { rotation: true });
  });

  it('GET /families shows each family with its tokens\' states; POST /families/{id}/revoke ends it', async () => {
    const login = await it_.passwordLogin();
    const child = (await (await it_.refresh(login.refresh_token!)).json()) as TokenResponse;
    const sid = decodePart(child.access_token, 1).sid as string;
    const { families } = (await (await it_.control('GET', '/families?user=alice')).json()) as { families: Array<{ id: string; tokens: Array<{ state: string; id: string; parent: string | null }> }> };
    const family = families.find((f) => f.id === sid)!;
    expect(family).toMatchObject({ user: 'alice', clientId: 'workbench', status: 'active', rotations: 1, liveTokens: 1, tokenCount: 2, accessTokens: 2 });
    expect(family.tokens.map((t) => t.state)).toEqual(['rotated', 'active']);
    expect(family.tokens[1]!.parent).toBe(family.tokens[0]!.id);
    // No token value anywhere: labels are hash prefixes.
    const text = JSON.stringify(families);
    expect(text).not.toContain(login.refresh_token!);
    expect(text).not.toContain(child.refresh_token!);
    const revoked = await it_.control('POST', `/families/${sid}/revoke`);
    expect(((await revoked.json()) as { family: { status: string; revokeReason: string } }).family).toMatchObject({ status: 'revoked', revokeReason: 'control' });
    expect((await it_.refresh(child.refresh_token!)).status).toBe(400);
    expect((await it_.control('POST', '/families/nope/revoke')).status).toBe(404);
    expect((await it_.control('GET', '/families/%E0%A4%A')).status).toBe(400);
  });

  it('PUT /users/{name}: creates users, validates, and a claims change bumps ver', async () => {
    const created = await it_.control('PUT', '/users/bob', { password: 'builder', claims: { roles: ['viewer'] } });
    expect(await created.json()).toMatchObject({ created: true, user: { name: 'bob', claims: { roles: ['viewer'] }, ver: 1 } });
    const bob = await it_.passwordLogin({ username: 'bob', password: 'builder' });
    expect(decodePart(bob.access_token, 1)).toMatchObject({ sub: 'bob', roles: ['viewer'], ver: 1 });
    const promoted = await it_.control('PUT', '/users/bob', { claims: { roles: ['admin'] } });
    expect(await promoted.json()).toMatchObject({ created: false, revokedFamilies: 0, user: { ver: 2 } });
    // The old token's permissions are stale: the resource refuses it; a refresh brings the new claims.
    expect((await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${bob.access_token}` } })).status).toBe(401);
    const next = (await (await it_.refresh(bob.refresh_token!)).json()) as TokenResponse;
    expect(decodePart(next.access_token, 1)).toMatchObject({ roles: ['admin'], ver: 2 });
    for (const [name, body] of [['bad name!', { password: 'x' }], ['carol', {}], ['carol', { password: '' }], ['bob', { claims: { sub: 'root' } }], ['bob', { claims: [1] }], ['bob', { role: 'x' }]] as const) {
      const res = await it_.control('PUT', `/users/${encodeURIComponent(name)}`, body);
      expect(res.status).toBe(400);
    }
    const users = (await (await it_.control('GET', '/users')).json()) as { users: Array<Record<string, unknown>> };
    expect(users.users.map((u) => u.name).sort()).toEqual(['alice', 'bob']);
    expect(JSON.stringify(users)).not.toContain('scrypt');
  });

  it('GET /log: requests and decisions, with no token, code or password in any entry', async () => {
    const login = await it_.passwordLogin();
    await it_.refresh(login.refresh_token!);
    await fetch(it_.url(`/authorize?client_id=workbench&code=secretcode&password=hunter2`));
    const { entries } = (await (await it_.control('GET', '/log')).json()) as { entries: Array<{ event: string; message: string }> };
    expect(entries.some((e) => e.event === 'refresh.rotated')).toBe(true);
    expect(entries.some((e) => e.event === 'request' && e.message.includes('/authorize?client_id=workbench&code=***&password=***'))).toBe(true);
    const text = JSON.stringify(entries);
    for (const secret of [login.refresh_token!, login.access_token, 'wonderland', 'secretcode', 'hunter2']) expect(text).not.toContain(secret);
    const after = entries.at(-1)!;
    expect(((await (await it_.control('GET', `/log?after=${(after as unknown as { seq: number }).seq}`)).json()) as { entries: unknown[] }).entries.length).toBeLessThanOrEqual(1);
  });

  it('key rotation: the retired key stays in the JWKS until its last token expired, then leaves', async () => {
    const login = await it_.passwordLogin();
    const oldKid = decodePart(login.access_token, 0).kid as string;
    const rotated = (await (await it_.control('POST', '/keys/rotate')).json()) as { current: { kid: string }; keys: Array<{ kid: string; status: string }> };
    expect(rotated.current.kid).not.toBe(oldKid);
    expect(rotated.keys.map((k) => [k.kid, k.status])).toEqual([[rotated.current.kid, 'current'], [oldKid, 'retired']]);
    const kids = async () => ((await (await fetch(it_.url('/jwks'))).json()) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid);
    expect(await kids()).toEqual([rotated.current.kid, oldKid]);
    // New tokens carry the new kid; the old token still verifies at the resource.
    const fresh = await it_.passwordLogin();
    expect(decodePart(fresh.access_token, 0).kid).toBe(rotated.current.kid);
    expect((await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${login.access_token}` } })).status).toBe(200);
    // The ID token issued with the login lives longest (1 h): the old key stays until then.
    await it_.control('POST', '/clock', { advance: 3599 });
    expect(await kids()).toContain(oldKid);
    await it_.control('POST', '/clock', { advance: 1 });
    expect(await kids()).toEqual([rotated.current.kid]);
  });
});

describe('grace window under concurrency', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer({ settings: { graceWindow: 30 } });
  });
  afterAll(async () => {
    await it_.close();
  });

  it('50 parallel refreshes inside a grace window all succeed, leaving exactly one live token', async () => {
    const login = await it_.passwordLogin();
    const results = await Promise.all(Array.from({ length: 50 }, () => it_.refresh(login.refresh_token!)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    const bodies = (await Promise.all(results.map((r) => r.json()))) as TokenResponse[];
    const sid = decodePart(bodies[0]!.access_token, 1).sid as string;
    const { family } = (await (await it_.control('GET', `/families/${sid}`)).json()) as { family: { liveTokens: number; tokenCount: number; status: string } };
    expect(family).toMatchObject({ liveTokens: 1, tokenCount: 51, status: 'active' });
    // Past the window, the original token is reuse and ends the family.
    it_.clock.advance(31);
    expect((await it_.refresh(login.refresh_token!)).status).toBe(400);
    const after = (await (await it_.control('GET', `/families/${sid}`)).json()) as { family: { status: string; revokeReason: string } };
    expect(after.family).toMatchObject({ status: 'revoked', revokeReason: 'reuse-detected' });
  });
});

describe('seed style A: HS256', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer({ alg: 'HS256' });
  });
  afterAll(async () => {
    await it_.close();
  });

  it('never publishes the secret: the JWKS is empty; the issuer\'s own resource still verifies its tokens', async () => {
    const jwks = (await (await fetch(it_.url('/jwks'))).json()) as { keys: unknown[] };
    expect(jwks.keys).toEqual([]);
    const login = await it_.passwordLogin();
    expect(decodePart(login.access_token, 0)).toMatchObject({ alg: 'HS256', typ: 'at+jwt' });
    expect((await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${login.access_token}` } })).status).toBe(200);
    // A verifier with only the JWKS cannot verify: that is the point of asymmetric keys.
    await expect(jwtVerify(login.access_token, createLocalJWKSet({ keys: [] }))).rejects.toThrow();
  });
});

describe('an issuer URL with a path', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer({ port: 0 });
    await it_.close();
    const port = Number(new URL(it_.handle.issuer).port);
    it_ = await startTestIssuer({ port, issuer: `http://127.0.0.1:${port}/realms/dev` });
  });
  afterAll(async () => {
    await it_.close();
  });

  it('mounts every route under the path and serves RFC 8414 metadata at the inserted location', async () => {
    const oidc = (await (await fetch(`${it_.handle.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(oidc.issuer).toBe(it_.handle.issuer);
    expect(oidc.token_endpoint).toBe(`${it_.handle.issuer}/token`);
    const origin = new URL(it_.handle.issuer).origin;
    const rfc8414 = (await (await fetch(`${origin}/.well-known/oauth-authorization-server/realms/dev`)).json()) as Record<string, string>;
    expect(rfc8414.issuer).toBe(it_.handle.issuer);
    expect((await fetch(`${origin}/token`, { method: 'POST' })).status).toBe(404);
    const login = await it_.json('/auth/login', { username: 'alice', password: 'wonderland' });
    expect(login.status).toBe(200);
    await it_.control('PUT', '/settings', { cookieMode: true });
    const cookie = (await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).headers.get('set-cookie')!;
    expect(cookie).toContain('Path=/realms/dev/auth/refresh;');
  });
});
