/**
 * The dev control plane: the clock, key rotation, families, users and settings, as plain methods (for the app
 * to call in-process) and as JSON routes on their own loopback listener, behind a Bearer secret. Requests from
 * browsers (any Origin header) and for a foreign Host (DNS rebinding) are refused before the secret is looked at.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ClockError, toSeconds } from './clock';
import type { Clock } from './clock';
import { HttpError } from './errors';
import type { Family, RefreshTokenRecord } from './families';
import { bearerToken, readJson, sendJson } from './http';
import type { RequestContext } from './http';
import type { IssuerCore } from './issuer';
import type { IssuerKeyInfo } from './keyring';
import type { IssuerLogEntry } from './log';
import type { RouteDef } from './router';
import { SettingsError, applySettingsPatch } from './settings';
import type { IssuerSettings } from './settings';
import { tokenLabel } from './tokens';
import { UserError, viewOf } from './users';
import type { UserView } from './users';

/** A clock the control plane can move (VirtualClock is one). */
export interface AdjustableClock extends Clock {
  advance(seconds: number): number;
  set(numericDate: number): number;
  /** Back to real time (offset 0). A clock without it is set to the real time instead. */
  reset?(): number;
}

export function isAdjustable(clock: Clock): clock is AdjustableClock {
  const c = clock as Partial<AdjustableClock>;
  return typeof c.advance === 'function' && typeof c.set === 'function';
}

// The views the control plane returns are the contract's types: one definition for host, routes and UI.
export type {
  IssuerRefreshTokenView as RefreshTokenView,
  IssuerFamilyView as FamilyView,
} from '../../../shared/contract/issuer';
import type { IssuerFamilyView as FamilyView, IssuerRefreshTokenView as RefreshTokenView } from '../../../shared/contract/issuer';

const SHOWN_TOKENS = 50;

export class IssuerControl {
  constructor(private readonly core: IssuerCore) {}

  clock(): { now: number; adjustable: boolean } {
    return { now: toSeconds(this.core.now()), adjustable: isAdjustable(this.core.clock) };
  }

  /** `{advance: seconds}`, `{set: NumericDate}` or `{reset: true}` (back to real time). */
  adjustClock(change: Record<string, unknown>): { now: number; adjustable: boolean } {
    const clock = this.core.clock;
    if (!isAdjustable(clock)) throw new HttpError(409, 'conflict', 'this issuer runs on a clock that cannot be moved');
    const keys = Object.keys(change);
    if (keys.length !== 1 || (keys[0] !== 'advance' && keys[0] !== 'set' && keys[0] !== 'reset')) {
      throw new HttpError(400, 'invalid_request', 'send exactly one of {"advance": seconds}, {"set": NumericDate} or {"reset": true}');
    }
    const value = change[keys[0]!];
    if (keys[0] === 'reset' ? value !== true : typeof value !== 'number') {
      throw new HttpError(400, 'invalid_request', keys[0] === 'reset' ? 'reset must be true' : `${keys[0]} must be a number`);
    }
    const before = clock.now();
    try {
      if (keys[0] === 'advance') clock.advance(value as number);
      else if (keys[0] === 'set') clock.set(value as number);
      else if (clock.reset) clock.reset();
      else clock.set(toSeconds(Date.now()));
    } catch (error) {
      if (error instanceof ClockError) throw new HttpError(400, 'invalid_request', error.message);
      throw error;
    }
    const after = clock.now();
    // Rate-limit budgets computed in the future would otherwise block for as long as the clock went back.
    if (after < before) this.core.limiter.clear();
    this.core.sweep();
    this.core.changed('clock');
    const what = keys[0] === 'advance' ? `advanced by ${String(value)} s` : keys[0] === 'reset' ? 'reset to real time' : 'set';
    this.core.log.info('clock', `clock ${what}: now ${new Date(after).toISOString()}`, { now: toSeconds(after) });
    return this.clock();
  }

  keys(): { keys: IssuerKeyInfo[] } {
    return { keys: this.core.keys.describe() };
  }

