/**
 * Refresh-token families: every login starts one; each rotation adds a token to its chain. Tokens are kept
 * by their SHA-256 hash only, and consumed ones stay until the family ends — otherwise a replayed old token
 * could no longer be recognised as reuse.
 *
 * Memory is bounded by ending families, never by forgetting hashes of a live family:
 * - a family ends (and is dropped whole) once none of its tokens could be accepted any more: at its absolute
 *   expiry, or when its newest token passed its idle expiry. A token of a dropped family is then simply
 *   unknown → invalid_grant, which is what an expired one gets too, so nothing is lost;
 * - logging in beyond `maxFamiliesPerUser` ends the user's oldest family;
 * - a family refreshed `maxRotationsPerFamily` times ends (the user logs in again).
 * The deny-list holds revoked access-token jtis only until those tokens expire.
 */
import { randomBytes } from 'node:crypto';

export type RefreshTokenState = 'active' | 'rotated' | 'revoked';

export interface RefreshTokenRecord {
  /** base64url SHA-256 of the token; the token itself is never stored. */
  hash: string;
  familyId: string;
  /** Hash of the token this one replaced; null for the family's first. */
  parent: string | null;
  issuedAt: number;
  /** Last successful use (ms); the idle expiry counts from here. */
  lastUsedAt: number;
  /** Idle expiry (ms), never past the family's absolute expiry. */
  expiresAt: number;
  state: RefreshTokenState;
  /** When it was replaced (rotated, or superseded by a grace-window re-issue). */
  rotatedAt: number | null;
  replacedBy: string | null;
}

export type FamilyEndReason =
  | 'reuse-detected'
  | 'revoked' // RFC 7009 revocation of one of its tokens
  | 'logout'
  | 'password-changed'
  | 'control' // POST /families/{id}/revoke
  | 'evicted' // the user's oldest, beyond maxFamiliesPerUser
  | 'rotation-limit'
  | 'code-reuse'; // its authorization code was redeemed twice (RFC 6749 §4.1.2)

export interface Family {
  id: string;
  /** The user name. */
  sub: string;
  clientId: string;
  /** The scope granted at login; refreshes may narrow, never widen it. */
  scope: string[];
  /** SHA-256 of the device id it is bound to, or null. */
  deviceHash: string | null;
  /** NumericDate of the original authentication (OIDC auth_time). */
  authTime: number;
  createdAt: number;
  absoluteExpiresAt: number;
  lastUsedAt: number;
  /** Hash of the one live token, or null once revoked. */
  current: string | null;
  chain: RefreshTokenRecord[];
  rotations: number;
  revokedAt: number | null;
  revokeReason: FamilyEndReason | null;
  /** Access tokens issued from this family and not yet expired: revoked with it. */
  accessJtis: Array<{ jti: string; exp: number }>;
  /** Largest expiresAt of its tokens: with absoluteExpiresAt, when the family ends. */
  latestExpiresAt: number;
}

export interface MintedToken {
  token: string;
  hash: string;
}

export interface NewFamily {
  sub: string;
  clientId: string;
  scope: string[];
  deviceHash: string | null;
  authTime: number;
}

export interface FamilyLifetimes {
  refreshTtlMs: number;
  absoluteTtlMs: number;
}

/** Told of every change the registry makes (the journal's tracker); it learns nothing it could not persist. */
export interface FamilyChangeListener {
  /** The family's own fields changed (or it was created). */
  family(family: Family): void;
  /** A token was added to its family's chain, or changed. */
  token(record: RefreshTokenRecord): void;
  /** An access token issued from the family was noted. */
  accessToken(family: Family, jti: string, expMs: number): void;
  /** An access token's jti joined the deny-list. */
  denied(jti: string, expMs: number): void;
  /** The family ended and was forgotten. */
  dropped(familyId: string): void;
}

export class FamilyRegistry {
  readonly families = new Map<string, Family>();
  readonly tokens = new Map<string, RefreshTokenRecord>();
  /** Revoked access-token jti → its exp (ms). */
  readonly denyList = new Map<string, number>();
  private readonly byUser = new Map<string, Set<string>>();
  /** Set when the state is persisted; restore() does not report what it loads. */
  listener: FamilyChangeListener | null = null;

