/**
 * The stepper's script: the refresh-token lifecycle the seeds describe, played against the running mock
 * issuer through the host contract, one step at a time. Each step does something real (an HTTP call to
 * the issuer, a clock move, a key rotation, a local verification), checks that the server answered as the
 * rule says it must, and reports what happened and why. Used as is by the UI and by the scripted run.
 */
import type { IssuerExchange } from '../contract/issuer';
import type { MethodName } from '../contract/method-names';
import type { RequestOf, ResponseOf } from '../contract/methods';
import { generateAttacks, type AttackKind, type AttackOptions, type AttackVariant } from '../core/attacks';
import { decodeToken } from '../core/decode';
import { tokenPairChecks } from '../core/token-pair';
import { createDpopProof, singleSigningKey } from '../core/dpop';
import { prepareKeys, type PreparedKey } from '../core/keys';
import { exportJWK, generateKeyPair } from 'jose';
import type { Arrow, StepContext, StepDefinition, StepOutcome, StepToken } from './types';
import { WorkbenchError } from '../core/errors';

/** A step's expectation that did not hold, or a call that failed: ends the step as `failed`. */
export class StepFailure extends WorkbenchError<'step-failed'> {
  override readonly name = 'StepFailure';
  constructor(
    message: string,
    readonly arrows: Arrow[] = [],
    readonly tokens: StepToken[] = [],
  ) {
    super('step-failed', message);
  }
}

async function call<M extends MethodName>(context: StepContext, method: M, request: RequestOf<M>): Promise<ResponseOf<M>> {
  const result = await context.host.call(method, request);
  if (!result.ok) throw new StepFailure(`${method} failed: ${result.error.message} (${result.error.code})`);
  return result.value;
}

interface Sent {
  exchange: IssuerExchange;
  json: Record<string, unknown>;
}

type Body = { json: Record<string, unknown> } | { form: Record<string, string> } | undefined;

type RequestHeaders = NonNullable<RequestOf<'issuer.request'>['headers']>;