  async rotateKeys(): Promise<{ current: { kid: string; alg: string }; keys: IssuerKeyInfo[] }> {
    const previous = this.core.keys.current();
    const next = await this.core.keys.rotate(this.core.now());
    this.core.changed('keys');
    this.core.log.info('keys.rotated', `signing key rotated: ${previous.kid} retired, ${next.kid} current`, { retired: previous.kid, current: next.kid });
    return { current: { kid: next.kid, alg: next.alg }, keys: this.core.keys.describe() };
  }

  families(user?: string): { families: FamilyView[]; familiesWithSeveralLiveTokens: number } {
    const registry = this.core.families;
    const list = user === undefined ? [...registry.families.values()] : registry.familiesOf(user);
    const now = this.core.now();
    return {
      families: list.sort((a, b) => a.createdAt - b.createdAt).map((f) => this.view(f, now)),
      familiesWithSeveralLiveTokens: registry.familiesWithSeveralLiveTokens(),
    };
  }

  family(id: string): FamilyView {
    const family = this.core.families.family(id);
    if (!family) throw new HttpError(404, 'not_found', 'no such family (it may have ended)');
    return this.view(family, this.core.now());
  }

  revokeFamily(id: string): FamilyView {
    const family = this.core.families.family(id);
    if (!family) throw new HttpError(404, 'not_found', 'no such family (it may have ended)');
    const now = this.core.now();
    const { deniedJtis } = this.core.families.revoke(family, 'control', now);
    this.core.log.info('family.revoked', `family ${id} revoked from the control plane; ${deniedJtis} access token(s) denied`, { family: id, user: family.sub });
    return this.view(family, now);
  }

  users(): { users: UserView[] } {
    return { users: this.core.users.list() };
  }

  /** Creates or updates a user. A new password revokes every family of the user; new claims bump `ver`. */
  async putUser(name: string, body: Record<string, unknown>): Promise<{ user: UserView; created: boolean; revokedFamilies: number }> {
    for (const key of Object.keys(body)) {
      if (key !== 'password' && key !== 'claims') throw new HttpError(400, 'invalid_request', `unknown member ${key.slice(0, 64)}: send password and/or claims`);
    }
    let change;
    try {
      change = await this.core.users.upsert(name, { password: body.password, claims: body.claims }, this.core.now());
    } catch (error) {
      if (error instanceof UserError) throw new HttpError(400, 'invalid_request', error.message);
      throw error;
    }
    let revokedFamilies = 0;
    if (change.passwordChanged && !change.created) {
      revokedFamilies = this.core.families.revokeUser(name, 'password-changed', this.core.now());
    }
    this.core.log.info('user.updated', `user ${name} ${change.created ? 'created' : 'updated'}${change.passwordChanged && !change.created ? `: password changed, ${revokedFamilies} famil${revokedFamilies === 1 ? 'y' : 'ies'} revoked` : ''}${change.claimsChanged ? ': claims changed' : ''}`, {
      user: name, ver: change.user.ver,
    });
    return { user: viewOf(change.user), created: change.created, revokedFamilies };
  }

  settings(): IssuerSettings {
    return structuredClone(this.core.settings);
  }

  putSettings(patch: unknown): IssuerSettings {
    try {
      this.core.settings = applySettingsPatch(this.core.settings, patch);
    } catch (error) {
      if (error instanceof SettingsError) throw new HttpError(400, 'invalid_request', error.message);
      throw error;
    }
    this.core.changed('settings');
    this.core.log.info('settings', `settings changed: ${Object.keys(patch as object).join(', ')}`);
    return this.settings();
  }

  log(after = 0): { entries: IssuerLogEntry[] } {
    return { entries: this.core.log.since(after) };
  }