  /** Starts a family with its first refresh token. */
  create(init: NewFamily, lifetimes: FamilyLifetimes, now: number, minted: MintedToken): { family: Family; record: RefreshTokenRecord } {
    const family: Family = {
      id: randomBytes(12).toString('base64url'),
      sub: init.sub,
      clientId: init.clientId,
      scope: init.scope,
      deviceHash: init.deviceHash,
      authTime: init.authTime,
      createdAt: now,
      absoluteExpiresAt: now + lifetimes.absoluteTtlMs,
      lastUsedAt: now,
      current: null,
      chain: [],
      rotations: 0,
      revokedAt: null,
      revokeReason: null,
      accessJtis: [],
      latestExpiresAt: now,
    };
    this.families.set(family.id, family);
    let owned = this.byUser.get(family.sub);
    if (!owned) this.byUser.set(family.sub, (owned = new Set()));
    owned.add(family.id);
    const record = this.append(family, null, now, lifetimes.refreshTtlMs, minted);
    return { family, record };
  }

  /** Adds a live token to the chain and makes it the family's current one. The caller retires the previous. */
  append(family: Family, parent: RefreshTokenRecord | null, now: number, refreshTtlMs: number, minted: MintedToken): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      hash: minted.hash,
      familyId: family.id,
      parent: parent?.hash ?? null,
      issuedAt: now,
      lastUsedAt: now,
      expiresAt: Math.min(now + refreshTtlMs, family.absoluteExpiresAt),
      state: 'active',
      rotatedAt: null,
      replacedBy: null,
    };
    family.chain.push(record);
    family.current = record.hash;
    family.lastUsedAt = now;
    if (record.expiresAt > family.latestExpiresAt) family.latestExpiresAt = record.expiresAt;
    this.tokens.set(record.hash, record);
    this.listener?.token(record);
    this.listener?.family(family);
    return record;
  }

  /**
   * One rotation: `retiring` (the presented token, or inside a grace window the child it already got) is
   * replaced, and `parent` (the presented token) gets a new child that becomes the family's live token.
   */
  rotate(
    family: Family,
    parent: RefreshTokenRecord,
    retiring: RefreshTokenRecord | null,
    now: number,
    refreshTtlMs: number,
    minted: MintedToken,
  ): RefreshTokenRecord {
    if (retiring) {
      retiring.state = 'rotated';
      retiring.rotatedAt = now;
      retiring.replacedBy = minted.hash;
      this.listener?.token(retiring);
    }
    parent.lastUsedAt = now;
    this.listener?.token(parent);
    family.rotations++;
    return this.append(family, parent, now, refreshTtlMs, minted);
  }

  /** Slides a token's idle expiry after a use that did not rotate it. */
  touch(family: Family, record: RefreshTokenRecord, now: number, refreshTtlMs: number): void {
    record.lastUsedAt = now;
    record.expiresAt = Math.min(now + refreshTtlMs, family.absoluteExpiresAt);
    family.lastUsedAt = now;
    if (record.expiresAt > family.latestExpiresAt) family.latestExpiresAt = record.expiresAt;
    this.listener?.token(record);
    this.listener?.family(family);
  }

  findToken(hash: string): RefreshTokenRecord | undefined {
    return this.tokens.get(hash);
  }

  family(id: string): Family | undefined {
    return this.families.get(id);
  }

  familiesOf(sub: string): Family[] {
    const ids = this.byUser.get(sub);
    if (!ids) return [];
    const out: Family[] = [];
    for (const id of ids) {
      const family = this.families.get(id);
      if (family) out.push(family);
    }
    return out;
  }

  /** Records an access token issued from the family so that revoking the family denies it too. */
  noteAccessToken(family: Family, jti: string, expMs: number, now: number): void {
    const list = family.accessJtis;
    // Expired ones leave from the front (TTLs are mostly constant, so the list is mostly in exp order).
    let drop = 0;
    while (drop < list.length && list[drop]!.exp <= now) drop++;
    if (drop > 0) list.splice(0, drop);
    list.push({ jti, exp: expMs });
    this.listener?.accessToken(family, jti, expMs);
  }

  /** Revokes the family: no token of it is accepted again, and its live access tokens join the deny-list. */
  revoke(family: Family, reason: FamilyEndReason, now: number): { deniedJtis: number } {
    if (family.revokedAt !== null) return { deniedJtis: 0 };
    family.revokedAt = now;
    family.revokeReason = reason;
    if (family.current !== null) {
      const live = this.tokens.get(family.current);
      if (live && live.state === 'active') {
        live.state = 'revoked';
        this.listener?.token(live);
      }
      family.current = null;
    }
    let deniedJtis = 0;
    for (const { jti, exp } of family.accessJtis) {
      if (exp > now) {
        this.denyList.set(jti, exp);
        this.listener?.denied(jti, exp);
        deniedJtis++;
      }
    }
    family.accessJtis = [];
    this.listener?.family(family);
    return { deniedJtis };
  }

  /** Revokes every live family of a user. Returns how many were revoked. */
  revokeUser(sub: string, reason: FamilyEndReason, now: number): number {
    let count = 0;
    for (const family of this.familiesOf(sub)) {
      if (family.revokedAt === null) {
        this.revoke(family, reason, now);
        count++;
      }
    }
    return count;
  }

  denyAccessToken(jti: string, expMs: number, now: number): void {
    if (expMs <= now) return;
    this.denyList.set(jti, expMs);
    this.listener?.denied(jti, expMs);
  }

  isDenied(jti: string): boolean {
    return this.denyList.has(jti);
  }

  /** Ends the user's oldest families (revoked ones first) so that at most `keep` remain. Returns the ids ended. */
  limitFamilies(sub: string, keep: number, now: number): string[] {
    const owned = this.familiesOf(sub);
    if (owned.length <= keep) return [];
    owned.sort((a, b) => Number(a.revokedAt === null) - Number(b.revokedAt === null) || a.createdAt - b.createdAt);
    const ended: string[] = [];
    for (const family of owned.slice(0, owned.length - keep)) {
      this.revoke(family, 'evicted', now);
      this.drop(family);
      ended.push(family.id);
    }
    return ended;
  }

  /** When the family ends: no token of it can be accepted (or flagged as reuse) from then on. */
  endsAt(family: Family): number {
    return Math.min(family.absoluteExpiresAt, family.latestExpiresAt);
  }

  /** Drops ended families and expired deny-list entries. Returns the ids of families dropped. */
  sweep(now: number): string[] {
    const dropped: string[] = [];
    for (const family of this.families.values()) {
      if (now >= this.endsAt(family)) {
        this.drop(family);
        dropped.push(family.id);
      }
    }
    for (const [jti, exp] of this.denyList) if (exp <= now) this.denyList.delete(jti);
    return dropped;
  }

  /** At most one token per family is live: the invariant rotation must keep. Counts families breaking it. */
  familiesWithSeveralLiveTokens(): number {
    let broken = 0;
    for (const family of this.families.values()) {
      let live = 0;
      for (const record of family.chain) if (record.state === 'active') live++;
      if (live > 1) broken++;
    }
    return broken;
  }

  private drop(family: Family): void {
    for (const record of family.chain) this.tokens.delete(record.hash);
    this.families.delete(family.id);
    this.listener?.dropped(family.id);
    const owned = this.byUser.get(family.sub);
    if (owned) {
      owned.delete(family.id);
      if (owned.size === 0) this.byUser.delete(family.sub);
    }
  }

  snapshot(): FamilyRegistrySnapshot {
    const families: StoredFamily[] = [];
    for (const f of this.families.values()) {
      families.push(storedFamily(f, f.chain, f.accessJtis.map(({ jti, exp }) => [jti, exp])));
    }
    return { families, denyList: [...this.denyList] };
  }

  /** Loads a snapshot; entries that do not have the expected shape are skipped, never half-loaded. */
  restore(snapshot: unknown): { families: number; skipped: number } {
    let loaded = 0;
    let skipped = 0;
    if (!isObject(snapshot)) return { families: 0, skipped: 0 };
    for (const raw of Array.isArray(snapshot.families) ? snapshot.families : []) {
      const family = parseFamily(raw);
      if (!family || this.families.has(family.id) || family.chain.some((t) => this.tokens.has(t.hash))) {
        skipped++;
        continue;
      }
      this.families.set(family.id, family);
      for (const record of family.chain) this.tokens.set(record.hash, record);
      let owned = this.byUser.get(family.sub);
      if (!owned) this.byUser.set(family.sub, (owned = new Set()));
      owned.add(family.id);
      loaded++;
    }
    for (const entry of Array.isArray(snapshot.denyList) ? snapshot.denyList : []) {
      if (Array.isArray(entry) && typeof entry[0] === 'string' && isTime(entry[1])) this.denyList.set(entry[0], entry[1]);
    }
    return { families: loaded, skipped };
  }
}

