// Malformed requests get a 4xx JSON answer (RFC 6749 §5.2 shape), never a 500, and never stop the server.
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerClientError } from '../../electron/services/issuer/server';
import { startTestIssuer } from './issuer-helpers';
import type { TestIssuer } from './issuer-helpers';

describe('issuer: bad input', () => {
  let it_: TestIssuer;
  const errors: string[] = [];
  beforeAll(async () => {
    it_ = await startTestIssuer({ maxBodyBytes: 4096, logger: (e) => e.level === 'error' && errors.push(`${e.event}: ${e.message}`) });
  });
  afterAll(async () => {
    await it_.close();
    expect(errors).toEqual([]);
  });

  async function expectError(res: Response, status: number, error: string): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { error: string; error_description: string };
    expect(body.error).toBe(error);
    expect(body.error_description.length).toBeGreaterThan(0);
  }

  it('unknown path → 404; wrong method → 405 with Allow', async () => {
    await expectError(await fetch(it_.url('/nope')), 404, 'not_found');
    const res = await fetch(it_.url('/token'));
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
    await expectError(res, 405, 'method_not_allowed');
    await expectError(await fetch(it_.url('/jwks'), { method: 'DELETE' }), 405, 'method_not_allowed');
    await expectError(await fetch(it_.url('/auth/login'), { method: 'PUT', body: '{}' }), 405, 'method_not_allowed');
  });

  it('token endpoint: wrong content type, missing or unsupported grant, duplicate parameters', async () => {
    const json = await fetch(it_.url('/token'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"grant_type":"password"}' });
    await expectError(json, 400, 'invalid_request');
    await expectError(await it_.form('/token', { client_id: 'workbench' }), 400, 'invalid_request');
    await expectError(await it_.form('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: 'workbench' }), 400, 'unsupported_grant_type');
    const dup = await fetch(it_.url('/token'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=password&grant_type=refresh_token&client_id=workbench',
    });
    await expectError(dup, 400, 'invalid_request');
    await expectError(await it_.form('/token', { grant_type: 'refresh_token', client_id: 'workbench' }), 400, 'invalid_request');
    await expectError(await it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice' }), 400, 'invalid_request');
  });

  it('client authentication: unknown client, malformed Basic, two methods at once', async () => {
    await expectError(await it_.form('/token', { grant_type: 'password', client_id: 'ghost' }), 401, 'invalid_client');
    await expectError(await it_.form('/token', { grant_type: 'client_credentials' }), 401, 'invalid_client');
    const malformed = await it_.form('/token', { grant_type: 'client_credentials' }, { Authorization: 'Basic %%%not-base64' });
    expect(malformed.headers.get('www-authenticate')).toContain('Basic');
    await expectError(malformed, 401, 'invalid_client');
    await expectError(await it_.form('/token', { grant_type: 'client_credentials', client_secret: 'x' }, { Authorization: it_.basic }), 400, 'invalid_request');
    await expectError(await it_.form('/token', { grant_type: 'password', client_id: 'workbench', client_secret: 'not-for-public' }), 401, 'invalid_client');
  });

  it('malformed scope characters → invalid_scope', async () => {
    await expectError(await it_.form('/token', { grant_type: 'password', client_id: 'workbench', username: 'alice', password: 'wonderland', scope: 'api:read "quoted"' }), 400, 'invalid_scope');
  });

  it('JSON routes: malformed JSON, non-object JSON, wrong types, wrong content type', async () => {
    const post = (body: string, type = 'application/json') => fetch(it_.url('/auth/login'), { method: 'POST', headers: { 'Content-Type': type }, body });
    await expectError(await post('{"username": "alice",'), 400, 'invalid_request');
    await expectError(await post('[1,2]'), 400, 'invalid_request');
    await expectError(await post('"text"'), 400, 'invalid_request');
    await expectError(await post('{"username": 42, "password": "x"}'), 400, 'invalid_request');
    await expectError(await post('username=alice', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    await expectError(await post('{"username":"alice","password":"wonderland","clientId":"resource-server"}'), 400, 'invalid_client');
  });

  it('a body over the limit → 413, declared or streamed; the server keeps serving', async () => {
    const big = 'x'.repeat(5000);
    await expectError(await it_.form('/token', { grant_type: 'password', junk: big }), 413, 'payload_too_large');
    await expectError(await it_.json('/auth/login', { username: 'alice', password: big }), 413, 'payload_too_large');
    // A chunked upload (no Content-Length) over the limit.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(1000)));
        controller.close();
      },
    });
    const chunked = await fetch(it_.url('/auth/login'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    await expectError(chunked, 413, 'payload_too_large');
    expect((await fetch(it_.url('/jwks'))).status).toBe(200);
  });

  it('a body far over the limit is cut off rather than drained', async () => {
    const res = await fetch(it_.url('/token'), {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a='.padEnd(4096 * 20, 'b'),
    }).catch((error: Error) => error);
    // Either the client read the 413 before the connection closed, or the close came first: never a 2xx or 5xx.
    if (res instanceof Response) await expectError(res, 413, 'payload_too_large');
    expect((await fetch(it_.url('/jwks'))).status).toBe(200);
  });

  it('garbage on the socket gets a 400 and the connection closes', async () => {
    const answer = await new Promise<string>((resolve, reject) => {
      const port = Number(new URL(it_.handle.issuer).port);
      const socket = net.connect(port, '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request/);
    expect(answer).toContain('"error":"invalid_request"');
  });

  it('bearer endpoints: junk tokens are 401, not 500', async () => {
    for (const token of ['x', 'a.b.c', 'eyJhbGciOiJub25lIn0.e30.', `${'a'.repeat(12000)}.b.c`, 'eyJhbGciOiJFUzI1NiIsImtpZCI6Im5vcGUifQ.e30.c2ln']) {
      const res = await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${token}` } });
      await expectError(res, 401, 'invalid_token');
    }
    // Beyond Node's header limit the request never reaches a route: 431, still JSON.
    await expectError(await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${'a'.repeat(20000)}` } }), 431, 'invalid_request');
    await expectError(await fetch(it_.url('/userinfo'), { headers: { Authorization: 'Basic abc' } }), 401, 'invalid_token');
  });

  it('revoke and introspect: missing token → invalid_request', async () => {
    await expectError(await it_.form('/revoke', { client_id: 'workbench' }), 400, 'invalid_request');
    await expectError(await it_.form('/introspect', {}, { Authorization: it_.basic }), 400, 'invalid_request');
  });

  it('a token signed with alg none or by a foreign key is never accepted', async () => {
    const { access_token } = await it_.passwordLogin();
    const [header, payload] = access_token.split('.');
    const unsecured = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    expect((await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${unsecured}` } })).status).toBe(401);
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'mallory' })).toString('base64url')}.${access_token.split('.')[2]}`;
    const res = await fetch(it_.url('/resource/me'), { headers: { Authorization: `Bearer ${tampered}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error_description: string }).error_description).toMatch(/signature/);
  });

  it('CORS: public endpoints allow any origin; preflight answers; credentialed routes only listed origins', async () => {
    const jwks = await fetch(it_.url('/jwks'), { headers: { Origin: 'http://localhost:5173' } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe('*');
    const preflight = await fetch(it_.url('/token'), { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
    const login = await fetch(it_.url('/auth/login'), { method: 'OPTIONS', headers: { Origin: 'http://evil.test' } });
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
    await it_.control('PUT', '/settings', { corsOrigins: ['http://localhost:5173'] });
    const allowed = await fetch(it_.url('/auth/login'), { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
  });
});

describe('issuer: low-level connection failures', () => {
  it('answers only a parse error, never a reset, a broken pipe or a timed-out idle connection', () => {
    const written: string[] = [];
    const fake = (extra: object = {}) => {
      const socket = new PassThrough();
      const end = socket.end.bind(socket);
      socket.end = ((chunk: unknown) => (written.push(String(chunk)), end())) as typeof socket.end;
      return Object.assign(socket, extra) as unknown as net.Socket;
    };
    const failure = (code: string) => Object.assign(new Error(code), { code });
    for (const code of ['ECONNRESET', 'EPIPE', 'ERR_HTTP_REQUEST_TIMEOUT']) {
      const socket = fake();
      answerClientError(failure(code), socket);
      expect(socket.destroyed, code).toBe(true);
    }
    answerClientError(failure('HPE_INVALID_METHOD'), fake({ _httpMessage: { headersSent: true } }));
    expect(written).toEqual([]);
    answerClientError(failure('HPE_INVALID_METHOD'), fake());
    answerClientError(failure('HPE_HEADER_OVERFLOW'), fake());
    expect(written.map((w) => w.split('\r\n', 1)[0])).toEqual(['HTTP/1.1 400 Bad Request', 'HTTP/1.1 431 Request Header Fields Too Large']);
  });
});