  private view(family: Family, now: number): FamilyView {
    const tokenView = (t: RefreshTokenRecord): RefreshTokenView => ({
      id: tokenLabel(t.hash),
      parent: t.parent === null ? null : tokenLabel(t.parent),
      replacedBy: t.replacedBy === null ? null : tokenLabel(t.replacedBy),
      state: t.state === 'active' && now >= t.expiresAt ? 'expired' : t.state,
      issuedAt: toSeconds(t.issuedAt),
      expiresAt: toSeconds(t.expiresAt),
      rotatedAt: t.rotatedAt === null ? null : toSeconds(t.rotatedAt),
    });
    const endsAt = this.core.families.endsAt(family);
    let liveTokens = 0;
    for (const t of family.chain) if (t.state === 'active') liveTokens++;
    return {
      id: family.id,
      user: family.sub,
      clientId: family.clientId,
      scope: family.scope.join(' '),
      deviceBound: family.deviceHash !== null,
      status: family.revokedAt !== null ? 'revoked' : now >= endsAt ? 'expired' : 'active',
      revokeReason: family.revokeReason,
      revokedAt: family.revokedAt === null ? null : toSeconds(family.revokedAt),
      createdAt: toSeconds(family.createdAt),
      authTime: family.authTime,
      lastUsedAt: toSeconds(family.lastUsedAt),
      absoluteExpiresAt: toSeconds(family.absoluteExpiresAt),
      endsAt: toSeconds(endsAt),
      rotations: family.rotations,
      liveTokens,
      accessTokens: family.accessJtis.filter((a) => a.exp > now).length,
      tokenCount: family.chain.length,
      tokens: family.chain.slice(-SHOWN_TOKENS).map(tokenView),
    };
  }
}

/** Refuses requests that are not from a local, non-browser client holding the secret. */
export function controlGuard(secret: string, port: () => number): (ctx: RequestContext) => void {
  const expected = createHash('sha256').update(secret).digest();
  return (ctx) => {
    const host = ctx.req.headers.host;
    const p = port();
    if (host !== `127.0.0.1:${p}` && host !== `localhost:${p}` && host !== `[::1]:${p}`) {
      throw new HttpError(403, 'forbidden', 'the control plane answers only to 127.0.0.1 / localhost');
    }
    if (ctx.req.headers.origin !== undefined) throw new HttpError(403, 'forbidden', 'the control plane does not accept browser requests');
    const token = bearerToken(ctx.req);
    if (token === null || !timingSafeEqual(createHash('sha256').update(token).digest(), expected)) {
      throw new HttpError(401, 'unauthorized', 'the control plane needs its secret as a Bearer token', { 'WWW-Authenticate': 'Bearer realm="control"' });
    }
  };
}

export function controlRoutes(control: IssuerControl): RouteDef[] {
  const json = (fn: (ctx: RequestContext) => unknown | Promise<unknown>) => async (ctx: RequestContext): Promise<void> => {
    sendJson(ctx, 200, await fn(ctx));
  };
  return [
    {
      path: '/clock',
      methods: {
        GET: json(() => control.clock()),
        POST: json(async (ctx) => control.adjustClock(await readJson(ctx))),
      },
    },
    { path: '/keys', methods: { GET: json(() => control.keys()) } },
    { path: '/keys/rotate', methods: { POST: json(() => control.rotateKeys()) } },
    { path: '/families', methods: { GET: json((ctx) => control.families(ctx.query.get('user') ?? undefined)) } },
    { path: '/families/{id}', methods: { GET: json((ctx) => ({ family: control.family(ctx.params.id!) })) } },
    { path: '/families/{id}/revoke', methods: { POST: json((ctx) => ({ family: control.revokeFamily(ctx.params.id!) })) } },
    { path: '/users', methods: { GET: json(() => control.users()) } },
    { path: '/users/{name}', methods: { PUT: json(async (ctx) => control.putUser(ctx.params.name!, await readJson(ctx))) } },
    {
      path: '/settings',
      methods: {
        GET: json(() => control.settings()),
        PUT: json(async (ctx) => control.putSettings(await readJson(ctx))),
      },
    },
    {
      path: '/log',
      methods: {
        GET: json((ctx) => {
          const after = Number(ctx.query.get('after') ?? '0');
          return control.log(Number.isFinite(after) ? after : 0);
        }),
      },
    },
  ];
}
