/**
 * The issuer's core: its state (users, clients, families, codes, deny-list, keys, settings) and every grant
 * and decision, independent of HTTP. Routes parse requests and call in here; errors come out as HttpError.
 */
import { randomBytes } from 'node:crypto';
import { toSeconds } from './clock';
import type { Clock } from './clock';
import { redirectUriProblem } from './clients';
import type { Client, ClientRegistry } from './clients';
import { invalidGrant, invalidRequest, invalidScope, tooManyRequests, unauthorizedClient } from './errors';
import { FamilyRegistry } from './families';
import type { Family, FamilyEndReason, RefreshTokenRecord } from './families';
import type { KeyRing } from './keyring';
import type { IssuerLog } from './log';
import { RateLimiter } from './rate-limit';
import { rotateRefreshToken } from './rotation';
import type { RefreshRefused } from './rotation';
import type { IssuerSettings, RateLimitRule } from './settings';
import { TokenMinter, mintOpaqueToken, randomToken, sha256, tokenLabel, verifyAccessToken } from './tokens';
import { DpopGate, dpopJkt } from './dpop';
import type { AccessTokenCheck, AccessTokenClaims } from './tokens';
import { claimsForScope } from './users';
import type { User, UserRegistry } from './users';

export interface TokenSet {
  accessToken: string;
  expiresIn: number;
  scope: string[];
  refreshToken: string | null;
  /** Seconds until the refresh token expires (idle lifetime, capped by the absolute one). */
  refreshExpiresIn: number | null;
  idToken: string | null;
  familyId: string | null;
}

export interface AuthorizationCode {
  clientId: string;
  redirectUri: string;
  scope: string[];
  sub: string;
  authTime: number;
  nonce: string | null;
  codeChallenge: string | null;
  expiresAt: number;
  /** Set once redeemed: a second redemption revokes this family (RFC 6749 §4.1.2). */
  redeemedFamily: string | null;
  redeemed: boolean;
}

export interface PendingAuthorization {
  clientId: string;
  redirectUri: string;
  scope: string[];
  state: string | null;
  nonce: string | null;
  codeChallenge: string;
  createdAt: number;
}

/** Persisted state that lives outside the family and user registries. */
export type PersistedPart = 'settings' | 'clock' | 'keys';

export interface IssuerCoreDeps {
  issuer: string;
  clock: Clock;
  settings: IssuerSettings;
  keys: KeyRing;
  users: UserRegistry;
  clients: ClientRegistry;
  log: IssuerLog;
  /**
   * Told when settings, the clock or the signing keys change. Families and users report their own changes
   * (their registries' listeners): every mutation of them goes through the registry.
   */
  onChange?: (part: PersistedPart) => void;
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const PKCE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;
const MAX_PENDING = 1000;
const PENDING_TTL_MS = 10 * 60 * 1000;
const MAX_DEVICE_ID = 256;
const MAX_USERNAME = 256;
/** How many times the per-name login budget one client address gets over all names. */
const LOGIN_NAMES_PER_ADDRESS = 10;

/** RFC 6749 §3.3: space-delimited scope tokens; null when the parameter is absent. */
export function parseScope(value: string | null | undefined): string[] | null {
  if (value === null || value === undefined) return null;
  const scopes: string[] = [];
  for (const token of value.split(' ')) {
    if (token === '') continue;
    if (!SCOPE_TOKEN.test(token) || token.length > 128) throw invalidScope('scope contains characters RFC 6749 §3.3 does not allow');
    if (!scopes.includes(token)) scopes.push(token);
  }
  if (scopes.length > 64) throw invalidScope('too many scopes');
  return scopes;
}

export class IssuerCore {
  readonly issuer: string;
  readonly clock: Clock;
  settings: IssuerSettings;
  readonly keys: KeyRing;
  readonly users: UserRegistry;
  readonly clients: ClientRegistry;
  readonly families = new FamilyRegistry();
  readonly log: IssuerLog;
  readonly limiter = new RateLimiter();
  readonly minter: TokenMinter;
  /** DPoP proofs (RFC 9449): this issuer's nonces and the proofs already seen. */
  readonly dpop = new DpopGate(() => this.now());
  private readonly codes = new Map<string, AuthorizationCode>();
  private readonly pending = new Map<string, PendingAuthorization>();
  private readonly onChange: (part: PersistedPart) => void;