export type StoredToken = [string, string | null, number, number, number, RefreshTokenState, number | null, string | null];

/** A family as stored, with the given tokens and access-token jtis (all of them, or the journal's new ones). */
export function storedFamily(f: Family, tokens: readonly RefreshTokenRecord[], accessJtis: Array<[string, number]>): StoredFamily {
  return {
    id: f.id, sub: f.sub, clientId: f.clientId, scope: f.scope, deviceHash: f.deviceHash, authTime: f.authTime,
    createdAt: f.createdAt, absoluteExpiresAt: f.absoluteExpiresAt, lastUsedAt: f.lastUsedAt, rotations: f.rotations,
    revokedAt: f.revokedAt, revokeReason: f.revokeReason,
    accessJtis,
    tokens: tokens.map((t) => [t.hash, t.parent, t.issuedAt, t.lastUsedAt, t.expiresAt, t.state, t.rotatedAt, t.replacedBy]),
  };
}

/** A family on disk: its chain as compact tuples; the live token and latest expiry are derived again on load. */
export type StoredFamily = Omit<Family, 'current' | 'chain' | 'accessJtis' | 'latestExpiresAt'> & {
  accessJtis: Array<[string, number]>;
  tokens: StoredToken[];
};

export interface FamilyRegistrySnapshot {
  families: StoredFamily[];
  denyList: Array<[string, number]>;
}

