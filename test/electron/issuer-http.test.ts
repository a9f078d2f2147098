// The issuer over real HTTP (fetch against 127.0.0.1, port 0): metadata, keys, grants, rotation, reuse,
// revocation, introspection, concurrency, the protected resource, and the seeds' JSON routes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodePart, startTestIssuer, T0 } from './issuer-helpers';
import type { TestIssuer, TokenResponse } from './issuer-helpers';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

describe('issuer over HTTP (ES256, frozen clock)', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer();
  });
  afterAll(async () => {
    await it_.close();
  });

  it('binds to 127.0.0.1 and prints exactly the documented summary line', () => {
    expect(it_.handle.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const line = JSON.parse(JSON.stringify(it_.handle)) as Record<string, unknown>;
    expect(Object.keys(line)).toEqual(['issuer', 'control', 'clients']);
    expect(line.control).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), secret: expect.any(String) });
    expect(line.clients).toEqual({ workbench: null, 'resource-server': expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('serves both discovery documents, with the issuer URL byte for byte', async () => {
    for (const path of ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']) {
      const res = await fetch(it_.url(path));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc.issuer).toBe(it_.handle.issuer);
      expect(doc.token_endpoint).toBe(`${it_.handle.issuer}/token`);
      expect(doc.jwks_uri).toBe(`${it_.handle.issuer}/jwks`);
      expect(doc).toMatchObject({
        authorization_endpoint: `${it_.handle.issuer}/authorize`,
        revocation_endpoint: `${it_.handle.issuer}/revoke`,
        introspection_endpoint: `${it_.handle.issuer}/introspect`,
        userinfo_endpoint: `${it_.handle.issuer}/userinfo`,
        grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials', 'password']),
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
      });
    }
  });

  it('publishes public keys only, as application/jwk-set+json, each with kid/kty/alg/use', async () => {
    const res = await fetch(it_.url('/jwks'));
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
    const { keys } = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
    for (const member of PRIVATE_MEMBERS) expect(keys[0]).not.toHaveProperty(member);
  });

  it('password grant: RFC 6749 §5.1 answer with no-store, and an RFC 9068 access token', async () => {
    const res = await it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'wonderland', scope: 'openid email api:read' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as TokenResponse;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'openid email api:read' });
    expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const header = decodePart(body.access_token, 0);
    const claims = decodePart(body.access_token, 1);
    const { keys } = (await (await fetch(it_.url('/jwks'))).json()) as { keys: Array<{ kid: string }> };
    expect(header).toEqual({ alg: 'ES256', kid: keys[0]!.kid, typ: 'at+jwt' });
    expect(claims).toMatchObject({
      iss: it_.handle.issuer, sub: 'alice', aud: `${it_.handle.issuer}/resource`, client_id: 'workbench', scope: 'openid email api:read',
      iat: T0 / 1000, exp: T0 / 1000 + 900, ver: 1, email: 'alice@example.test', roles: ['admin'],
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    // profile was not asked for: the profile claim `name` is not released.
    expect(claims).not.toHaveProperty('name');
    expect(body.id_token).toBeDefined();
  });

  it('wrong password → 400 invalid_grant with a description', async () => {
    const res = await it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'nope' });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'invalid_grant', error_description: 'wrong user name or password' });
  });

  it('refresh rotates: a new refresh token each time, the old one consumed', async () => {
    const login = await it_.passwordLogin();
    const first = await it_.refresh(login.refresh_token!);
    expect(first.status).toBe(200);
    const rotated = (await first.json()) as TokenResponse;
    expect(rotated.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.refresh_token).not.toBe(login.refresh_token);
    expect(rotated.access_token).not.toBe(login.access_token);
    const second = await it_.refresh(rotated.refresh_token!);
    expect(second.status).toBe(200);
  });

  it('reuse of a rotated token revokes the family: the stolen and the legitimate token both fail', async () => {
    const login = await it_.passwordLogin();
    const stolen = login.refresh_token!;
    const legit = (await (await it_.refresh(stolen)).json()) as TokenResponse;
    it_.clock.advance(5);
    const replay = await it_.refresh(stolen);
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
    const legitAttempt = await it_.refresh(legit.refresh_token!);
    expect(legitAttempt.status).toBe(400);
    expect(await legitAttempt.json()).toMatchObject({ error: 'invalid_grant', error_description: 'refresh token has been revoked' });
    // The access token issued to the legitimate client is denied too (introspection knows the deny-list).
    const intro = await it_.form('/introspect', { token: legit.access_token }, { Authorization: it_.basic });
    expect(await intro.json()).toEqual({ active: false });
    const sid = decodePart(legit.access_token, 1).sid as string;
    const family = (await (await it_.control('GET', `/families/${sid}`)).json()) as { family: { status: string; revokeReason: string; liveTokens: number } };
    expect(family.family).toMatchObject({ status: 'revoked', revokeReason: 'reuse-detected', liveTokens: 0 });
  });

  it('50 parallel refreshes of one token: exactly one succeeds (grace 0), and no family has two live tokens', async () => {
    const login = await it_.passwordLogin();
    const results = await Promise.all(Array.from({ length: 50 }, () => it_.refresh(login.refresh_token!)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 400)).toHaveLength(49);
    await Promise.all(results.map((r) => r.arrayBuffer()));
    const families = (await (await it_.control('GET', '/families')).json()) as { familiesWithSeveralLiveTokens: number };
    expect(families.familiesWithSeveralLiveTokens).toBe(0);
  });

  it('revoking a refresh token (RFC 7009) revokes its family and the access tokens issued from it', async () => {
    const login = await it_.passwordLogin();
    const res = await it_.form('/revoke', { token: login.refresh_token!, token_type_hint: 'refresh_token', client_id: 'workbench' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect((await it_.refresh(login.refresh_token!)).status).toBe(400);
    const intro = await it_.form('/introspect', { token: login.access_token }, { Authorization: it_.basic });
    expect(await intro.json()).toEqual({ active: false });
  });

  it('revoke answers 200 for unknown tokens, and refuses a token of another client', async () => {
    expect((await it_.form('/revoke', { token: 'whatever', client_id: 'workbench' })).status).toBe(200);
    const login = await it_.passwordLogin();
    const res = await it_.form('/revoke', { token: login.refresh_token! }, { Authorization: it_.basic });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('unauthorized_client');
    expect((await it_.refresh(login.refresh_token!)).status).toBe(200);
  });

  it('revoking an access token flips introspection, while the resource (local verification) still accepts it', async () => {
    const login = await it_.passwordLogin();
    const before = (await (await it_.form('/introspect', { token: login.access_token }, { Authorization: it_.basic })).json()) as Record<string, unknown>;
    expect(before).toMatchObject({ active: true, token_type: 'Bearer', sub: 'alice', client_id: 'workbench', iss: it_.handle.issuer });
    expect((await it_.form('/revoke', { token: login.access_token, client_id: 'workbench' })).status).toBe(200);
    expect(await (await it_.form('/introspect', { token: login.access_token }, { Authorization: it_.basic })).json()).toEqual({ active: false });
    const local = await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${login.access_token}` } });
    expect(local.status).toBe(200);
    // With the deny-list consulted, the resource refuses it too.
    await it_.control('PUT', '/settings', { resourceChecksDenyList: true });
    const strict = await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${login.access_token}` } });
    expect(strict.status).toBe(401);
    expect(strict.headers.get('www-authenticate')).toContain('error="invalid_token"');
    await it_.control('PUT', '/settings', { resourceChecksDenyList: false });
  });

  it('introspection: refresh tokens too, inactive once expired; only confidential clients may ask', async () => {
    const login = await it_.passwordLogin();
    const active = (await (await it_.form('/introspect', { token: login.refresh_token! }, { Authorization: it_.basic })).json()) as Record<string, unknown>;
    expect(active).toMatchObject({ active: true, token_type: 'refresh_token', client_id: 'workbench', username: 'alice' });
    const publicClient = await it_.form('/introspect', { token: login.access_token, client_id: 'workbench' });
    expect(publicClient.status).toBe(401);
    expect(((await publicClient.json()) as { error: string }).error).toBe('invalid_client');
    const wrongSecret = await it_.form('/introspect', { token: login.access_token }, { Authorization: `Basic ${Buffer.from('resource-server:wrong-secret-value').toString('base64')}` });
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.headers.get('www-authenticate')).toContain('Basic');
    expect(await (await it_.form('/introspect', { token: 'unknown' }, { Authorization: it_.basic })).json()).toEqual({ active: false });
    it_.clock.advance(901);
    expect(await (await it_.form('/introspect', { token: login.access_token }, { Authorization: it_.basic })).json()).toEqual({ active: false });
  });

  it('client_credentials for the confidential client, with client_secret_basic and client_secret_post', async () => {
    const basic = await it_.form('/token', { grant_type: 'client_credentials', scope: 'api:write' }, { Authorization: it_.basic });
    expect(basic.status).toBe(200);
    const body = (await basic.json()) as TokenResponse;
    expect(body).not.toHaveProperty('refresh_token');
    expect(decodePart(body.access_token, 1)).toMatchObject({ sub: 'resource-server', client_id: 'resource-server', scope: 'api:write' });
    const post = await it_.form('/token', { grant_type: 'client_credentials', client_id: 'resource-server', client_secret: it_.handle.clients['resource-server']! });
    expect(post.status).toBe(200);
    const publicClient = await it_.form('/token', { grant_type: 'client_credentials', client_id: 'workbench' });
    expect(await publicClient.json()).toMatchObject({ error: 'unauthorized_client' });
    const scope = await it_.form('/token', { grant_type: 'client_credentials', scope: 'openid' }, { Authorization: it_.basic });
    expect(await scope.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refresh asking for a wider scope → invalid_scope', async () => {
    const login = await it_.passwordLogin({ scope: 'api:read' });
    const res = await it_.refresh(login.refresh_token!, { scope: 'api:read api:write' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_scope');
    const narrower = await it_.refresh(login.refresh_token!, { scope: 'api:read' });
    expect(narrower.status).toBe(200);
  });

  it('userinfo returns the claims the scope releases; 401 without a token, 403 without openid', async () => {
    const login = await it_.passwordLogin({ scope: 'openid email' });
    const res = await fetch(it_.url('/userinfo'), { headers: { Authorization: `Bearer ${login.access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sub: 'alice', email: 'alice@example.test', roles: ['admin'] });
    const none = await fetch(it_.url('/userinfo'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="userinfo"');
    const api = await it_.passwordLogin({ scope: 'api:read' });
    expect((await fetch(it_.url('/userinfo'), { headers: { Authorization: `Bearer ${api.access_token}` } })).status).toBe(403);
  });

  it('the protected resource: 200, then 401 once the clock passes exp, then 200 again after a refresh', async () => {
    const login = await it_.passwordLogin();
    const call = (token: string) => fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${token}` } });
    const ok = await call(login.access_token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ sub: 'alice', client_id: 'workbench' });
    it_.clock.advance(15 * 60);
    const expired = await call(login.access_token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: 'invalid_token', error_description: 'access token has expired' });
    const refreshed = (await (await it_.refresh(login.refresh_token!)).json()) as TokenResponse;
    expect((await call(refreshed.access_token)).status).toBe(200);
    expect((await call('not.a.token')).status).toBe(401);
  });
});