  constructor(deps: IssuerCoreDeps) {
    this.issuer = deps.issuer;
    this.clock = deps.clock;
    this.settings = deps.settings;
    this.keys = deps.keys;
    this.users = deps.users;
    this.clients = deps.clients;
    this.log = deps.log;
    this.onChange = deps.onChange ?? (() => {});
    this.minter = new TokenMinter(this.issuer, this.keys);
  }

  now(): number {
    return this.clock.now();
  }

  changed(part: PersistedPart): void {
    this.onChange(part);
  }

  /** `aud` of access tokens. */
  audience(): string {
    return this.settings.audience ?? `${this.issuer.replace(/\/$/, '')}/resource`;
  }

  /** The longest any token signed now could live (ms): how long a retired key must stay published. */
  maxTokenTtlMs(): number {
    return Math.max(this.settings.accessTokenTtl, this.settings.idTokenTtl) * 1000;
  }

  // ---------------------------------------------------------------- rate limits

  /**
   * Counts a password attempt; throws 429 when over the limit. Keyed on the user name AND the client address,
   * so that guessing from one address cannot lock the user out at another; the address alone gets ten times
   * the budget, which still stops one address from trying many names.
   */
  limitLogin(username: string, ip: string): void {
    const rule = this.settings.rateLimits.login;
    const perAddress = { max: rule.max * LOGIN_NAMES_PER_ADDRESS, windowSeconds: rule.windowSeconds };
    // JSON-encoded: no user name can make its pair collide with another (names may contain ':' or '@').
    this.limit('login', [[`login:${JSON.stringify([ip, username])}`, rule], [`login:ip:${ip}`, perAddress]], { user: username.slice(0, 64) });
  }

  limitToken(ip: string): void {
    this.limit('token', [[`token:ip:${ip}`, this.settings.rateLimits.token]]);
  }

  private limit(kind: string, limits: Array<[string, RateLimitRule]>, details: Record<string, string> = {}): void {
    const decision = this.limiter.take(limits, this.now());
    if (!decision.allowed) {
      this.log.warn('rate-limited', `${kind} rate limit reached; retry after ${decision.retryAfterSeconds} s`, { ...details, retryAfter: decision.retryAfterSeconds });
      throw tooManyRequests(decision.retryAfterSeconds);
    }
  }

  // ---------------------------------------------------------------- scopes and clients

  /** The scope a grant gives: the asked one if the client may have it all, else invalid_scope. */
  resolveScope(client: Client, requested: string[] | null): string[] {
    if (requested === null || requested.length === 0) return [...client.defaultScope];
    const refused = requested.filter((s) => !client.scopes.has(s));
    if (refused.length > 0) throw invalidScope(`scope not allowed for this client: ${refused.join(' ').slice(0, 200)}`);
    return requested;
  }

  requireGrant(client: Client, grant: 'authorization_code' | 'refresh_token' | 'password' | 'client_credentials'): void {
    if (!client.grants.has(grant)) throw unauthorizedClient(`client ${client.id} may not use the ${grant} grant`);
  }

  deviceHash(deviceId: string | null | undefined): string | null {
    if (deviceId === null || deviceId === undefined || deviceId === '') return null;
    if (deviceId.length > MAX_DEVICE_ID) throw invalidRequest('device id is too long');
    return sha256(deviceId);
  }

  // ---------------------------------------------------------------- grants

  /** Checks a user name and password (rate limited). Throws invalid_grant for wrong credentials. */
  async authenticateUser(username: string | null, password: string | null, ip: string): Promise<User> {
    if (!username || !password) throw invalidRequest('username and password are required');
    if (username.length > MAX_USERNAME) throw invalidRequest('username is too long');
    this.limitLogin(username, ip);
    const user = await this.users.authenticate(username, password);
    if (!user) {
      this.log.warn('login.failed', 'wrong user name or password', { user: username.slice(0, 64), ip });
      throw invalidGrant('wrong user name or password');
    }
    return user;
  }

