// Redirect safety of /authorize: the public `workbench` client is sent back only to loopback URIs (any port,
// RFC 8252 §7.3) or to URIs the issuer settings register for it; anything else is a 400 page with no
// Location (RFC 6749 §4.1.2.1) — never a code handed to another host. A CR, LF or TAB in redirect_uri, raw or
// percent-encoded, is invalid_request wherever it comes in, never a 500.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestIssuer } from './issuer-helpers';
import type { TestIssuer } from './issuer-helpers';

function challenge(): string {
  return createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
}

describe('authorize: redirect URIs', () => {
  let it_: TestIssuer;
  const errors: string[] = [];
  beforeAll(async () => {
    it_ = await startTestIssuer({ logger: (e) => e.level === 'error' && errors.push(`${e.event}: ${e.message}`) });
  });
  afterAll(async () => {
    await it_.close();
    expect(errors).toEqual([]);
  });

  const authorize = (redirectUri: string, extra: Record<string, string> = {}) =>
    fetch(`${it_.url('/authorize')}?${new URLSearchParams({
      response_type: 'code', client_id: 'workbench', redirect_uri: redirectUri, state: 's1', code_challenge: challenge(), code_challenge_method: 'S256', ...extra,
    }).toString()}`, { redirect: 'manual' });

  /** A 400 page that names the error and sends the browser nowhere. */
  async function refusedPage(res: Response, error = 'invalid_request'): Promise<string> {
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain(`<code>${error}</code>`);
    return html;
  }

  it('loopback redirect URIs are accepted on any port (127.0.0.1, [::1], localhost)', async () => {
    for (const uri of ['http://127.0.0.1:8765/callback', 'http://127.0.0.1:51234/', 'http://[::1]:9000/cb?x=1', 'http://localhost:3000/auth/done', 'http://127.0.0.1/cb']) {
      const res = await authorize(uri);
      expect(res.status, uri).toBe(200);
      expect(await res.text()).toContain('name="request_id"');
    }
  });

  it('any other host gets a 400 page, never a redirect (an open redirect would hand it the code)', async () => {
    for (const uri of [
      'https://evil.test/cb',
      'http://evil.test:8080/cb',
      'https://127.0.0.1:8443/cb', // loopback, but not the http loopback of RFC 8252 §7.3
      'http://127.0.0.1.evil.test/cb',
      'http://localhost.evil.test/cb',
    ]) {
      const html = await refusedPage(await authorize(uri));
      expect(html, uri).toContain('not registered for this client');
    }
    // Even an error that would otherwise go back to the client (no PKCE) is not sent there.
    await refusedPage(await authorize('https://evil.test/cb', { code_challenge_method: 'plain' }));
    // Credentials in the URI, or a scheme that is not http(s): refused as malformed.
    expect(await refusedPage(await authorize('http://user:pw@127.0.0.1:8080/cb'))).toContain('credentials');
    expect(await refusedPage(await authorize('http://127.0.0.1@evil.test/cb'))).toContain('credentials');
    expect(await refusedPage(await authorize('javascript:alert(1)'))).toContain('http or https');
  });

  it('URIs registered in the settings are accepted, exactly; the code goes to them', async () => {
    const registered = 'https://app.example.test/callback';
    const put = await it_.control('PUT', '/settings', { redirectUris: { workbench: [registered] } });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { redirectUris: Record<string, string[]> }).redirectUris).toEqual({ workbench: [registered] });
    await refusedPage(await authorize(`${registered}/other`));
    await refusedPage(await authorize(`${registered}?extra=1`));

    const page = await authorize(registered);
    expect(page.status).toBe(200);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())![1]!;
    const answer = await fetch(it_.url('/authorize'), {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, username: 'alice', password: 'wonderland' }).toString(),
    });
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(registered);
    expect(location.searchParams.get('code')).toBeTruthy();

    // An empty list unregisters them again.
    expect((await it_.control('PUT', '/settings', { redirectUris: { workbench: [] } })).status).toBe(200);
    await refusedPage(await authorize(registered));
  });

  it('a URI unregistered while the login form was open gets no code', async () => {
    const registered = 'https://gone.example.test/cb';
    expect((await it_.control('PUT', '/settings', { redirectUris: { workbench: [registered] } })).status).toBe(200);
    const page = await authorize(registered);
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())![1]!;
    expect((await it_.control('PUT', '/settings', { redirectUris: { workbench: [] } })).status).toBe(200);
    const answer = await fetch(it_.url('/authorize'), {
      method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, username: 'alice', password: 'wonderland' }).toString(),
    });
    expect(await refusedPage(answer)).toContain('no longer registered');
  });

  it('CR, LF or TAB in redirect_uri, raw or percent-encoded → 400 invalid_request, never a 500', async () => {
    for (const uri of [
      'http://127.0.0.1:8080/cb\r\nSet-Cookie: stolen=1',
      'http://127.0.0.1:8080/cb\nX: y',
      'http://127.0.0.1:8080/c\tb',
      'http://127.0.0.1:8080/cb%0d%0aSet-Cookie:%20stolen=1',
      'http://127.0.0.1:8080/cb%0AX:y',
      'http://127.0.0.1:8080/c%09b',
    ]) {
      const html = await refusedPage(await authorize(uri));
      expect(html, JSON.stringify(uri)).toContain('CR, LF or TAB');
    }
  });

  it('the token endpoint refuses such a redirect_uri as invalid_request too', async () => {
    const res = await it_.form('/token', {
      grant_type: 'authorization_code', client_id: 'workbench', code: 'whatever', redirect_uri: 'http://127.0.0.1:8080/cb\r\nX: y', code_verifier: 'v'.repeat(43),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toContain('CR, LF or TAB');
  });

  it('the settings refuse a malformed redirect URI, naming it', async () => {
    for (const [uri, message] of [
      ['https://app.example.test/cb\r\n', 'CR, LF or TAB'],
      ['https://app.example.test/cb%0d%0a', 'CR, LF or TAB'],
      ['/relative', 'absolute URL'],
      ['https://app.example.test/cb#frag', 'fragment'],
    ] as const) {
      const res = await it_.control('PUT', '/settings', { redirectUris: { workbench: [uri] } });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe('invalid_request');
      expect(body.error_description).toContain('redirectUris.workbench.0');
      expect(body.error_description).toContain(message);
    }
    const settings = (await (await it_.control('GET', '/settings')).json()) as { redirectUris: Record<string, string[]> };
    expect(settings.redirectUris).toEqual({});
  });
});