const STATES: readonly RefreshTokenState[] = ['active', 'rotated', 'revoked'];
const REASONS: readonly FamilyEndReason[] = ['reuse-detected', 'revoked', 'logout', 'password-changed', 'control', 'evicted', 'rotation-limit', 'code-reuse'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isTimeOrNull = (v: unknown): v is number | null => v === null || isTime(v);
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';

function parseFamily(raw: unknown): Family | null {
  if (!isObject(raw)) return null;
  const { id, sub, clientId, scope, deviceHash, authTime, createdAt, absoluteExpiresAt, lastUsedAt, rotations, revokedAt, revokeReason, accessJtis, tokens } = raw;
  if (typeof id !== 'string' || typeof sub !== 'string' || typeof clientId !== 'string') return null;
  if (!Array.isArray(scope) || !scope.every((s) => typeof s === 'string')) return null;
  if (!isStringOrNull(deviceHash) || !isTime(authTime) || !isTime(createdAt) || !isTime(absoluteExpiresAt) || !isTime(lastUsedAt)) return null;
  if (!isTime(rotations) || !isTimeOrNull(revokedAt)) return null;
  if (revokeReason !== null && !REASONS.includes(revokeReason as FamilyEndReason)) return null;
  if (!Array.isArray(accessJtis) || !Array.isArray(tokens) || tokens.length === 0) return null;
  const family: Family = {
    id, sub, clientId, scope: scope as string[], deviceHash, authTime, createdAt, absoluteExpiresAt, lastUsedAt, rotations,
    revokedAt, revokeReason: revokeReason as FamilyEndReason | null, current: null, chain: [], accessJtis: [], latestExpiresAt: createdAt,
  };
  for (const entry of accessJtis) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !isTime(entry[1])) return null;
    family.accessJtis.push({ jti: entry[0], exp: entry[1] });
  }
  let live = 0;
  for (const entry of tokens) {
    if (!Array.isArray(entry) || entry.length !== 8) return null;
    const [hash, parent, issuedAt, used, expiresAt, state, rotatedAt, replacedBy] = entry as unknown[];
    if (typeof hash !== 'string' || !isStringOrNull(parent) || !isTime(issuedAt) || !isTime(used) || !isTime(expiresAt)) return null;
    if (!STATES.includes(state as RefreshTokenState) || !isTimeOrNull(rotatedAt) || !isStringOrNull(replacedBy)) return null;
    const record: RefreshTokenRecord = {
      hash, familyId: id, parent, issuedAt, lastUsedAt: used, expiresAt, state: state as RefreshTokenState, rotatedAt, replacedBy,
    };
    if (record.state === 'active') {
      live++;
      family.current = hash;
    }
    if (expiresAt > family.latestExpiresAt) family.latestExpiresAt = expiresAt;
    family.chain.push(record);
  }
  // A stored family breaking the one-live-token invariant is not trusted.
  if (live > 1 || (live === 1 && revokedAt !== null)) return null;
  return family;
}