  /** A login (password grant, /auth/login, or a redeemed code): starts a family and issues its tokens. */
  async issueForUser(params: {
    user: User;
    client: Client;
    scope: string[];
    authTime: number;
    deviceId: string | null;
    nonce?: string | null;
    grant: string;
    /** RFC 9449: the thumbprint of the DPoP proof key the request came with; the access token is bound to it. */
    jkt?: string | null;
    /** Told the new family's id at once (before any await), e.g. to tie it to the code it came from. */
    onFamily?: (familyId: string) => void;
  }): Promise<TokenSet> {
    const { user, client, scope } = params;
    const now = this.now();
    const deviceHash = this.deviceHash(params.deviceId);
    let family: Family | null = null;
    let refreshToken: string | null = null;
    let refreshRecord: RefreshTokenRecord | null = null;
    if (client.grants.has('refresh_token')) {
      const minted = mintOpaqueToken();
      ({ family, record: refreshRecord } = this.families.create(
        { sub: user.name, clientId: client.id, scope, deviceHash, authTime: params.authTime },
        { refreshTtlMs: this.settings.refreshTokenTtl * 1000, absoluteTtlMs: this.settings.refreshAbsoluteTtl * 1000 },
        now,
        minted,
      ));
      refreshToken = minted.token;
      params.onFamily?.(family.id);
      for (const ended of this.families.limitFamilies(user.name, this.settings.maxFamiliesPerUser, now)) {
        this.log.info('family.evicted', `user ${user.name} has more than ${this.settings.maxFamiliesPerUser} families: oldest ended`, { family: ended });
      }
    }
    const tokens = await this.mintTokens({ user, client, scope, family, authTime: params.authTime, nonce: params.nonce ?? null, jkt: params.jkt ?? null, now });
    this.log.info('login', `${params.grant}: ${user.name} logged in via ${client.id}`, {
      user: user.name, client: client.id, family: family?.id ?? null, token: refreshRecord ? tokenLabel(refreshRecord.hash) : null, device: deviceHash !== null,
    });
    return {
      ...tokens,
      refreshToken,
      refreshExpiresIn: refreshRecord ? Math.max(0, Math.floor((refreshRecord.expiresAt - now) / 1000)) : null,
      familyId: family?.id ?? null,
    };
  }

  /** The refresh_token grant: the rotation state machine, then new tokens. */
  async refresh(params: { client: Client; refreshToken: string | null; scope: string[] | null; deviceId: string | null; ip: string; jkt?: string | null }): Promise<TokenSet> {
    const { client } = params;
    if (!params.refreshToken) throw invalidRequest('refresh_token is required');
    this.requireGrant(client, 'refresh_token');
    this.limitToken(params.ip);
    const now = this.now();
    const tokenHash = sha256(params.refreshToken);
    // From here to the end of rotateRefreshToken: no await, so parallel refreshes see each other's writes.
    const outcome = rotateRefreshToken(
      this.families,
      { tokenHash, clientId: client.id, scope: params.scope, deviceHash: this.deviceHash(params.deviceId) },
      {
        rotation: this.settings.rotation,
        graceWindowMs: this.settings.graceWindow * 1000,
        refreshTtlMs: this.settings.refreshTokenTtl * 1000,
        maxRotations: this.settings.maxRotationsPerFamily,
      },
      now,
      mintOpaqueToken,
    );
    if (!outcome.ok) {
      this.logRefusal(outcome, tokenHash, client);
      throw outcome.error === 'invalid_scope' ? invalidScope(outcome.description) : invalidGrant(outcome.description);
    }
    const { family, issued } = outcome;
    const user = this.users.get(family.sub);
    if (!user) {
      this.families.revoke(family, 'revoked', now);
      throw invalidGrant('the user of this refresh token no longer exists');
    }
    const tokens = await this.mintTokens({ user, client, scope: outcome.scope, family, authTime: family.authTime, nonce: null, jkt: params.jkt ?? null, now });
    this.log.info(
      issued ? 'refresh.rotated' : 'refresh.accepted',
      issued
        ? `refresh token rotated${outcome.withinGrace ? ' (replaced token presented again inside the grace window)' : ''}`
        : 'refresh accepted without rotation (rotation is off)',
      {
        user: family.sub, client: client.id, family: family.id, token: tokenLabel(tokenHash),
        child: issued ? tokenLabel(issued.record.hash) : null, superseded: outcome.superseded ? tokenLabel(outcome.superseded.hash) : null,
      },
    );
    const live = issued?.record ?? outcome.presented;
    return {
      ...tokens,
      refreshToken: issued ? issued.token : null,
      refreshExpiresIn: Math.max(0, Math.floor((live.expiresAt - now) / 1000)),
      familyId: family.id,
    };
  }