describe('issuer over HTTP: the seeds\' routes', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer();
  });
  afterAll(async () => {
    await it_.close();
  });
  afterEach(async () => {
    await it_.control('PUT', '/settings', { cookieMode: false, graceWindow: 0 });
  });

  it('JSON mode: /auth/login gives both tokens in the body; /auth/refresh rotates', async () => {
    const login = await it_.json('/auth/login', { username: 'alice', password: 'wonderland' });
    expect(login.status).toBe(200);
    expect(login.headers.get('set-cookie')).toBeNull();
    const body = (await login.json()) as { accessToken: string; refreshToken: string; tokenType: string; expiresIn: number };
    expect(body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const refreshed = await it_.json('/auth/refresh', { refreshToken: body.refreshToken });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as { refreshToken: string };
    expect(next.refreshToken).not.toBe(body.refreshToken);
    const replay = await it_.json('/auth/refresh', { refreshToken: body.refreshToken });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toBe('invalid_grant');
  });

  it('cookie mode: HttpOnly; Secure; SameSite=Strict cookie scoped to /auth/refresh, rotated on refresh', async () => {
    await it_.control('PUT', '/settings', { cookieMode: true });
    const login = await it_.json('/auth/login', { username: 'alice', password: 'wonderland' });
    expect(login.status).toBe(200);
    const body = (await login.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('refreshToken');
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^refresh_token=[A-Za-z0-9_-]{43}; Path=\/auth\/refresh; Max-Age=1209600; HttpOnly; Secure; SameSite=Strict$/);
    const token = /^refresh_token=([^;]+)/.exec(cookie)![1]!;
    const refreshed = await fetch(it_.url('/auth/refresh'), { method: 'POST', headers: { Cookie: `refresh_token=${token}` } });
    expect(refreshed.status).toBe(200);
    const nextCookie = refreshed.headers.get('set-cookie')!;
    const next = /^refresh_token=([^;]+)/.exec(nextCookie)![1]!;
    expect(next).not.toBe(token);
    expect(await refreshed.json()).not.toHaveProperty('refreshToken');
    // Replaying the old cookie is reuse: refused, and the cookie cleared.
    const replay = await fetch(it_.url('/auth/refresh'), { method: 'POST', headers: { Cookie: `refresh_token=${token}` } });
    expect(replay.status).toBe(401);
    expect(replay.headers.get('set-cookie')).toMatch(/^refresh_token=; Path=\/auth\/refresh; Max-Age=0;/);
    const legit = await fetch(it_.url('/auth/refresh'), { method: 'POST', headers: { Cookie: `refresh_token=${next}` } });
    expect(legit.status).toBe(401);
    const noCookie = await fetch(it_.url('/auth/refresh'), { method: 'POST' });
    expect(noCookie.status).toBe(400);
  });

  it('logout revokes every family of the user and bumps ver: older access tokens fail at the resource', async () => {
    const a = (await (await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).json()) as { accessToken: string; refreshToken: string };
    const b = (await (await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).json()) as { accessToken: string; refreshToken: string };
    const out = await fetch(it_.url('/auth/logout'), { method: 'POST', headers: { Authorization: `Bearer ${a.accessToken}` } });
    expect(out.status).toBe(200);
    const result = (await out.json()) as { loggedOut: boolean; revokedFamilies: number };
    expect(result.loggedOut).toBe(true);
    expect(result.revokedFamilies).toBeGreaterThanOrEqual(2);
    expect((await it_.json('/auth/refresh', { refreshToken: a.refreshToken })).status).toBe(401);
    expect((await it_.json('/auth/refresh', { refreshToken: b.refreshToken })).status).toBe(401);
    const resource = await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${b.accessToken}` } });
    expect(resource.status).toBe(401);
    expect(((await resource.json()) as { error_description: string }).error_description).toMatch(/version/);
    const fresh = (await (await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).json()) as { accessToken: string };
    expect(decodePart(fresh.accessToken, 1).ver).toBe(decodePart(a.accessToken, 1).ver as number + 1);
    expect((await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${fresh.accessToken}` } })).status).toBe(200);
  });

  it('device binding: a refresh from another device is refused and logged, the bound device goes on', async () => {
    const login = (await (await it_.json('/auth/login', { username: 'alice', password: 'wonderland', deviceId: 'laptop-1' })).json()) as { refreshToken: string };
    const other = await it_.json('/auth/refresh', { refreshToken: login.refreshToken }, { 'X-Device-Id': 'phone-9' });
    expect(other.status).toBe(401);
    expect(((await other.json()) as { error_description: string }).error_description).toMatch(/another device/);
    const log = (await (await it_.control('GET', '/log')).json()) as { entries: Array<{ event: string }> };
    expect(log.entries.some((e) => e.event === 'refresh.device-mismatch')).toBe(true);
    const same = await it_.json('/auth/refresh', { refreshToken: login.refreshToken, deviceId: 'laptop-1' });
    expect(same.status).toBe(200);
  });

  it('changing the password (control plane) revokes every family of the user', async () => {
    const login = (await (await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).json()) as { refreshToken: string };
    const put = await it_.control('PUT', '/users/alice', { password: 'wonderland' });
    const changed = (await put.json()) as { created: boolean; revokedFamilies: number; user: { ver: number } };
    expect(changed.created).toBe(false);
    expect(changed.revokedFamilies).toBeGreaterThanOrEqual(1);
    expect((await it_.json('/auth/refresh', { refreshToken: login.refreshToken })).status).toBe(401);
  });
});

describe('issuer over HTTP: rate limits', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    it_ = await startTestIssuer({ settings: { rateLimits: { login: { max: 3, windowSeconds: 60 }, token: { max: 5, windowSeconds: 10 } } } });
  });
  afterAll(async () => {
    await it_.close();
  });

  it('login attempts beyond the limit get 429 with Retry-After, on every login route; the clock frees them', async () => {
    const attempt = () => it_.json('/auth/login', { username: 'alice', password: 'guess' });
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(((await limited.json()) as { error: string }).error).toBe('too_many_requests');
    // The right password does not get through either: the limit counts attempts, not failures.
    const grant = await it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'wonderland' });
    expect(grant.status).toBe(429);
    it_.clock.advance(20);
    expect((await it_.json('/auth/login', { username: 'alice', password: 'wonderland' })).status).toBe(200);
  });

  it('token requests are limited separately', async () => {
    it_.clock.advance(120);
    const { refresh_token } = await it_.passwordLogin();
    let token = refresh_token!;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await it_.refresh(token);
      statuses.push(res.status);
      if (res.status === 200) token = ((await res.json()) as TokenResponse).refresh_token!;
      else await res.arrayBuffer();
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