async function send(context: StepContext, method: 'GET' | 'POST', path: string, body?: Body, bearer?: string, extra: Pick<RequestHeaders, 'authorization' | 'dpop'> = {}): Promise<Sent> {
  const headers: RequestHeaders = { ...extra };
  let text: string | undefined;
  if (body && 'json' in body) {
    headers['content-type'] = 'application/json';
    text = JSON.stringify(body.json);
  } else if (body) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    // application/x-www-form-urlencoded by hand: shared/ has no URLSearchParams (percent-encoding is valid form encoding).
    text = Object.entries(body.form).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  }
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
  const exchange = await call(context, 'issuer.request', { method, path, headers, ...(text !== undefined && { body: text }) });
  let json: Record<string, unknown> = {};
  try {
    const parsed: unknown = exchange.body === '' ? {} : JSON.parse(exchange.body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    // Not JSON (an HTML page, an empty 200): json stays empty and the status tells.
  }
  return { exchange, json };
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function describeError(sent: Sent): string {
  const error = str(sent.json.error);
  const description = str(sent.json.error_description);
  return error ? `${sent.exchange.status} ${error}${description ? `: ${description}` : ''}` : `${sent.exchange.status}`;
}

function kidOf(token: string): string | null {
  const decoded = decodeToken(token);
  return decoded.ok && typeof decoded.token.header.kid === 'string' ? decoded.token.header.kid : null;
}

function jtiOf(token: string): string | null {
  const decoded = decodeToken(token);
  const payload = decoded.ok ? decoded.token.payload : null;
  return typeof payload === 'object' && payload !== null && typeof (payload as { jti?: unknown }).jti === 'string'
    ? (payload as { jti: string }).jti
    : null;
}

const need = <T>(value: T | null, what: string): T => {
  if (value === null) throw new StepFailure(`${what} is missing: run the earlier steps first`);
  return value;
};

function issuerOf(context: StepContext) {
  return need(context.state.issuer, 'the running issuer (step "prepare")');
}

async function clockNow(context: StepContext): Promise<number> {
  const { now } = await call(context, 'issuer.clock', {});
  context.state.now = now;
  return now;
}

async function login(context: StepContext, lane: 'client' = 'client'): Promise<{ sent: Sent; arrows: Arrow[] }> {
  const { name, password } = context.state.user;
  // openid: the answer carries an ID token, which the login step checks against the access token (at_hash).
  const sent = await send(context, 'POST', '/auth/login', { json: { username: name, password, clientId: 'workbench', scope: 'openid profile' } });
  const ok = sent.exchange.status === 200;
  const arrows: Arrow[] = [
    { from: lane, to: 'issuer', label: `POST /auth/login (${name})`, tone: 'neutral' },
    { from: 'issuer', to: lane, label: ok ? '200 access, refresh and ID token' : describeError(sent), tone: ok ? 'ok' : 'refused' },
  ];
  if (!ok) throw new StepFailure(`login was refused: ${describeError(sent)}`, arrows);
  return { sent, arrows };
}

async function refresh(context: StepContext, token: string, lane: 'client' | 'attacker'): Promise<{ sent: Sent; arrow: Arrow[] }> {
  const sent = await send(context, 'POST', '/auth/refresh', { json: { refreshToken: token, clientId: 'workbench' } });
  const ok = sent.exchange.status === 200;
  return {
    sent,
    arrow: [
      { from: lane, to: 'issuer', label: `POST /auth/refresh (${lane === 'attacker' ? 'stolen' : 'current'} refresh token)`, tone: 'neutral' },
      { from: 'issuer', to: lane, label: ok ? '200 new access + refresh token' : describeError(sent), tone: ok ? 'ok' : 'refused' },
    ],
  };
}

async function callResource(context: StepContext, token: string): Promise<{ sent: Sent; arrows: Arrow[] }> {
  const sent = await send(context, 'GET', '/resource/me', undefined, token);
  const ok = sent.exchange.status === 200;
  const challenge = sent.exchange.headers['www-authenticate'];
  return {
    sent,
    arrows: [
      { from: 'client', to: 'resource', label: 'GET /resource/me (Bearer access token)', tone: 'neutral' },
      { from: 'resource', to: 'client', label: ok ? `200 hello ${String(sent.json.sub)}` : `${sent.exchange.status}${challenge ? ` ${challenge}` : ''}`, tone: ok ? 'ok' : 'refused' },
    ],
  };
}

async function familyOf(context: StepContext, id: string) {
  const { families } = await call(context, 'issuer.families', { user: context.state.user.name });
  const family = families.find((f) => f.id === id);
  if (!family) throw new StepFailure(`family ${id} is no longer listed by the issuer`);
  return family;
}

async function newestFamily(context: StepContext): Promise<string> {
  const { families } = await call(context, 'issuer.families', { user: context.state.user.name });
  const newest = families.at(-1);
  if (!newest) throw new StepFailure('the issuer lists no family for the user after a login');
  return newest.id;
}

async function verifyLocally(context: StepContext, token: string, jwks: string) {
  const issuer = issuerOf(context);
  // The verifier shares the issuer's (possibly advanced) clock, as two services on one host would.
  const now = await clockNow(context);
  return call(context, 'crypto.verify', { token, key: { type: 'jwks', value: jwks }, options: { issuer: issuer.issuer, now } });
}

function skippedForSymmetric(context: StepContext): StepOutcome | null {
  if (!context.state.symmetric) return null;
  return {
    status: 'skipped',
    summary:
      'The issuer signs with an HMAC secret: there is no public key to publish, the JWKS is empty, and any service able to verify these tokens holds the secret and could mint its own. Start the issuer with RS256, ES256 or EdDSA for this chapter.',
    arrows: [],
    tokens: [],
  };
}

const NAIVE_PATH = '/resource/naive';

/**
 * Sends each forged variant to the naive resource (which must accept it, naming the mistake that let it in)
 * and to /resource/me (which must refuse it with 401). Passes only when both hold for every variant.
 */
async function attackBoth(context: StepContext, variants: AttackVariant[], mistake: string): Promise<{ arrows: Arrow[]; tokens: StepToken[]; lines: string[] }> {
  if (variants.length === 0) throw new StepFailure('the attack generator made no variant of the access token');
  const arrows: Arrow[] = [];
  const tokens: StepToken[] = [];
  const lines: string[] = [];
  for (const variant of variants) {
    const name = `${variant.kind} (${variant.variant})`;
    const naive = await send(context, 'GET', NAIVE_PATH, undefined, variant.token);
    const proper = await send(context, 'GET', '/resource/me', undefined, variant.token);
    const naiveOk = naive.exchange.status >= 200 && naive.exchange.status < 300;
    const acceptedBy = str(naive.json.accepted_by);
    arrows.push(
      { from: 'attacker', to: 'resource', label: `GET ${NAIVE_PATH} (${name})`, tone: 'neutral' },
      { from: 'resource', to: 'attacker', label: naiveOk ? `${naive.exchange.status} accepted (${acceptedBy ?? '?'})` : describeError(naive), tone: naiveOk ? 'refused' : 'ok' },
      { from: 'attacker', to: 'resource', label: `GET /resource/me (${name})`, tone: 'neutral' },
      { from: 'resource', to: 'attacker', label: proper.exchange.status === 401 ? describeError(proper) : `${proper.exchange.status}?!`, tone: proper.exchange.status === 401 ? 'ok' : 'refused' },
    );
    tokens.push({ label: `forged: ${name}`, token: variant.token });
    if (!naiveOk) throw new StepFailure(`the naive resource should accept ${name} (${mistake}), got ${describeError(naive)}`, arrows, tokens);
    if (acceptedBy !== mistake) throw new StepFailure(`the naive resource accepted ${name} through ${acceptedBy ?? 'no named mistake'}, not ${mistake}`, arrows, tokens);
    if (proper.exchange.status !== 401) throw new StepFailure(`/resource/me should refuse ${name} with 401, got ${describeError(proper)}`, arrows, tokens);
    lines.push(`${name}: naive ${naive.exchange.status} (${acceptedBy}), /resource/me ${describeError(proper)}`);
  }
  return { arrows, tokens, lines };
}

/** Forges `kind` from the attacks chapter's access token; the generator's AttackError becomes a failed step. */
async function forge(context: StepContext, kind: AttackKind, options: AttackOptions = {}): Promise<AttackVariant[]> {
  const access = need(context.state.access, 'the access token (step "attacks-enable")');
  try {
    return await generateAttacks(kind, access, options);
  } catch (error) {
    throw new StepFailure(`could not forge ${kind}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const pass = (summary: string, arrows: Arrow[], tokens: StepToken[] = []): StepOutcome => ({ status: 'passed', summary, arrows, tokens });

// ---------------------------------------------------------------------------------------------------------
// DPoP (RFC 9449)

/** A key pair of the stepper's own (the client's or the attacker's), made here and kept in memory only. */
async function dpopKeyPair(): Promise<PreparedKey> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return singleSigningKey((await prepareKeys({ type: 'jwk', value: JSON.stringify(await exportJWK(privateKey)) })).keys);
}

/** An endpoint's URL as the issuer names it (its issuer URL plus the path): what a proof's htu must be. */
function endpointUrl(context: StepContext, path: string): string {
  const base = issuerOf(context).issuer;
  return `${base.endsWith('/') ? base.slice(0, -1) : base}${path}`;
}

/** A proof of one request, dated by the issuer's clock (it may have been moved): §4.3 judges iat by it. */
async function proofFor(context: StepContext, key: PreparedKey, htm: 'GET' | 'POST', path: string, extra: { accessToken?: string; nonce?: string | null } = {}): Promise<string> {
  const iat = await clockNow(context);
  const { proof } = await createDpopProof(key, {
    htm,
    htu: endpointUrl(context, path),
    iat,
    ...(extra.accessToken !== undefined && { accessToken: extra.accessToken }),
    ...(extra.nonce != null && { nonce: extra.nonce }),
  });
  return proof;
}

function shortJkt(jkt: string): string {
  return `${jkt.slice(0, 10)}…`;
}

/** GET /resource/me with a DPoP-bound token and a proof by `key`; one retry when the resource asks for its nonce. */
async function dpopResource(context: StepContext, key: PreparedKey, token: string, lane: 'client' | 'attacker', what: string): Promise<{ sent: Sent; arrows: Arrow[]; proof: string }> {
  const arrows: Arrow[] = [];
  let nonce = context.state.dpopNonce;
  for (let attempt = 0; ; attempt++) {
    const proof = await proofFor(context, key, 'GET', '/resource/me', { accessToken: token, nonce });
    const sent = await send(context, 'GET', '/resource/me', undefined, undefined, { authorization: `DPoP ${token}`, dpop: proof });
    const ok = sent.exchange.status === 200;
    arrows.push(
      { from: lane, to: 'resource', label: `GET /resource/me (Authorization: DPoP, ${what}${nonce ? ', with nonce' : ''})`, tone: 'neutral' },
      { from: 'resource', to: lane, label: ok ? `200 hello ${String(sent.json.sub)}` : describeError(sent), tone: ok ? 'ok' : 'refused' },
    );
    const fresh = sent.exchange.headers['dpop-nonce'];
    if (fresh) context.state.dpopNonce = fresh;
    if (sent.json.error === 'use_dpop_nonce' && fresh && attempt === 0) {
      nonce = fresh;
      continue;
    }
    return { sent, arrows, proof };
  }
}


export const STEPS: readonly StepDefinition[] = [
  {
    id: 'prepare',
    chapter: 'rotation',
    title: 'Prepare the issuer',
    action: 'Read the running issuer, switch on rotation with a grace window of 0, and create the stepper’s user.',
    rule: {
      text: 'Refresh tokens for public clients must be sender-constrained or rotated; with rotation, every use returns a new refresh token and invalidates the previous one.',
      cite: 'RFC 9700 §4.14.2',
    },
    async run(context) {
      const status = await call(context, 'issuer.status', {});
      if (!status.running) throw new StepFailure('the issuer is not running: start it first');
      await call(context, 'issuer.settings.put', { rotation: true, graceWindow: 0, cookieMode: false, resourceChecksDenyList: false });
      const { name, password } = context.state.user;
      await call(context, 'issuer.users.put', { name, password, claims: { name: 'Stepper Demo', roles: ['user'] } });
      const refreshed = await call(context, 'issuer.status', {});
      if (!refreshed.running) throw new StepFailure('the issuer stopped while preparing');
      context.state.issuer = refreshed;
      const current = refreshed.keys.find((k) => k.status === 'current');
      context.state.symmetric = current?.symmetric ?? false;
      await clockNow(context);
      return pass(
        `Issuer ${refreshed.issuer} is running with ${current ? `${current.alg} key ${current.kid}` : 'no key'}; access tokens live ${refreshed.settings.accessTokenTtl} s. Rotation on, grace window 0, cookie mode off; user “${name}” is ready.`,
        [{ from: 'client', to: 'issuer', label: 'GET /.well-known/openid-configuration', tone: 'ok' }],
      );
    },
  },
  {
    id: 'login',
    chapter: 'rotation',
    title: 'Log in',
    action: 'POST /auth/login with the user’s password (scope openid): an access token, a refresh token and an ID token come back; the ID token’s at_hash is checked against the access token.',
    rule: {
      text: 'A login starts a refresh-token family. The access token is a short-lived JWT (typ at+jwt); the refresh token is an opaque value the server stores only as a hash. The ID token’s at_hash is the left half of the access token’s hash: a client checks it so the two belong together.',
      cite: 'RFC 9068 §2; RFC 6749 §1.5; OIDC Core §3.2.2.9',
    },
    async run(context) {
      const { sent, arrows } = await login(context);
      const access = str(sent.json.accessToken);
      const refreshToken = str(sent.json.refreshToken);
      if (!access || !refreshToken) throw new StepFailure('the login answer lacks accessToken or refreshToken (is cookie mode on?)', arrows);
      const idToken = str(sent.json.idToken);
      const idDecoded = idToken ? decodeToken(idToken) : null;
      if (!idDecoded?.ok) throw new StepFailure('the login answer lacks a decodable ID token (scope openid)', arrows);
      const alg = typeof idDecoded.token.header.alg === 'string' ? idDecoded.token.header.alg : null;
      const pair = (await tokenPairChecks(idDecoded.token.payload, alg, { accessToken: access })).find((c) => c.claim === 'at_hash');
      if (!pair?.ok) throw new StepFailure(`the ID token's at_hash does not match the access token: ${pair?.message ?? 'no at_hash check'}`, arrows);
      context.state.access = access;
      context.state.refresh = refreshToken;
      context.state.familyId = await newestFamily(context);
      context.state.firstFamilyId = context.state.familyId;
      return pass(
        `Logged in: access token signed by kid ${kidOf(access) ?? '(none)'}, expires in ${String(sent.json.expiresIn)} s; family ${context.state.familyId} started. ID token: at_hash ${pair.message}.`,
        arrows,
        [
          { label: 'access token', token: access },
          { label: 'ID token', token: idToken! },
        ],
      );
    },
  },
  {
    id: 'call-resource',
    chapter: 'rotation',
    title: 'Call the protected resource',
    action: 'GET /resource/me with the access token as a Bearer token.',
    rule: {
      text: 'The resource server validates the JWT itself with the issuer’s published keys: signature, typ, iss, aud and exp.',
      cite: 'RFC 9068 §4; RFC 6750 §2.1',
    },
    async run(context) {
      const { sent, arrows } = await callResource(context, need(context.state.access, 'the access token'));
      if (sent.exchange.status !== 200) throw new StepFailure(`the resource refused a fresh token: ${describeError(sent)}`, arrows);
      return pass(`200: the resource verified the token locally (kid ${String(sent.json.kid)}) and answered for ${String(sent.json.sub)}.`, arrows);
    },
  },
  {
    id: 'advance-clock',
    chapter: 'rotation',
    title: 'Advance the clock past the access token’s expiry',
    action: 'Move the issuer’s virtual clock forward by the access-token lifetime plus one minute.',
    rule: {
      text: 'A JWT must not be accepted on or after its exp time.',
      cite: 'RFC 7519 §4.1.4',
    },
    async run(context) {
      const issuer = issuerOf(context);
      const seconds = issuer.settings.accessTokenTtl + 60;
      const { now } = await call(context, 'issuer.clock', { advance: seconds });
      context.state.now = now;
      return pass(`The clock moved ${seconds} s forward; the access token has now expired.`, [
        { from: 'clock', to: 'issuer', label: `+${seconds} s`, tone: 'neutral' },
      ]);
    },
  },
  {
    id: 'resource-401',
    chapter: 'rotation',
    title: 'The resource says 401',
    action: 'GET /resource/me again with the now expired access token.',
    rule: {
      text: 'An expired token gets 401 with WWW-Authenticate: Bearer error="invalid_token"; the client should refresh, not retry.',
      cite: 'RFC 6750 §3.1',
    },
    async run(context) {
      const { sent, arrows } = await callResource(context, need(context.state.access, 'the access token'));
      const challenge = sent.exchange.headers['www-authenticate'] ?? '';
      if (sent.exchange.status !== 401 || !challenge.includes('invalid_token')) {
        throw new StepFailure(`expected 401 invalid_token for an expired token, got ${describeError(sent)}`, arrows);
      }
      return pass(`401 with ${challenge}: the token is past its exp.`, arrows);
    },
  },
  {
    id: 'refresh',
    chapter: 'rotation',
    title: 'Refresh: a rotated pair',
    action: 'POST /auth/refresh with the refresh token. An attacker has copied this token before it is used.',
    rule: {
      text: 'On refresh the server issues a new refresh token and marks the presented one as used; the new access token works again.',
      cite: 'RFC 9700 §4.14.2; RFC 6749 §6',
    },
    async run(context) {
      const old = need(context.state.refresh, 'the refresh token');
      const { sent, arrow } = await refresh(context, old, 'client');
      if (sent.exchange.status !== 200) throw new StepFailure(`refresh was refused: ${describeError(sent)}`, arrow);
      const access = str(sent.json.accessToken);
      const next = str(sent.json.refreshToken);
      if (!access || !next) throw new StepFailure('the refresh answer lacks accessToken or refreshToken', arrow);
      if (next === old) throw new StepFailure('the refresh token was not rotated (same value came back)', arrow);
      context.state.stolenRefresh = old;
      context.state.refresh = next;
      context.state.access = access;
      const resource = await callResource(context, access);
      const arrows = [{ from: 'attacker', to: 'client', label: 'copies the refresh token', tone: 'neutral' } as Arrow, ...arrow, ...resource.arrows];
      if (resource.sent.exchange.status !== 200) throw new StepFailure(`the new access token was refused: ${describeError(resource.sent)}`, arrows);
      const family = await familyOf(context, need(context.state.familyId, 'the family'));
      return pass(
        `A new pair: the old refresh token is now “rotated”, the new one is the family’s only live token (${family.liveTokens} live, ${family.rotations} rotation${family.rotations === 1 ? '' : 's'}). The new access token is accepted.`,
        arrows,
        [{ label: 'new access token', token: access }],
      );
    },
  },
  {
    id: 'replay-stolen',
    chapter: 'rotation',
    title: 'Replay the old refresh token (simulated theft)',
    action: 'The attacker presents the refresh token it copied, which has already been rotated.',
    rule: {
      text: 'A rotated refresh token presented again is reuse: the server cannot tell thief from victim, so it revokes the whole family, refresh tokens and their access tokens alike.',
      cite: 'RFC 9700 §4.14.2; OAuth 2.1 draft §4.3.1',
    },
    async run(context) {
      const { sent, arrow } = await refresh(context, need(context.state.stolenRefresh, 'the stolen refresh token'), 'attacker');
      if (sent.exchange.status === 200) throw new StepFailure('the issuer accepted a rotated refresh token: reuse went undetected', arrow);
      if (sent.json.error !== 'invalid_grant') throw new StepFailure(`expected invalid_grant, got ${describeError(sent)}`, arrow);
      const family = await familyOf(context, need(context.state.familyId, 'the family'));
      if (family.status !== 'revoked') throw new StepFailure(`reuse was refused but the family is still ${family.status}`, arrow);
      return pass(
        `Refused with invalid_grant, and the family was revoked (reason: ${family.revokeReason ?? 'unknown'}); ${family.accessTokens} access token(s) of the family are on the deny-list.`,
        [...arrow, { from: 'issuer', to: 'issuer', label: 'reuse detected → family revoked', tone: 'refused' }],
      );
    },
  },
  {
    id: 'both-fail',
    chapter: 'rotation',
    title: 'Stolen and legitimate refresh tokens both fail',
    action: 'The legitimate client refreshes with its current token; the attacker tries again.',
    rule: {
      text: 'Once a family is revoked, every refresh token in it is refused with invalid_grant: the user must authenticate again.',
      cite: 'RFC 6749 §5.2; RFC 9700 §4.14.2',
    },
    async run(context) {
      const legit = await refresh(context, need(context.state.refresh, 'the current refresh token'), 'client');
      const thief = await refresh(context, need(context.state.stolenRefresh, 'the stolen refresh token'), 'attacker');
      const arrows = [...legit.arrow, ...thief.arrow];
      for (const [who, r] of [['legitimate', legit], ['stolen', thief]] as const) {
        if (r.sent.exchange.status === 200 || r.sent.json.error !== 'invalid_grant') {
          throw new StepFailure(`the ${who} refresh token should be refused with invalid_grant, got ${describeError(r.sent)}`, arrows);
        }
      }
      return pass('Both refused with invalid_grant: the family is dead for the thief and for the user alike.', arrows);
    },
  },
  {
    id: 'login-again',
    chapter: 'rotation',
    title: 'Log in again',
    action: 'The user logs in with the password: a new family starts.',
    rule: { text: 'Re-authentication is the only way back after a family is revoked; it starts a new family.', cite: 'RFC 9700 §4.14.2' },
    async run(context) {
      const { sent, arrows } = await login(context);
      const access = str(sent.json.accessToken);
      const refreshToken = str(sent.json.refreshToken);
      if (!access || !refreshToken) throw new StepFailure('the login answer lacks tokens', arrows);
      context.state.access = access;
      context.state.refresh = refreshToken;
      context.state.stolenRefresh = null;
      const family = await newestFamily(context);
      if (family === context.state.firstFamilyId) throw new StepFailure('the new login reused the revoked family', arrows);
      context.state.familyId = family;
      return pass(`Logged in again: new family ${family}.`, arrows, [{ label: 'access token', token: access }]);
    },
  },
  {
    id: 'cache-jwks',
    chapter: 'keys',
    title: 'A verifier caches the JWKS',
    action: 'A separate verifier fetches /jwks once, caches it, and verifies the current access token with it.',
    rule: {
      text: 'Verifiers fetch the issuer’s JWK Set once and choose the key by the token’s kid.',
      cite: 'RFC 7515 §4.1.4; OIDC Core §10.1.1',
    },
    async run(context) {
      const skipped = skippedForSymmetric(context);
      if (skipped) return skipped;
      const jwks = await send(context, 'GET', '/jwks');
      if (jwks.exchange.status !== 200) throw new StepFailure(`GET /jwks failed: ${describeError(jwks)}`);
      context.state.cachedJwks = jwks.exchange.body;
      const access = need(context.state.access, 'the access token');
      const verdict = await verifyLocally(context, access, jwks.exchange.body);
      const arrows: Arrow[] = [
        { from: 'verifier', to: 'issuer', label: 'GET /jwks (then cached)', tone: 'neutral' },
        { from: 'issuer', to: 'verifier', label: `200 ${Array.isArray(jwks.json.keys) ? jwks.json.keys.length : 0} key(s)`, tone: 'ok' },
        { from: 'client', to: 'verifier', label: 'access token', tone: 'neutral' },
        { from: 'verifier', to: 'client', label: verdict.ok ? `valid (kid ${verdict.kid ?? '-'})` : verdict.message, tone: verdict.ok ? 'ok' : 'refused' },
      ];
      if (!verdict.ok) throw new StepFailure(`the verifier rejected a valid token: ${verdict.message}`, arrows);
      context.state.accessBeforeRotation = access;
      return pass(`The verifier cached ${String(Array.isArray(jwks.json.keys) ? jwks.json.keys.length : 0)} key(s) and accepts the token signed by kid ${verdict.kid ?? '-'}.`, arrows);
    },
  },
  {
    id: 'rotate-key',
    chapter: 'keys',
    title: 'Rotate the signing key',
    action: 'The issuer makes a new key current; the client refreshes and receives an access token signed with it.',
    rule: {
      text: 'After a rotation the new key signs; the retired key stays in the JWKS until every token it signed has expired, so those tokens keep verifying.',
      cite: 'OIDC Core §10.1.1; RFC 7517 §5',
    },
    async run(context) {
      const skipped = skippedForSymmetric(context);
      if (skipped) return skipped;
      const rotated = await call(context, 'issuer.rotateKeys', {});
      const { sent, arrow } = await refresh(context, need(context.state.refresh, 'the refresh token'), 'client');
      const arrows: Arrow[] = [{ from: 'issuer', to: 'issuer', label: `rotate keys → ${rotated.current.kid}`, tone: 'neutral' }, ...arrow];
      if (sent.exchange.status !== 200) throw new StepFailure(`refresh after key rotation failed: ${describeError(sent)}`, arrows);
      const access = need(str(sent.json.accessToken), 'the new access token');
      context.state.access = access;
      context.state.refresh = need(str(sent.json.refreshToken), 'the new refresh token');
      const kid = kidOf(access);
      if (kid !== rotated.current.kid) throw new StepFailure(`the new token is signed by ${kid ?? 'no kid'}, not by the new key ${rotated.current.kid}`, arrows);
      const retired = rotated.keys.filter((k) => k.status === 'retired').length;
      return pass(`New signing key ${rotated.current.kid}; ${retired} retired key(s) still published. The fresh access token carries the new kid.`, arrows, [
        { label: 'access token (new key)', token: access },
      ]);
    },
  },
  {
    id: 'unknown-kid',
    chapter: 'keys',
    title: 'The cached JWKS meets an unknown kid',
    action: 'The verifier checks the new token against its cached JWKS, which predates the rotation.',
    rule: {
      text: 'A kid missing from the cached set means the set is stale: refetch it (rate-limited) before rejecting the token.',
      cite: 'OIDC Core §10.1.1; RFC 7517 §4.5',
    },
    async run(context) {
      const skipped = skippedForSymmetric(context);
      if (skipped) return skipped;
      const access = need(context.state.access, 'the access token');
      const verdict = await verifyLocally(context, access, need(context.state.cachedJwks, 'the cached JWKS'));
      const arrows: Arrow[] = [
        { from: 'client', to: 'verifier', label: `access token (kid ${kidOf(access) ?? '-'})`, tone: 'neutral' },
        { from: 'verifier', to: 'client', label: verdict.ok ? 'valid?!' : `rejected: ${verdict.reason ?? verdict.message}`, tone: verdict.ok ? 'ok' : 'refused' },
      ];
      if (verdict.valid) throw new StepFailure('the stale JWKS verified a token signed by a key it cannot contain', arrows);
      if (verdict.reason !== 'no-matching-key') throw new StepFailure(`expected no-matching-key, got ${verdict.reason ?? 'no reason'}: ${verdict.message}`, arrows);
      return pass(`Rejected (${verdict.reason}): ${verdict.message}. A verifier that never refreshes its cache now locks every user out.`, arrows);
    },
  },
  {
    id: 'refetch-jwks',
    chapter: 'keys',
    title: 'Refetch the JWKS',
    action: 'The verifier refetches /jwks, then verifies the new token and the one signed before the rotation.',
    rule: {
      text: 'The fresh set holds the new key and the retired one: both tokens verify.',
      cite: 'OIDC Core §10.1.1',
    },
    async run(context) {
      const skipped = skippedForSymmetric(context);
      if (skipped) return skipped;
      const jwks = await send(context, 'GET', '/jwks');
      context.state.cachedJwks = jwks.exchange.body;
      const fresh = await verifyLocally(context, need(context.state.access, 'the access token'), jwks.exchange.body);
      const before = need(context.state.accessBeforeRotation, 'the token signed before the rotation');
      const old = await verifyLocally(context, before, jwks.exchange.body);
      const arrows: Arrow[] = [
        { from: 'verifier', to: 'issuer', label: 'GET /jwks (kid miss)', tone: 'neutral' },
        { from: 'issuer', to: 'verifier', label: `200 ${Array.isArray(jwks.json.keys) ? jwks.json.keys.length : 0} key(s)`, tone: 'ok' },
        { from: 'verifier', to: 'client', label: `new token: ${fresh.valid ? 'signature valid' : fresh.message}`, tone: fresh.valid ? 'ok' : 'refused' },
        { from: 'verifier', to: 'client', label: `pre-rotation token: ${old.valid ? 'signature valid' : old.message}`, tone: old.valid ? 'ok' : 'refused' },
      ];
      if (!fresh.valid) throw new StepFailure(`the refetched JWKS does not verify the new token: ${fresh.message}`, arrows);
      if (!old.valid) throw new StepFailure(`the retired key was dropped too early: ${old.message}`, arrows);
      return pass('Both signatures verify: the new key is published, and the retired one stays until its tokens expire.', arrows);
    },
  },
  {
    id: 'revoke-access',
    chapter: 'revocation',
    title: 'Revoke the access token’s jti',
    action: 'Introspect the access token (active), then POST /revoke it with token_type_hint=access_token.',
    rule: {
      text: 'Revocation of an access token puts its jti on the issuer’s deny-list; the revocation endpoint answers 200 whatever the token.',
      cite: 'RFC 7009 §2.1–2.2',
    },
    async run(context) {
      const issuer = issuerOf(context);
      const access = need(context.state.access, 'the access token');
      const before = await introspect(context, access, issuer.clients['resource-server'] ?? null);
      const revoked = await send(context, 'POST', '/revoke', { form: { token: access, token_type_hint: 'access_token', client_id: 'workbench' } });
      const arrows: Arrow[] = [
        { from: 'resource', to: 'issuer', label: 'POST /introspect', tone: 'neutral' },
        { from: 'issuer', to: 'resource', label: `{"active": ${String(before.json.active)}}`, tone: before.json.active === true ? 'ok' : 'refused' },
        { from: 'client', to: 'issuer', label: 'POST /revoke (access token)', tone: 'neutral' },
        { from: 'issuer', to: 'client', label: `${revoked.exchange.status}`, tone: revoked.exchange.status === 200 ? 'ok' : 'refused' },
      ];
      if (before.json.active !== true) throw new StepFailure(`introspection should report the token active before revocation, got ${before.exchange.body.slice(0, 200)}`, arrows);
      if (revoked.exchange.status !== 200) throw new StepFailure(`revocation failed: ${describeError(revoked)}`, arrows);
      return pass(`Introspection said active; the token (jti ${jtiOf(access) ?? '-'}) is now revoked.`, arrows);
    },
  },
  {
    id: 'introspection-flips',
    chapter: 'revocation',
    title: 'Introspection flips; local verification still passes',
    action: 'Introspect the revoked token, then verify it locally with the JWKS as a resource server would.',
    rule: {
      text: 'Introspection reports a revoked token as {"active": false}; a self-contained JWT still verifies locally until exp. That is the trade-off: short access-token lifetimes, or a deny-list check where revocation must bite at once.',
      cite: 'RFC 7662 §2.2; RFC 9068 §6',
    },
    async run(context) {
      const issuer = issuerOf(context);
      const access = need(context.state.access, 'the access token');
      const after = await introspect(context, access, issuer.clients['resource-server'] ?? null);
      const arrows: Arrow[] = [
        { from: 'resource', to: 'issuer', label: 'POST /introspect', tone: 'neutral' },
        { from: 'issuer', to: 'resource', label: `{"active": ${String(after.json.active)}}`, tone: after.json.active === false ? 'refused' : 'ok' },
      ];
      if (after.json.active !== false) throw new StepFailure(`introspection should now say inactive, got ${after.exchange.body.slice(0, 200)}`, arrows);
      if (context.state.symmetric) {
        return pass('Introspection now says {"active": false}. (Local verification needs the HMAC secret here; see the key chapter.)', arrows);
      }
      const jwks = await send(context, 'GET', '/jwks');
      const local = await verifyLocally(context, access, jwks.exchange.body);
      arrows.push(
        { from: 'client', to: 'verifier', label: 'same access token', tone: 'neutral' },
        { from: 'verifier', to: 'client', label: local.ok ? 'still valid (signature, iss, exp)' : `rejected: ${local.message}`, tone: local.ok ? 'ok' : 'refused' },
      );
      if (!local.ok) throw new StepFailure(`local verification should still pass, got: ${local.message}`, arrows);
      return pass('Introspection says {"active": false}, yet local verification still accepts the token: only a check against the issuer sees a revocation before exp.', arrows);
    },
  },
  {
    id: 'attacks-enable',
    chapter: 'attacks',
    title: 'Switch on the deliberately naive resource',
    action:
      'Turn on the issuer’s demoVulnerable setting (off by default), which opens GET /resource/naive, a resource that verifies tokens the wrong way; then log in for a genuine access token to forge from.',
    rule: {
      text: 'Every forgery below works against a verifier that lets the token choose how it is checked. The verifier must decide the algorithm and the key itself, from its own configuration.',
      cite: 'RFC 8725 §3.1; RFC 8725 §2.1',
    },
    async run(context) {
      const settings = await call(context, 'issuer.settings.put', { demoVulnerable: true });
      if (!settings.demoVulnerable) throw new StepFailure('the issuer did not turn demoVulnerable on');
      const { sent, arrows } = await login(context);
      const access = str(sent.json.accessToken);
      if (!access) throw new StepFailure('the login answer lacks accessToken (is cookie mode on?)', arrows);
      context.state.access = access;
      const genuine = await send(context, 'GET', NAIVE_PATH, undefined, access);
      arrows.unshift({ from: 'client', to: 'issuer', label: 'settings: demoVulnerable on', tone: 'neutral' });
      arrows.push(
        { from: 'client', to: 'resource', label: `GET ${NAIVE_PATH} (genuine token)`, tone: 'neutral' },
        { from: 'resource', to: 'client', label: genuine.exchange.status === 200 ? '200' : describeError(genuine), tone: genuine.exchange.status === 200 ? 'ok' : 'refused' },
      );
      if (genuine.exchange.status !== 200) throw new StepFailure(`${NAIVE_PATH} should be open and accept a genuine token, got ${describeError(genuine)}`, arrows);
      return pass(
        `demoVulnerable is on (it is off by default): ${NAIVE_PATH} now answers, and accepts the genuine access token (kid ${kidOf(access) ?? '(none)'}). The attacker forges from this token next.`,
        arrows,
        [{ label: 'access token', token: access }],
      );
    },
  },
  {
    id: 'attack-none',
    chapter: 'attacks',
    title: 'alg "none": no signature at all',
    action: 'Forge the access token with alg "none" (in four spellings) and an empty signature; send each to both resources.',
    rule: {
      text: 'The verifier allows only the algorithms it expects (an allow-list, not a case-sensitive block-list of "none"); an unsigned token is refused wherever nothing else protects it.',
      cite: 'RFC 8725 §3.1; RFC 8725 §3.2',
    },
    async run(context) {
      const { arrows, tokens, lines } = await attackBoth(context, await forge(context, 'none'), 'alg-none');
      return pass(
        `Accepted by ${NAIVE_PATH}, because it reads the algorithm from the token and takes "none" (in any letter case) as "nothing to check". Rejected by /resource/me: RFC 8725 §3.1, the key decides the algorithm and "none" is not on its list. ${lines.join('; ')}.`,
        arrows,
        tokens,
      );
    },
  },
  {
    id: 'attack-embedded-jwk',
    chapter: 'attacks',
    title: 'Embedded jwk: the token brings its own key',
    action: 'Sign the access token’s claims with a key the attacker just made, and put its public JWK in the header; send it to both resources.',
    rule: {
      text: 'A verifier trusts only keys it already holds (its issuer’s JWKS), never a key the token carries about itself.',
      cite: 'RFC 8725 §3.10; RFC 7515 §4.1.3',
    },
    async run(context) {
      const { arrows, tokens, lines } = await attackBoth(context, await forge(context, 'embedded-jwk'), 'embedded-jwk');
      return pass(
        `Accepted by ${NAIVE_PATH}, because it verifies with the jwk in the token’s own header, so any key the sender made will do. Rejected by /resource/me: RFC 8725 §3.10, only the issuer’s published keys count. ${lines.join('; ')}. (jku is not played here: it needs the attacker to serve a JWKS at a loopback URL the naive resource fetches, which the Stepper does not host; \`jwtdbg attack jku --url URL\` makes those tokens.)`,
        arrows,
        tokens,
      );
    },
  },
  {
    id: 'attack-key-confusion',
    chapter: 'attacks',
    title: 'Key confusion: the public key as an HMAC secret',
    action: 'Fetch the issuer’s public key from /jwks, then sign the access token’s claims with HS256 using that public key’s PEM as the secret; send it to both resources.',
    rule: {
      text: 'Each key is used with exactly one algorithm, and the key, not the token’s header, decides which: a public key is never an HMAC secret.',
      cite: 'RFC 8725 §2.1; RFC 8725 §3.1',
    },
    async run(context) {
      if (context.state.symmetric) {
        return {
          status: 'skipped',
          summary:
            'The issuer signs with an HMAC secret: there is no public key to confuse with a secret (and whoever can verify can already mint). Start the issuer with RS256, ES256 or EdDSA for this step.',
          arrows: [],
          tokens: [],
        };
      }
      const access = need(context.state.access, 'the access token (step "attacks-enable")');
      const jwks = await send(context, 'GET', '/jwks');
      const keys = Array.isArray(jwks.json.keys) ? (jwks.json.keys as unknown[]) : [];
      const kid = kidOf(access);
      const jwk = keys.find((k) => typeof k === 'object' && k !== null && (k as { kid?: unknown }).kid === kid);
      const fetched: Arrow[] = [
        { from: 'attacker', to: 'issuer', label: 'GET /jwks (public, as anyone may)', tone: 'neutral' },
        { from: 'issuer', to: 'attacker', label: `${jwks.exchange.status} ${keys.length} key(s)`, tone: jwks.exchange.status === 200 ? 'ok' : 'refused' },
      ];
      if (jwks.exchange.status !== 200 || jwk === undefined) throw new StepFailure(`the JWKS has no key with the token’s kid ${kid ?? '(none)'}`, fetched);
      const variants = await forge(context, 'key-confusion', { key: JSON.stringify(jwk) });
      // The naive resource hands HMAC the SPKI PEM as openssl writes it: the generator's pem-as-file form.
      // The other forms (trimmed PEM, PKCS#1, DER, JWK JSON) fit other verifiers' ways of keeping the key.
      const matching = variants.filter((v) => v.variant === 'pem-as-file');
      const { arrows, tokens, lines } = await attackBoth(context, matching, 'hmac-with-public-key');
      return pass(
        `Accepted by ${NAIVE_PATH}, because it lets the header say HS256 and hands its public key’s PEM to HMAC, a “secret” anyone can download. Rejected by /resource/me: RFC 8725 §3.1, the key decides the algorithm, and an ${context.state.issuer?.keys.find((k) => k.status === 'current')?.alg ?? 'asymmetric'} key never verifies HS256. ${lines.join('; ')}. The generator’s other ${variants.length - matching.length} forms of the secret target verifiers that keep the key differently.`,
        [...fetched, ...arrows],
        tokens,
      );
    },
  },
  {
    id: 'attacks-disable',
    chapter: 'attacks',
    title: 'Switch the naive resource off again',
    action: 'Turn demoVulnerable back off and call /resource/naive once more.',
    rule: {
      text: 'The naive resource exists only to show the mistakes; off, it is the same 404 as any unknown path.',
      cite: 'RFC 8725 §3.1',
    },
    async run(context) {
      const settings = await call(context, 'issuer.settings.put', { demoVulnerable: false });
      if (settings.demoVulnerable) throw new StepFailure('the issuer did not turn demoVulnerable off');
      const sent = await send(context, 'GET', NAIVE_PATH, undefined, need(context.state.access, 'the access token'));
      const arrows: Arrow[] = [
        { from: 'client', to: 'issuer', label: 'settings: demoVulnerable off', tone: 'neutral' },
        { from: 'client', to: 'resource', label: `GET ${NAIVE_PATH}`, tone: 'neutral' },
        { from: 'resource', to: 'client', label: describeError(sent), tone: sent.exchange.status === 404 ? 'ok' : 'refused' },
      ];
      if (sent.exchange.status !== 404) throw new StepFailure(`${NAIVE_PATH} should be a 404 again, got ${describeError(sent)}`, arrows);
      return pass(`demoVulnerable is off again: ${NAIVE_PATH} answers ${describeError(sent)}, like any unknown path.`, arrows);
    },
  },
  {
    id: 'dpop-token',
    chapter: 'dpop',
    title: 'A DPoP-bound access token',
    action:
      'The client makes a key pair of its own and POSTs /token (password grant) with a DPoP proof of that request signed by it: first without a nonce, then with the one the issuer hands out.',
    rule: {
      text: 'The token endpoint binds the access token to the proof’s key: token_type DPoP, and cnf.jkt is the key’s RFC 7638 thumbprint. A server may insist on a nonce of its own: it answers use_dpop_nonce with a DPoP-Nonce header, and the client retries with that nonce in a new proof.',
      cite: 'RFC 9449 §5; RFC 9449 §6.1; RFC 9449 §8',
    },
    async run(context) {
      issuerOf(context);
      const key = await dpopKeyPair();
      const { name, password } = context.state.user;
      const form = { grant_type: 'password', client_id: 'workbench', username: name, password };
      const first = await send(context, 'POST', '/token', { form }, undefined, { dpop: await proofFor(context, key, 'POST', '/token') });
      const nonce = first.exchange.headers['dpop-nonce'];
      const arrows: Arrow[] = [
        { from: 'client', to: 'issuer', label: 'POST /token (DPoP proof, no nonce)', tone: 'neutral' },
        { from: 'issuer', to: 'client', label: `${describeError(first)}${nonce ? ' + DPoP-Nonce' : ''}`, tone: first.json.error === 'use_dpop_nonce' ? 'ok' : 'refused' },
      ];
      if (first.exchange.status !== 400 || first.json.error !== 'use_dpop_nonce' || !nonce) {
        throw new StepFailure(`the token endpoint should ask for its nonce (400 use_dpop_nonce with DPoP-Nonce), got ${describeError(first)}`, arrows);
      }
      const proof = await proofFor(context, key, 'POST', '/token', { nonce });
      const second = await send(context, 'POST', '/token', { form }, undefined, { dpop: proof });
      const access = str(second.json.access_token);
      const ok = second.exchange.status === 200 && access !== null;
      arrows.push(
        { from: 'client', to: 'issuer', label: 'POST /token (DPoP proof with the nonce)', tone: 'neutral' },
        { from: 'issuer', to: 'client', label: ok ? `200 ${String(second.json.token_type)} access token (cnf.jkt ${shortJkt(key.thumbprint)})` : describeError(second), tone: ok ? 'ok' : 'refused' },
      );
      if (!ok || access === null) throw new StepFailure(`the token endpoint refused a proof with its nonce: ${describeError(second)}`, arrows, [{ label: 'DPoP proof (POST /token)', token: proof }]);
      const decoded = decodeToken(access);
      const cnf = decoded.ok && typeof decoded.token.payload === 'object' && decoded.token.payload !== null ? (decoded.token.payload as { cnf?: { jkt?: unknown } }).cnf : undefined;
      if (second.json.token_type !== 'DPoP') throw new StepFailure(`token_type should be DPoP, got ${String(second.json.token_type)}`, arrows);
      if (cnf?.jkt !== key.thumbprint) throw new StepFailure('the access token’s cnf.jkt is not the thumbprint of the client’s proof key', arrows);
      context.state.dpopKey = key;
      context.state.dpopAccess = access;
      context.state.dpopNonce = second.exchange.headers['dpop-nonce'] ?? nonce;
      context.state.dpopProof = null;
      return pass(
        `The issuer asked for its nonce, then issued a DPoP access token bound to the client’s key: cnf.jkt ${key.thumbprint}, the thumbprint of the jwk in the client’s proofs.`,
        arrows,
        [
          { label: 'DPoP proof (POST /token)', token: proof },
          { label: 'DPoP-bound access token', token: access },
        ],
      );
    },
  },
  {
    id: 'dpop-resource',
    chapter: 'dpop',
    title: 'Call the resource with the bound token and a proof',
    action: 'GET /resource/me with Authorization: DPoP and a new proof of this request (htm GET, its htu, ath = hash of the token, the nonce), signed by the client’s key.',
    rule: {
      text: 'A resource accepts a DPoP-bound token only with the DPoP scheme and a proof of this very request by the key cnf.jkt names, carrying ath, the base64url SHA-256 of the access token.',
      cite: 'RFC 9449 §7.1; RFC 9449 §4.3',
    },
    async run(context) {
      const key = need(context.state.dpopKey, 'the client’s DPoP key (step "dpop-token")');
      const access = need(context.state.dpopAccess, 'the DPoP-bound access token (step "dpop-token")');
      const { sent, arrows, proof } = await dpopResource(context, key, access, 'client', 'proof by the bound key');
      if (sent.exchange.status !== 200) throw new StepFailure(`the resource refused the rightful client: ${describeError(sent)}`, arrows, [{ label: 'DPoP proof (GET /resource/me)', token: proof }]);
      const jkt = (sent.json.cnf as { jkt?: unknown } | undefined)?.jkt;
      if (jkt !== key.thumbprint) throw new StepFailure('the resource accepted the token but does not report its binding (cnf.jkt)', arrows);
      context.state.dpopProof = proof;
      return pass(`200: the proof verifies under its jwk, matches GET ${endpointUrl(context, '/resource/me')}, carries the token’s hash and the nonce, and its key is the one cnf.jkt names.`, arrows, [
        { label: 'DPoP proof (GET /resource/me)', token: proof },
      ]);
    },
  },
  {
    id: 'dpop-stolen',
    chapter: 'dpop',
    title: 'A stolen bound token is useless without the key',
    action: 'An attacker who copied the access token (and the proof sent with it) tries it: as a Bearer token, with a DPoP proof signed by a key of its own, and by replaying the client’s proof.',
    rule: {
      text: 'A DPoP-bound token is sender-constrained: as a Bearer token it is refused, and a proof by any key but the one cnf.jkt names fails; a proof is good for one request (its jti), so a copied proof cannot be replayed.',
      cite: 'RFC 9449 §7; RFC 9449 §11.1',
    },
    async run(context) {
      const access = need(context.state.dpopAccess, 'the DPoP-bound access token (step "dpop-token")');
      const copied = need(context.state.dpopProof, 'the proof the resource accepted (step "dpop-resource")');
      const arrows: Arrow[] = [{ from: 'attacker', to: 'client', label: 'copies the access token and its proof', tone: 'neutral' }];
      const lines: string[] = [];

      const bearer = await send(context, 'GET', '/resource/me', undefined, access);
      const challenge = bearer.exchange.headers['www-authenticate'] ?? '';
      arrows.push(
        { from: 'attacker', to: 'resource', label: 'GET /resource/me (Bearer stolen token)', tone: 'neutral' },
        { from: 'resource', to: 'attacker', label: describeError(bearer), tone: bearer.exchange.status === 401 ? 'ok' : 'refused' },
      );
      if (bearer.exchange.status !== 401 || !/^DPoP /.test(challenge)) throw new StepFailure(`as a Bearer token the bound token should get 401 with a DPoP challenge, got ${describeError(bearer)}`, arrows);
      lines.push(`as Bearer: ${describeError(bearer)}`);

      const thiefKey = await dpopKeyPair();
      const own = await dpopResource(context, thiefKey, access, 'attacker', 'proof by the attacker’s own key');
      arrows.push(...own.arrows);
      const ownDescription = str(own.sent.json.error_description) ?? '';
      if (own.sent.exchange.status !== 401 || own.sent.json.error !== 'invalid_dpop_proof' || !ownDescription.includes('cnf-jkt')) {
        throw new StepFailure(`a proof by another key should get 401 invalid_dpop_proof (cnf-jkt), got ${describeError(own.sent)}`, arrows, [{ label: 'attacker’s DPoP proof', token: own.proof }]);
      }
      lines.push(`own key (jkt ${shortJkt(thiefKey.thumbprint)}): ${describeError(own.sent)}`);

      const replay = await send(context, 'GET', '/resource/me', undefined, undefined, { authorization: `DPoP ${access}`, dpop: copied });
      arrows.push(
        { from: 'attacker', to: 'resource', label: 'GET /resource/me (DPoP, the client’s proof replayed)', tone: 'neutral' },
        { from: 'resource', to: 'attacker', label: describeError(replay), tone: replay.exchange.status === 401 ? 'ok' : 'refused' },
      );
      if (replay.exchange.status !== 401) throw new StepFailure(`a replayed proof should get 401, got ${describeError(replay)}`, arrows);
      lines.push(`replayed proof: ${describeError(replay)}`);

      return pass(
        `All three refused with 401: the token is bound to the client’s key (cnf.jkt ${shortJkt(need(context.state.dpopKey, 'the client’s key').thumbprint)}), and only that key can make a fresh proof. ${lines.join('; ')}.`,
        arrows,
        [{ label: 'attacker’s DPoP proof', token: own.proof }],
      );
    },
  },
];

async function introspect(context: StepContext, token: string, secret: string | null): Promise<Sent> {
  if (secret === null) throw new StepFailure('the issuer has no confidential resource-server client to introspect with');
  return send(context, 'POST', '/introspect', { form: { token, client_id: 'resource-server', client_secret: secret } });
}

export function stepById(id: string): StepDefinition | undefined {
  return STEPS.find((step) => step.id === id);
}

/** Runs one step; never throws: a failure of any kind is a `failed` outcome saying why. */
export async function runStep(step: StepDefinition, context: StepContext): Promise<StepOutcome> {
  try {
    return await step.run(context);
  } catch (error) {
    if (error instanceof StepFailure) return { status: 'failed', summary: error.message, arrows: error.arrows, tokens: error.tokens };
    return { status: 'failed', summary: `unexpected error: ${error instanceof Error ? error.message : String(error)}`, arrows: [], tokens: [] };
  }
}

export interface ScriptedRun {
  id: string;
  outcome: StepOutcome;
}

/** The scripted run: every step in order, stopping at the first failure (later steps build on earlier ones). */
export async function runAll(context: StepContext, onStep?: (run: ScriptedRun) => void): Promise<ScriptedRun[]> {
  const runs: ScriptedRun[] = [];
  for (const step of STEPS) {
    const outcome = await runStep(step, context);
    const run = { id: step.id, outcome };
    runs.push(run);
    onStep?.(run);
    if (outcome.status === 'failed') break;
  }
  return runs;
}