  private logRefusal(outcome: RefreshRefused, tokenHash: string, client: Client): void {
    const details = { reason: outcome.reason, client: client.id, token: tokenLabel(tokenHash), family: outcome.family?.id ?? null, user: outcome.family?.sub ?? null };
    if (outcome.reason === 'reuse-detected') {
      this.log.warn('refresh.reuse-detected', `reuse of a rotated refresh token: family revoked, ${outcome.deniedJtis} access token(s) denied`, details);
    } else if (outcome.reason === 'device-mismatch') {
      this.log.warn('refresh.device-mismatch', 'refresh token presented from another device: refused', details);
    } else {
      this.log.info('refresh.refused', outcome.description, details);
    }
  }

  async clientCredentials(client: Client, scope: string[] | null, jkt: string | null = null): Promise<TokenSet> {
    this.requireGrant(client, 'client_credentials');
    const granted = this.resolveScope(client, scope);
    const now = this.now();
    const prepared = this.minter.prepareAccessToken(
      { sub: client.id, clientId: client.id, scope: granted, audience: this.audience(), ttlSeconds: this.settings.accessTokenTtl, ...(jkt !== null && { jkt }) },
      now,
    );
    const accessToken = await prepared.sign();
    this.log.info('client-credentials', `access token for client ${client.id}`, { client: client.id });
    return { accessToken, expiresIn: this.settings.accessTokenTtl, scope: granted, refreshToken: null, refreshExpiresIn: null, idToken: null, familyId: null };
  }

  /** Access token (and ID token when `openid` is in scope) for a user, its jti noted in the family first. */
  private async mintTokens(p: { user: User; client: Client; scope: string[]; family: Family | null; authTime: number; nonce: string | null; jkt: string | null; now: number }): Promise<Omit<TokenSet, 'refreshToken' | 'refreshExpiresIn' | 'familyId'>> {
    const claims = claimsForScope(p.user.claims, p.scope);
    const prepared = this.minter.prepareAccessToken(
      {
        sub: p.user.name, clientId: p.client.id, scope: p.scope, audience: this.audience(), ttlSeconds: this.settings.accessTokenTtl,
        authTime: p.authTime, ver: p.user.ver, ...(p.family && { sid: p.family.id }), ...(p.jkt !== null && { jkt: p.jkt }), claims,
      },
      p.now,
    );
    // Noted before signing: should the family be revoked while we sign, this token is denied with it.
    if (p.family) this.families.noteAccessToken(p.family, prepared.jti, prepared.expMs, p.now);
    const accessToken = await prepared.sign();
    let idToken: string | null = null;
    if (p.scope.includes('openid')) {
      idToken = await this.minter.idToken(
        {
          sub: p.user.name, clientId: p.client.id, ttlSeconds: this.settings.idTokenTtl, authTime: p.authTime,
          ...(p.nonce !== null && { nonce: p.nonce }), ...(p.family && { sid: p.family.id }), accessToken, claims,
        },
        p.now,
      );
    }
    return { accessToken, expiresIn: this.settings.accessTokenTtl, scope: p.scope, idToken };
  }

  // ---------------------------------------------------------------- authorization code + PKCE

  /** Remembers a validated /authorize request while the user fills in the login form. */
  addPending(request: PendingAuthorization): string {
    const id = randomBytes(18).toString('base64url');
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    this.pending.set(id, request);
    return id;
  }

  getPending(id: string): PendingAuthorization | undefined {
    const pending = this.pending.get(id);
    if (pending && this.now() - pending.createdAt > PENDING_TTL_MS) {
      this.pending.delete(id);
      return undefined;
    }
    return pending;
  }

