// OpenID Connect as a real client sees it: authorization code + PKCE through the login form, ID tokens, and a
// verifier that knows nothing of this project (jose's createRemoteJWKSet + jwtVerify, found via discovery).
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../electron/services/issuer/clock';
import { startTestIssuer } from './issuer-helpers';
import type { TestIssuer, TokenResponse } from './issuer-helpers';

const REDIRECT = 'http://127.0.0.1:8765/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('authorization code + PKCE, and an independent verifier', () => {
  let it_: TestIssuer;
  beforeAll(async () => {
    // Real time flows here: the independent verifier checks exp against the real clock.
    it_ = await startTestIssuer({
      clock: new VirtualClock(),
      clients: [
        { id: 'spa', secret: null, grants: ['authorization_code', 'refresh_token'], scopes: ['openid', 'profile', 'email', 'api:read'], redirectUris: [REDIRECT] },
      ],
    });
  });
  afterAll(async () => {
    await it_.close();
  });

  /** Walks the browser part: GET /authorize, read the form, POST the credentials, follow nothing. */
  async function authorize(params: Record<string, string>, credentials = { username: 'alice', password: 'wonderland' }): Promise<Response> {
    const page = await fetch(`${it_.url('/authorize')}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
    expect(requestId).toBeDefined();
    return fetch(it_.url('/authorize'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId!, ...credentials }).toString(),
    });
  }

  it('logs in like a real SPA: code, state and iss on the redirect; tokens with a verifiable ID token', async () => {
    const { verifier, challenge } = pkce();
    const answer = await authorize({
      response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, scope: 'openid email api:read', state: 'st-123', nonce: 'n-456',
      code_challenge: challenge, code_challenge_method: 'S256',
    });
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('iss')).toBe(it_.handle.issuer);
    const code = location.searchParams.get('code')!;

    const exchange = await it_.form('/token', { grant_type: 'authorization_code', client_id: 'spa', code, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(exchange.status).toBe(200);
    const tokens = (await exchange.json()) as TokenResponse;
    expect(tokens.scope).toBe('openid email api:read');

    // Knows nothing of this project: discovery → jwks_uri → verify.
    const discovery = (await (await fetch(`${it_.handle.issuer}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const access = await jwtVerify(tokens.access_token, jwks, { issuer: discovery.issuer, audience: `${discovery.issuer}/resource`, typ: 'at+jwt' });
    expect(access.payload).toMatchObject({ sub: 'alice', client_id: 'spa', scope: 'openid email api:read' });
    const id = await jwtVerify(tokens.id_token!, jwks, { issuer: discovery.issuer, audience: 'spa' });
    expect(id.payload).toMatchObject({ sub: 'alice', nonce: 'n-456', email: 'alice@example.test' });
    expect(typeof id.payload.auth_time).toBe('number');
    const hash = createHash('sha256').update(tokens.access_token).digest();
    expect(id.payload.at_hash).toBe(hash.subarray(0, 16).toString('base64url'));

    // OIDC Core §12.2: a refreshed ID token keeps sub, aud and auth_time, and carries no nonce.
    const refreshed = (await (await it_.form('/token', { grant_type: 'refresh_token', client_id: 'spa', refresh_token: tokens.refresh_token! })).json()) as TokenResponse;
    const again = await jwtVerify(refreshed.id_token!, jwks, { issuer: discovery.issuer, audience: 'spa' });
    expect(again.payload.auth_time).toBe(id.payload.auth_time);
    expect(again.payload).not.toHaveProperty('nonce');
    await jwtVerify(refreshed.access_token, jwks, { issuer: discovery.issuer, typ: 'at+jwt' });
  });

  it('the code is single-use: a second redemption fails and revokes what the first one issued', async () => {
    const { verifier, challenge } = pkce();
    const answer = await authorize({ response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    const params = { grant_type: 'authorization_code', client_id: 'spa', code, redirect_uri: REDIRECT, code_verifier: verifier };
    const first = (await (await it_.form('/token', params)).json()) as TokenResponse;
    const second = await it_.form('/token', params);
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await it_.form('/token', { grant_type: 'refresh_token', client_id: 'spa', refresh_token: first.refresh_token! })).status).toBe(400);
  });

  it('PKCE is enforced: wrong or missing verifier, wrong redirect_uri, another client → invalid_grant', async () => {
    const { challenge } = pkce();
    const issue = async () => {
      const answer = await authorize({ response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' });
      return new URL(answer.headers.get('location')!).searchParams.get('code')!;
    };
    const cases: Array<Record<string, string>> = [
      { client_id: 'spa', redirect_uri: REDIRECT, code_verifier: pkce().verifier },
      { client_id: 'spa', redirect_uri: REDIRECT },
      { client_id: 'spa', redirect_uri: REDIRECT, code_verifier: 'short' },
      { client_id: 'spa', redirect_uri: 'http://127.0.0.1:8765/other', code_verifier: pkce().verifier },
      { client_id: 'workbench', redirect_uri: REDIRECT, code_verifier: pkce().verifier },
    ];
    for (const extra of cases) {
      const res = await it_.form('/token', { grant_type: 'authorization_code', code: await issue(), ...extra });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe('invalid_grant');
    }
  });

  it('bad authorization requests: redirected with an error when the redirect URI is trusted, a page otherwise', async () => {
    const base = { response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, state: 's1' };
    const redirected = async (params: Record<string, string>) => {
      const res = await fetch(`${it_.url('/authorize')}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('state')).toBe('s1');
      return location.searchParams.get('error');
    };
    const { challenge } = pkce();
    expect(await redirected(base)).toBe('invalid_request'); // no code_challenge
    expect(await redirected({ ...base, code_challenge: challenge, code_challenge_method: 'plain' })).toBe('invalid_request');
    expect(await redirected({ ...base, response_type: 'token', code_challenge: challenge, code_challenge_method: 'S256' })).toBe('unsupported_response_type');
    expect(await redirected({ ...base, scope: 'admin', code_challenge: challenge, code_challenge_method: 'S256' })).toBe('invalid_scope');
    expect(await redirected({ ...base, prompt: 'none', code_challenge: challenge, code_challenge_method: 'S256' })).toBe('login_required');
    for (const params of [{ ...base, client_id: 'ghost' }, { ...base, redirect_uri: 'https://evil.test/cb' }, { response_type: 'code' }]) {
      const res = await fetch(`${it_.url('/authorize')}?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
  });

  it('the login form: wrong credentials show the form again; an unknown sign-in request is refused', async () => {
    const { challenge } = pkce();
    const answer = await authorize(
      { response_type: 'code', client_id: 'spa', redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' },
      { username: 'alice', password: 'wrong' },
    );
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('Wrong user name or password.');
    const stale = await fetch(it_.url('/authorize'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'request_id=unknown&username=alice&password=wonderland',
    });
    expect(stale.status).toBe(400);
  });
});
