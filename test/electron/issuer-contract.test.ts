// The issuer.* methods of the host contract, through the real dispatcher and services: start/stop,
// control plane, host-side requests, bad input → specific error codes, and the stepper's scripted run.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHandlers, createServices } from '../../electron/services/index';
import type { Services } from '../../electron/services/index';
import { createDispatcher } from '../../shared/contract/dispatch';
import type { MethodName } from '../../shared/contract/method-names';
import type { RequestOf, ResponseOf } from '../../shared/contract/methods';
import type { Result } from '../../shared/contract/result';
import { STEPS, runAll } from '../../shared/stepper/steps';
import { initialState } from '../../shared/stepper/types';
import type { StepperHost } from '../../shared/stepper/types';
import { tempDir } from './keys-test-support';

const opened: Array<{ services: Services; dir: string }> = [];
afterEach(async () => {
  for (const { services, dir } of opened.splice(0)) {
    await services.issuer.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function host(dir = tempDir('issuer-contract-')): StepperHost & { services: Services; dir: string } {
  const services = createServices({ dataDir: dir, keys: { unencryptedTestStore: true } });
  opened.push({ services, dir });
  const dispatch = createDispatcher(createHandlers(services));
  return {
    services,
    dir,
    call: <M extends MethodName>(method: M, request: RequestOf<M>) =>
      dispatch(method, request, { transport: 'http' }) as Promise<Result<ResponseOf<M>>>,
  };
}

async function value<M extends MethodName>(h: StepperHost, method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const r = await h.call(method, request);
  if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function errorOf(h: StepperHost, method: string, request: unknown): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  const r = await h.call(method as MethodName, request as never);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error;
}

describe('issuer.* methods', () => {
  it('report not-running before a start, and refuse control operations with issuer-not-running', async () => {
    const h = host();
    expect(await value(h, 'issuer.status', {})).toEqual({ running: false, notice: null });
    for (const method of ['issuer.settings', 'issuer.rotateKeys', 'issuer.users', 'issuer.families', 'issuer.log'] as const) {
      expect((await errorOf(h, method, {})).code).toBe('issuer-not-running');
    }
    expect((await errorOf(h, 'issuer.clock', { advance: 5 })).code).toBe('issuer-not-running');
    expect((await errorOf(h, 'issuer.request', { method: 'GET', path: '/jwks' })).code).toBe('issuer-not-running');
  });

  it.each([
    [{ port: 70000 }, 'port'],
    [{ port: 1.5 }, 'port'],
    [{ alg: 'none' }, 'alg'],
    [{ settings: { rotation: 'yes' } }, 'settings.rotation'],
    [{ settings: { accessTokenTtl: 0 } }, 'settings.accessTokenTtl'],
    [{ settings: { bogus: 1 } }, 'settings.bogus'],
    [{ users: [{ name: 'x', password: '' }] }, 'users[0].password'],
    [{ users: [{ name: 'x', password: 'y', claims: [1] }] }, 'users[0].claims'],
    [{ extra: true }, 'extra'],
  ])('issuer.start %j → bad-request at %s', async (request, at) => {
    const error = await errorOf(host(), 'issuer.start', request);
    expect(error.code).toBe('bad-request');
    expect(error.details).toEqual({ path: at });
  });

  it('issuer.start refuses an unusable issuer URL and an unknown stored key; a second start answers the running state', async () => {
    const h = host();
    const badUrl = await errorOf(h, 'issuer.start', { issuer: 'https://example.test/a?b=c' });
    expect(badUrl.code).toBe('invalid-options');
    expect(badUrl.message).toContain('no query or fragment');
    expect((await errorOf(h, 'issuer.start', { keyId: 'no-such-key' })).code).toBe('not-found');
    const started = await value(h, 'issuer.start', { alg: 'ES256' });
    if (!started.running) throw new Error('not running');
    // A repeated start (double click, or a call retried after a lost connection) changes nothing and says so.
    const again = await value(h, 'issuer.start', { alg: 'RS256' });
    expect(again).toEqual({ ...started, now: again.running ? again.now : -1 });
    if (!again.running) throw new Error('not running');
    expect(again.keys.find((k) => k.status === 'current')?.alg).toBe('ES256');
    expect(started.discoveryUrl).toBe(`${started.issuer}/.well-known/openid-configuration`);
    expect(started.keySource).toBe('key-store');
    expect(started.keys.filter((k) => k.status === 'current')).toHaveLength(1);
    expect(started.settings.rotation).toBe(true);
  });

  it('signs with a chosen stored key, and persists keys and families across a stop and start', async () => {
    const h = host();
    const stored = await value(h, 'keys.generate', { alg: 'EdDSA' });
    const first = await value(h, 'issuer.start', { keyId: stored.id, issuer: 'https://auth.example.test/tenant' });
    if (!first.running) throw new Error('not running');
    expect(first.issuer).toBe('https://auth.example.test/tenant');
    expect(first.keys.find((k) => k.status === 'current')?.kid).toBe(stored.kid);
    // The host reaches the issuer at its real address, whatever the configured issuer URL names.
    const meta = await value(h, 'issuer.request', { method: 'GET', path: '/.well-known/openid-configuration' });
    expect(meta.status).toBe(200);
    expect(JSON.parse(meta.body).issuer).toBe('https://auth.example.test/tenant');
    const login = await value(h, 'issuer.request', {
      method: 'POST', path: '/auth/login', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password: 'demo' }),
    });
    expect(login.status).toBe(200);
    expect(login.headers['cache-control']).toContain('no-store');
    expect(await value(h, 'issuer.stop', {})).toEqual({ running: false, notice: expect.stringContaining('saved') });

    const again = await value(h, 'issuer.start', { issuer: 'https://auth.example.test/tenant' });
    if (!again.running) throw new Error('not running');
    expect(again.keys.find((k) => k.status === 'current')?.kid).toBe(stored.kid);
    expect((await value(h, 'issuer.families', {})).families).toHaveLength(1);
  });

  it('control operations: clock, settings, users, families, keys, log — with specific errors for bad input', async () => {
    const h = host();
    await value(h, 'issuer.start', {});
    const { now } = await value(h, 'issuer.clock', {});
    expect((await value(h, 'issuer.clock', { advance: 90 })).now).toBeGreaterThanOrEqual(now + 90);
    expect((await value(h, 'issuer.clock', { set: 2_000_000_000 })).now).toBe(2_000_000_000);
    expect((await errorOf(h, 'issuer.clock', { advance: 1, set: 2 })).code).toBe('bad-request');
    expect((await errorOf(h, 'issuer.clock', { reset: false })).code).toBe('bad-request');
    // Reset puts the clock back to real time (offset 0), from far in the future, and the status agrees.
    const realBefore = Math.floor(Date.now() / 1000);
    const reset = await value(h, 'issuer.clock', { reset: true });
    expect(reset.now).toBeGreaterThanOrEqual(realBefore);
    expect(reset.now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const status = await value(h, 'issuer.status', {});
    expect(status.running && status.now).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));

    expect((await value(h, 'issuer.settings.put', { graceWindow: 5 })).graceWindow).toBe(5);
    expect((await value(h, 'issuer.settings', {})).graceWindow).toBe(5);
    const tooLong = await errorOf(h, 'issuer.settings.put', { graceWindow: 48 * 3600 });
    expect(tooLong.code).toBe('invalid-request');
    expect(tooLong.message).toContain('graceWindow');

    const put = await value(h, 'issuer.users.put', { name: 'alice', password: 'pw-alice', claims: { roles: ['admin'] } });
    expect(put.created).toBe(true);
    expect((await value(h, 'issuer.users', {})).users.map((u) => u.name).sort()).toEqual(['alice', 'demo']);
    expect((await errorOf(h, 'issuer.users.put', { name: 'bob' })).code).toBe('invalid-request'); // a new user needs a password

    expect((await errorOf(h, 'issuer.revokeFamily', { id: 'no-such-family' })).code).toBe('not-found');
    const rotated = await value(h, 'issuer.rotateKeys', {});
    expect(rotated.keys.map((k) => k.status).sort()).toEqual(['current', 'retired']);

    const log = await value(h, 'issuer.log', {});
    expect(log.entries.some((e) => e.event === 'keys.rotated')).toBe(true);
    const last = log.entries.at(-1)!.seq;
    expect((await value(h, 'issuer.log', { after: last })).entries).toEqual([]);
  });

  it.each([
    [{ method: 'GET', path: '//evil.example/x' }, 'invalid-request'],
    [{ method: 'GET', path: 'http://evil.example/' }, 'invalid-request'],
    [{ method: 'GET', path: '/a\\b' }, 'invalid-request'],
    [{ method: 'GET', path: '/jwks', body: 'x' }, 'invalid-request'],
    [{ method: 'DELETE', path: '/jwks' }, 'bad-request'],
    [{ method: 'POST', path: '/token', headers: { 'content-type': 'text/plain' } }, 'bad-request'],
    [{ method: 'GET', path: '/jwks', headers: { host: 'evil' } }, 'bad-request'],
  ])('issuer.request %j → %s', async (request, code) => {
    const h = host();
    await value(h, 'issuer.start', {});
    expect((await errorOf(h, 'issuer.request', request)).code).toBe(code);
  });
});