  /** The login form succeeded: a one-time code for the client. */
  issueCode(requestId: string, pending: PendingAuthorization, user: User): string {
    this.pending.delete(requestId);
    const now = this.now();
    const code = randomToken();
    this.codes.set(sha256(code), {
      clientId: pending.clientId,
      redirectUri: pending.redirectUri,
      scope: pending.scope,
      sub: user.name,
      authTime: toSeconds(now),
      nonce: pending.nonce,
      codeChallenge: pending.codeChallenge,
      expiresAt: now + this.settings.authCodeTtl * 1000,
      redeemedFamily: null,
      redeemed: false,
    });
    this.log.info('authorize.code', `code issued to ${pending.clientId} for ${user.name}`, { user: user.name, client: pending.clientId });
    return code;
  }

  async redeemCode(params: { client: Client; code: string | null; redirectUri: string | null; codeVerifier: string | null; ip: string; jkt?: string | null }): Promise<TokenSet> {
    const { client } = params;
    this.requireGrant(client, 'authorization_code');
    if (!params.code) throw invalidRequest('code is required');
    const uriProblem = params.redirectUri === null ? null : redirectUriProblem(params.redirectUri);
    if (uriProblem !== null) throw invalidRequest(`redirect_uri ${uriProblem}`);
    this.limitToken(params.ip);
    const now = this.now();
    const hash = sha256(params.code);
    const code = this.codes.get(hash);
    if (!code || now >= code.expiresAt) throw invalidGrant('authorization code is unknown or expired');
    if (code.redeemed) {
      const family = code.redeemedFamily ? this.families.family(code.redeemedFamily) : undefined;
      if (family) this.families.revoke(family, 'code-reuse', now);
      this.log.warn('authorize.code-reuse', 'authorization code redeemed twice: tokens issued from it are revoked', { client: client.id, family: family?.id ?? null });
      throw invalidGrant('authorization code was already used');
    }
    if (code.clientId !== client.id) throw invalidGrant('authorization code was issued to another client');
    if (params.redirectUri !== code.redirectUri) throw invalidGrant('redirect_uri does not match the authorization request');
    if (code.codeChallenge !== null) {
      if (!params.codeVerifier) throw invalidGrant('code_verifier is required (PKCE)');
      if (!PKCE_VERIFIER.test(params.codeVerifier)) throw invalidGrant('code_verifier must be 43–128 characters of [A-Za-z0-9-._~]');
      if (sha256(params.codeVerifier) !== code.codeChallenge) throw invalidGrant('code_verifier does not match the code_challenge');
    } else if (params.codeVerifier) {
      throw invalidGrant('code_verifier sent for an authorization request without code_challenge');
    }
    code.redeemed = true;
    const user = this.users.get(code.sub);
    if (!user) throw invalidGrant('the user of this code no longer exists');
    return this.issueForUser({
      user, client, scope: code.scope, authTime: code.authTime, deviceId: null, nonce: code.nonce, grant: 'authorization_code', jkt: params.jkt ?? null,
      // Set before the tokens are signed: a second redemption racing this one must find the family to revoke.
      onFamily: (id) => (code.redeemedFamily = id),
    });
  }

  // ---------------------------------------------------------------- verification, revocation, introspection

  /** Verifies one of our access tokens; `strict` also applies the deny-list and the user's token version. */
  async checkAccessToken(token: string, options: { audience?: string; denyList: boolean; version: boolean }): Promise<AccessTokenCheck> {
    const now = this.now();
    const check = await verifyAccessToken(token, { issuer: this.issuer, keys: this.keys, now, ...(options.audience !== undefined && { audience: options.audience }) });
    if (!check.ok) return check;
    if (options.denyList && this.families.isDenied(check.payload.jti)) {
      return { ok: false, problem: 'revoked', description: 'access token has been revoked' };
    }
    if (options.version && typeof check.payload.ver === 'number') {
      const user = this.users.get(check.payload.sub);
      if (user && check.payload.ver < user.ver) {
        return { ok: false, problem: 'stale-version', description: `access token version ${check.payload.ver} is older than the user's (${user.ver}): logged out or permissions changed` };
      }
    }
    return check;
  }