describe('the stepper, scripted', () => {
  it('runs every step against the real issuer, each passing for the reason its rule gives', async () => {
    const h = host();
    await value(h, 'issuer.start', { alg: 'ES256' });
    const state = initialState();
    const runs = await runAll({ host: h, state });
    const failed = runs.find((r) => r.outcome.status !== 'passed');
    expect(failed, failed && `${failed.id}: ${failed.outcome.summary}`).toBeUndefined();
    expect(runs.map((r) => r.id)).toEqual(STEPS.map((s) => s.id));

    // What the story claims, checked on the issuer's side.
    const families = (await value(h, 'issuer.families', { user: 'stepper' })).families;
    // The rotation chapter's two families, the attacks chapter's login, then the DPoP chapter's (at /token).
    expect(families).toHaveLength(4);
    expect(families[0]!.status).toBe('revoked');
    expect(families[0]!.revokeReason).toMatch(/reuse/);
    expect(families[1]!.status).toBe('active');
    expect(families[2]!.status).toBe('active');
    expect(families[3]!.status).toBe('active');
    expect((await value(h, 'issuer.families', {})).familiesWithSeveralLiveTokens).toBe(0);
    const byId = Object.fromEntries(runs.map((r) => [r.id, r.outcome]));
    expect(byId['resource-401']!.arrows.some((a) => a.tone === 'refused' && a.label.startsWith('401'))).toBe(true);
    expect(byId['unknown-kid']!.summary).toContain('no-matching-key');
    expect(byId['login']!.tokens[0]!.token.split('.')).toHaveLength(3);

    // The attacks chapter: each forgery accepted by the naive resource for its mistake, refused by /resource/me.
    expect(byId['attack-none']!.summary).toContain('none (nOnE): naive 200 (alg-none), /resource/me 401 invalid_token');
    expect(byId['attack-none']!.tokens).toHaveLength(4);
    expect(byId['attack-embedded-jwk']!.summary).toMatch(/embedded-jwk \(ES256\): naive 200 \(embedded-jwk\), \/resource\/me 401 invalid_token/);
    expect(byId['attack-embedded-jwk']!.summary).toContain('jku is not played here');
    expect(byId['attack-key-confusion']!.summary).toContain('key-confusion (pem-as-file): naive 200 (hmac-with-public-key), /resource/me 401 invalid_token');
    for (const id of ['attack-none', 'attack-embedded-jwk', 'attack-key-confusion']) {
      const arrows = byId[id]!.arrows;
      expect(arrows.some((a) => a.to === 'attacker' && a.label.includes('accepted')), id).toBe(true);
      expect(arrows.some((a) => a.to === 'attacker' && a.label.startsWith('401')), id).toBe(true);
    }
    expect(byId['attacks-disable']!.summary).toContain('404');
    // The forged tokens really do fail a proper verifier, and the setting is off again.
    const jwks = await value(h, 'issuer.request', { method: 'GET', path: '/jwks' });
    const forged = byId['attack-key-confusion']!.tokens[0]!.token;
    const verdict = await value(h, 'crypto.verify', { token: forged, key: { type: 'jwks', value: jwks.body } });
    expect(verdict.valid).toBe(false);
    expect(await value(h, 'issuer.status', {})).toMatchObject({ running: true, settings: { demoVulnerable: false } });

    // The DPoP chapter: a token bound to the client's key, accepted with its proof, useless to a thief.
    const bound = byId['dpop-token']!.tokens.find((t) => t.label === 'DPoP-bound access token')!.token;
    const boundClaims = JSON.parse(Buffer.from(bound.split('.')[1]!, 'base64url').toString()) as { cnf?: { jkt?: string } };
    expect(boundClaims.cnf?.jkt).toBe(state.dpopKey!.thumbprint);
    expect(byId['dpop-token']!.arrows.map((a) => a.label)).toEqual([
      'POST /token (DPoP proof, no nonce)',
      expect.stringMatching(/^400 use_dpop_nonce.*\+ DPoP-Nonce$/),
      'POST /token (DPoP proof with the nonce)',
      expect.stringMatching(/^200 DPoP access token \(cnf\.jkt /),
    ]);
    expect(byId['dpop-resource']!.arrows.at(-1)).toMatchObject({ from: 'resource', to: 'client', label: '200 hello stepper', tone: 'ok' });
    const stolen = byId['dpop-stolen']!;
    expect(stolen.summary).toMatch(/as Bearer: 401 invalid_token/);
    expect(stolen.summary).toMatch(/own key \(jkt .*\): 401 invalid_dpop_proof: DPoP proof cnf-jkt/);
    expect(stolen.summary).toMatch(/replayed proof: 401 invalid_dpop_proof: .*already used/);
    // The attacker's proof is a well-formed proof: only its key is wrong (checked as a resource would).
    const attackerProof = stolen.tokens[0]!.token;
    const verdict2 = await value(h, 'dpop.check', { proof: attackerProof, htm: 'GET', htu: `${state.issuer!.issuer.replace(/\/$/, '')}/resource/me`, accessToken: bound, now: state.now! });
    expect(verdict2).toMatchObject({ valid: false, reason: 'cnf-jkt' });
    expect(verdict2.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual(['cnf-jkt']);
  }, 30_000);

  it('a step run out of order fails with a reason instead of throwing', async () => {
    const h = host();
    await value(h, 'issuer.start', {});
    const state = initialState();
    const replay = STEPS.find((s) => s.id === 'replay-stolen')!;
    const { runStep } = await import('../../shared/stepper/steps');
    const outcome = await runStep(replay, { host: h, state });
    expect(outcome.status).toBe('failed');
    expect(outcome.summary).toContain('run the earlier steps first');
  });

  it('the DPoP chapter run out of order names the step to run first', async () => {
    const h = host();
    await value(h, 'issuer.start', {});
    const { runStep } = await import('../../shared/stepper/steps');
    const outcome = await runStep(STEPS.find((s) => s.id === 'dpop-resource')!, { host: h, state: initialState() });
    expect(outcome).toMatchObject({ status: 'failed', summary: expect.stringContaining('step "dpop-token"') });
  });

  it('with an HMAC key, the key chapter is skipped and says why', async () => {
    const h = host();
    await value(h, 'issuer.start', { alg: 'HS256' });
    const runs = await runAll({ host: h, state: initialState() });
    const statuses = Object.fromEntries(runs.map((r) => [r.id, r.outcome.status]));
    expect(statuses['cache-jwks']).toBe('skipped');
    expect(statuses['unknown-kid']).toBe('skipped');
    expect(statuses['introspection-flips']).toBe('passed');
    expect(runs.find((r) => r.id === 'cache-jwks')!.outcome.summary).toContain('could mint');
    // No public key to confuse with a secret; the other forgeries still play out.
    expect(statuses['attack-key-confusion']).toBe('skipped');
    expect(runs.find((r) => r.id === 'attack-key-confusion')!.outcome.summary).toContain('no public key');
    expect(statuses['attack-none']).toBe('passed');
    expect(statuses['attack-embedded-jwk']).toBe('passed');
    expect(statuses['attacks-disable']).toBe('passed');
    // DPoP binds to the client's key, whatever the issuer signs with.
    expect([statuses['dpop-token'], statuses['dpop-resource'], statuses['dpop-stolen']]).toEqual(['passed', 'passed', 'passed']);
  }, 30_000);

  it('a stopped issuer fails the first step, naming the cause', async () => {
    const runs = await runAll({ host: host(), state: initialState() });
    expect(runs).toHaveLength(1);
    expect(runs[0]!.outcome).toMatchObject({ status: 'failed', summary: expect.stringContaining('not running') });
  });
});

it('the issuer keeps its files under <dataDir>/issuer', async () => {
  const h = host();
  await value(h, 'issuer.start', {});
  await value(h, 'issuer.stop', {});
  expect(fs.readdirSync(path.join(h.dir, 'issuer')).sort()).toEqual(['issuer-keys.json', 'issuer-state.json']);
});