  /** RFC 7009. Unknown or invalid tokens are not an error. Refresh token → its family; access token → deny-list. */
  async revoke(client: Client, token: string, hint: string | null): Promise<void> {
    const now = this.now();
    const looksLikeJwt = token.includes('.');
    if (!looksLikeJwt || hint === 'refresh_token') {
      const record = this.families.findToken(sha256(token));
      const family = record ? this.families.family(record.familyId) : undefined;
      if (record && family) {
        if (family.clientId !== client.id) throw unauthorizedClient('token was issued to another client');
        const { deniedJtis } = this.families.revoke(family, 'revoked', now);
        this.log.info('revoke.refresh', `refresh token revoked: family ${family.id} and ${deniedJtis} access token(s)`, { client: client.id, family: family.id, token: tokenLabel(record.hash) });
        return;
      }
    }
    if (looksLikeJwt) {
      const check = await this.checkAccessToken(token, { denyList: false, version: false });
      if (!check.ok) return;
      if (check.payload.client_id !== client.id) throw unauthorizedClient('token was issued to another client');
      this.families.denyAccessToken(check.payload.jti, check.payload.exp * 1000, now);
      this.log.info('revoke.access', 'access token jti added to the deny-list', { client: client.id, jti: check.payload.jti });
    }
  }

  /** RFC 7662 §2.2: `{active: false}` for anything revoked, expired, unknown or not ours. */
  async introspect(token: string): Promise<Record<string, unknown>> {
    const now = this.now();
    if (!token.includes('.')) {
      const record = this.families.findToken(sha256(token));
      const family = record ? this.families.family(record.familyId) : undefined;
      if (!record || !family || record.state !== 'active' || family.revokedAt !== null || now >= record.expiresAt) return { active: false };
      return {
        active: true, token_type: 'refresh_token', scope: family.scope.join(' '), client_id: family.clientId, username: family.sub,
        sub: family.sub, iss: this.issuer, iat: toSeconds(record.issuedAt), exp: toSeconds(record.expiresAt),
      };
    }
    const check = await this.checkAccessToken(token, { denyList: true, version: true });
    if (!check.ok) return { active: false };
    const p: AccessTokenClaims = check.payload;
    const bound = dpopJkt(p);
    return {
      // RFC 9449 §6.2: a DPoP-bound token says so, with the key it is bound to.
      ...(bound !== null && { cnf: { jkt: bound } }),
      active: true, token_type: bound !== null ? 'DPoP' : 'Bearer', scope: p.scope, client_id: p.client_id, username: p.sub, sub: p.sub,
      aud: p.aud, iss: p.iss, exp: p.exp, iat: p.iat, jti: p.jti, ...(p.sid !== undefined && { sid: p.sid }),
    };
  }

  /** Logout: every family of the user revoked, and the token version bumped so access tokens stop working. */
  logout(sub: string, reason: FamilyEndReason = 'logout'): { revokedFamilies: number; ver: number | null } {
    const now = this.now();
    const revokedFamilies = this.families.revokeUser(sub, reason, now);
    const ver = this.users.bumpVersion(sub, now);
    this.log.info('logout', `${sub}: ${revokedFamilies} famil${revokedFamilies === 1 ? 'y' : 'ies'} revoked, token version now ${ver}`, { user: sub, families: revokedFamilies });
    return { revokedFamilies, ver };
  }

  /** The user a refresh token belongs to (for logout), without consuming it. */
  subjectOfRefreshToken(token: string, clientId: string): string | null {
    const record = this.families.findToken(sha256(token));
    const family = record ? this.families.family(record.familyId) : undefined;
    return family && family.clientId === clientId ? family.sub : null;
  }

  // ---------------------------------------------------------------- housekeeping

  /** Drops ended families, lapsed keys, expired codes and deny-list entries. */
  sweep(): void {
    const now = this.now();
    const dropped = this.families.sweep(now);
    const keysDropped = this.keys.sweep(now);
    this.limiter.sweep(now);
    for (const [hash, code] of this.codes) if (now >= code.expiresAt + PENDING_TTL_MS) this.codes.delete(hash);
    for (const [id, pending] of this.pending) if (now - pending.createdAt > PENDING_TTL_MS) this.pending.delete(id);
    if (keysDropped.length > 0) this.changed('keys');
    if (dropped.length > 0 || keysDropped.length > 0) {
      this.log.info('sweep', `${dropped.length} ended famil${dropped.length === 1 ? 'y' : 'ies'} dropped, ${keysDropped.length} retired key(s) unpublished`, {
        families: dropped.length, keys: keysDropped.join(' ') || null,
      });
    }
  }
}
