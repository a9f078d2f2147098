// The refresh-token rotation state machine, branch by branch, on a frozen virtual clock.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../electron/services/issuer/clock';
import { FamilyRegistry } from '../../electron/services/issuer/families';
import { rotateRefreshToken } from '../../electron/services/issuer/rotation';
import type { RotationPolicy, RotationOutcome, RefreshAccepted } from '../../electron/services/issuer/rotation';
import { mintOpaqueToken, sha256 } from '../../electron/services/issuer/tokens';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const T0 = Date.UTC(2030, 0, 1);

function setup(policy: Partial<RotationPolicy> = {}, lifetimes = { refreshTtlMs: 14 * DAY, absoluteTtlMs: 30 * DAY }) {
  const clock = new VirtualClock({ snapshot: { frozenAt: T0 } });
  const registry = new FamilyRegistry();
  const full: RotationPolicy = { rotation: true, graceWindowMs: 0, refreshTtlMs: lifetimes.refreshTtlMs, maxRotations: 1000, ...policy };
  const login = (init: Partial<{ sub: string; clientId: string; scope: string[]; deviceHash: string | null }> = {}) => {
    const minted = mintOpaqueToken();
    const { family } = registry.create(
      { sub: 'alice', clientId: 'app', scope: ['openid', 'api:read', 'api:write'], deviceHash: null, authTime: T0 / 1000, ...init },
      lifetimes,
      clock.now(),
      minted,
    );
    return { family, token: minted.token };
  };
  const refresh = (token: string, attempt: Partial<{ clientId: string; scope: string[] | null; deviceHash: string | null }> = {}): RotationOutcome =>
    rotateRefreshToken(registry, { tokenHash: sha256(token), clientId: 'app', scope: null, deviceHash: null, ...attempt }, full, clock.now(), mintOpaqueToken);
  return { clock, registry, login, refresh, policy: full };
}

function accepted(outcome: RotationOutcome): RefreshAccepted {
  if (!outcome.ok) throw new Error(`expected success, got ${outcome.reason}`);
  return outcome;
}

function childOf(outcome: RotationOutcome): string {
  const ok = accepted(outcome);
  if (!ok.issued) throw new Error('expected a rotated child');
  return ok.issued.token;
}

const live = (registry: FamilyRegistry, familyId: string) => registry.family(familyId)!.chain.filter((t) => t.state === 'active');

describe('rotation: the happy path', () => {
  it('rotates: the presented token is consumed, exactly one live child, the family keeps the chain', () => {
    const { login, refresh, registry } = setup();
    const { family, token } = login();
    const outcome = accepted(refresh(token));
    expect(outcome.issued).not.toBeNull();
    expect(outcome.issued!.token).not.toBe(token);
    expect(outcome.presented.state).toBe('rotated');
    expect(outcome.issued!.record.parent).toBe(sha256(token));
    expect(outcome.presented.replacedBy).toBe(outcome.issued!.record.hash);
    expect(outcome.scope).toEqual(['openid', 'api:read', 'api:write']);
    expect(live(registry, family.id).map((t) => t.hash)).toEqual([sha256(outcome.issued!.token)]);
    expect(family.chain).toHaveLength(2);
    expect(family.rotations).toBe(1);
  });

  it('stores tokens only as SHA-256 hashes', () => {
    const { login, registry } = setup();
    const { token } = login();
    expect(registry.findToken(token)).toBeUndefined();
    expect(registry.findToken(sha256(token))).toBeDefined();
    expect(JSON.stringify(registry.snapshot())).not.toContain(token);
  });
});

describe('rotation: checks in order', () => {
  it('unknown token → invalid_grant, nothing revoked', () => {
    const { login, refresh } = setup();
    const { family } = login();
    const outcome = refresh('not-a-token-we-issued');
    expect(outcome).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'unknown-token', revokedFamily: false });
    expect(family.revokedAt).toBeNull();
  });

  it('wrong client → invalid_grant without revoking; the right client still refreshes', () => {
    const { login, refresh } = setup();
    const { family, token } = login();
    expect(refresh(token, { clientId: 'other' })).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'wrong-client', revokedFamily: false });
    expect(family.revokedAt).toBeNull();
    expect(refresh(token).ok).toBe(true);
  });

  it('wrong client comes before reuse: a rotated token shown by another client revokes nothing', () => {
    const { login, refresh } = setup();
    const { family, token } = login();
    childOf(refresh(token));
    expect(refresh(token, { clientId: 'other' })).toMatchObject({ ok: false, reason: 'wrong-client' });
    expect(family.revokedAt).toBeNull();
  });

  it('device binding: another or a missing device id is refused without revoking; the bound device works', () => {
    const { login, refresh } = setup();
    const { family, token } = login({ deviceHash: sha256('device-1') });
    expect(refresh(token, { deviceHash: sha256('device-2') })).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'device-mismatch' });
    expect(refresh(token, { deviceHash: null })).toMatchObject({ ok: false, reason: 'device-mismatch' });
    expect(family.revokedAt).toBeNull();
    expect(refresh(token, { deviceHash: sha256('device-1') }).ok).toBe(true);
  });

  it('idle expiry → invalid_grant without revoking', () => {
    const { login, refresh, clock } = setup({}, { refreshTtlMs: 10 * MIN, absoluteTtlMs: DAY });
    const { family, token } = login();
    clock.advance(10 * 60);
    expect(refresh(token)).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'expired-idle', revokedFamily: false });
    expect(family.revokedAt).toBeNull();
  });

  it('idle lifetime slides on refresh: each child lives its own full idle lifetime', () => {
    const { login, refresh, clock } = setup({}, { refreshTtlMs: 10 * MIN, absoluteTtlMs: DAY });
    let { token } = login();
    for (let i = 0; i < 5; i++) {
      clock.advance(9 * 60); // 45 minutes in total, far past one idle lifetime
      token = childOf(refresh(token));
    }
    clock.advance(9 * 60);
    expect(refresh(token).ok).toBe(true);
  });

  it('the absolute lifetime never extends, however often the family refreshes', () => {
    const { login, refresh, clock } = setup({}, { refreshTtlMs: 10 * MIN, absoluteTtlMs: 30 * MIN });
    let { token } = login();
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * 60 + 1);
      const outcome = refresh(token);
      if (!outcome.ok) {
        results.push(outcome.reason);
        break;
      }
      token = outcome.issued!.token;
      results.push('ok');
    }
    // 5 refreshes fit in 30 minutes (at 5:01 … 25:05); the 6th, at 30:06, is past the absolute lifetime.
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'expired-absolute']);
  });

  it('a child never outlives the absolute lifetime of its login', () => {
    const { login, refresh, clock } = setup({}, { refreshTtlMs: 20 * MIN, absoluteTtlMs: 30 * MIN });
    const { token, family } = login();
    clock.advance(15 * 60);
    const child = accepted(refresh(token)).issued!.record;
    expect(child.expiresAt).toBe(family.absoluteExpiresAt);
  });

  it('expiry comes before reuse: an expired, already rotated token revokes nothing', () => {
    const { login, refresh, clock } = setup({}, { refreshTtlMs: 10 * MIN, absoluteTtlMs: DAY });
    const { family, token } = login();
    clock.advance(5 * 60);
    const child = childOf(refresh(token));
    clock.advance(5 * 60); // the first token's own idle lifetime (10 min from its issue) is over; its child's is not
    expect(refresh(token)).toMatchObject({ ok: false, reason: 'expired-idle', revokedFamily: false });
    expect(family.revokedAt).toBeNull();
    expect(refresh(child).ok).toBe(true);
  });

  it('family revoked → invalid_grant for every token of it', () => {
    const { login, refresh, registry, clock } = setup();
    const { family, token } = login();
    const child = childOf(refresh(token));
    registry.revoke(family, 'logout', clock.now());
    expect(refresh(child)).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'family-revoked' });
    expect(refresh(token)).toMatchObject({ ok: false, reason: 'family-revoked' });
  });

  it('family revoked comes before scope: a revoked token asking for more scope is invalid_grant', () => {
    const { login, refresh, registry, clock } = setup();
    const { family, token } = login();
    registry.revoke(family, 'logout', clock.now());
    expect(refresh(token, { scope: ['admin'] })).toMatchObject({ error: 'invalid_grant', reason: 'family-revoked' });
  });

  it('wider scope → invalid_scope without consuming or revoking; a narrower scope is granted for this access token only', () => {
    const { login, refresh } = setup();
    const { family, token } = login();
    expect(refresh(token, { scope: ['api:read', 'admin'] })).toMatchObject({ ok: false, error: 'invalid_scope', reason: 'scope-wider' });
    expect(family.revokedAt).toBeNull();
    const narrowed = accepted(refresh(token, { scope: ['api:read'] }));
    expect(narrowed.scope).toEqual(['api:read']);
    expect(family.scope).toEqual(['openid', 'api:read', 'api:write']);
    // The family keeps its grant: the child may ask for the full scope again.
    expect(accepted(refresh(narrowed.issued!.token, { scope: ['api:write'] })).scope).toEqual(['api:write']);
  });
});

describe('rotation: reuse detection and the grace window', () => {
  it('reuse outside the grace window revokes the whole family: refresh tokens and access-token jtis', () => {
    const { login, refresh, registry, clock } = setup();
    const { family, token: stolen } = login();
    registry.noteAccessToken(family, 'jti-1', clock.now() + 15 * MIN, clock.now());
    const legit = childOf(refresh(stolen));
    registry.noteAccessToken(family, 'jti-2', clock.now() + 15 * MIN, clock.now());
    clock.advance(1);
    const reuse = refresh(stolen);
    expect(reuse).toMatchObject({ ok: false, error: 'invalid_grant', reason: 'reuse-detected', revokedFamily: true, deniedJtis: 2 });
    expect(family.revokedAt).toBe(clock.now());
    expect(family.revokeReason).toBe('reuse-detected');
    expect(registry.isDenied('jti-1') && registry.isDenied('jti-2')).toBe(true);
    // Both the stolen and the legitimate token now fail.
    expect(refresh(legit)).toMatchObject({ ok: false, reason: 'family-revoked' });
    expect(refresh(stolen)).toMatchObject({ ok: false, reason: 'family-revoked' });
    expect(live(registry, family.id)).toHaveLength(0);
  });

  it('grace 0: a second use in the very same millisecond is already reuse', () => {
    const { login, refresh } = setup({ graceWindowMs: 0 });
    const { family, token } = login();
    childOf(refresh(token));
    expect(refresh(token)).toMatchObject({ ok: false, reason: 'reuse-detected' });
    expect(family.revokedAt).not.toBeNull();
  });

  it('only one of N back-to-back refreshes of one token succeeds (grace 0), and no family has two live tokens', () => {
    const { login, refresh, registry } = setup();
    const { token } = login();
    const outcomes = Array.from({ length: 50 }, () => refresh(token));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(1);
    expect(registry.familiesWithSeveralLiveTokens()).toBe(0);
  });

  it('inside the grace window a replaced token gets a fresh child that supersedes the earlier one: never two live', () => {
    const { login, refresh, registry, clock } = setup({ graceWindowMs: 30_000 });
    const { family, token } = login();
    const first = childOf(refresh(token));
    clock.advance(10);
    const retry = accepted(refresh(token));
    expect(retry.withinGrace).toBe(true);
    expect(retry.superseded?.hash).toBe(sha256(first));
    expect(retry.superseded?.state).toBe('rotated');
    expect(live(registry, family.id).map((t) => t.hash)).toEqual([sha256(retry.issued!.token)]);
    expect(family.revokedAt).toBeNull();
    // The superseded child is itself inside its grace window (it was replaced 0 s ago)…
    expect(refresh(first).ok).toBe(true);
    // …but the window closes: 30 s after its replacement, the original token is reuse.
    clock.advance(31);
    expect(refresh(token)).toMatchObject({ ok: false, reason: 'reuse-detected' });
    expect(family.revokedAt).not.toBeNull();
  });

  it('the grace window is measured from the rotation, and closes exactly at its end', () => {
    const { login, refresh, clock } = setup({ graceWindowMs: 5_000 });
    const { token } = login();
    childOf(refresh(token));
    clock.advance(4.999);
    expect(refresh(token).ok).toBe(true);
    const { token: other } = login();
    childOf(refresh(other));
    clock.advance(5);
    expect(refresh(other)).toMatchObject({ ok: false, reason: 'reuse-detected' });
  });
});

describe('rotation: off, limits, lifecycle', () => {
  it('rotation off: the same token keeps working, no child is issued, and its idle lifetime slides', () => {
    const { login, refresh, clock, registry } = setup({ rotation: false }, { refreshTtlMs: 10 * MIN, absoluteTtlMs: DAY });
    const { family, token } = login();
    for (let i = 0; i < 4; i++) {
      clock.advance(9 * 60);
      const outcome = accepted(refresh(token));
      expect(outcome.issued).toBeNull();
      expect(outcome.presented.state).toBe('active');
    }
    expect(family.chain).toHaveLength(1);
    expect(live(registry, family.id)).toHaveLength(1);
  });

  it('a family that reached its rotation limit ends', () => {
    const { login, refresh } = setup({ maxRotations: 3 });
    let { token, family } = login();
    for (let i = 0; i < 3; i++) token = childOf(refresh(token));
    expect(refresh(token)).toMatchObject({ ok: false, reason: 'rotation-limit', revokedFamily: true });
    expect(family.revokeReason).toBe('rotation-limit');
  });

  it('sweep drops a family once none of its tokens can be accepted, and not before', () => {
    const { login, refresh, registry, clock } = setup({}, { refreshTtlMs: 10 * MIN, absoluteTtlMs: DAY });
    const { family, token } = login();
    const child = childOf(refresh(token));
    clock.advance(9 * 60);
    expect(registry.sweep(clock.now())).toEqual([]);
    // The consumed parent is kept while the family lives, so its reuse is still caught.
    expect(registry.findToken(sha256(token))?.state).toBe('rotated');
    clock.advance(60);
    expect(registry.sweep(clock.now())).toEqual([family.id]);
    expect(registry.findToken(sha256(token))).toBeUndefined();
    expect(registry.findToken(sha256(child))).toBeUndefined();
    expect(refresh(child)).toMatchObject({ ok: false, reason: 'unknown-token' });
  });

  it('the deny-list forgets a jti once its access token has expired', () => {
    const { login, registry, clock } = setup();
    const { family } = login();
    registry.noteAccessToken(family, 'short', clock.now() + MIN, clock.now());
    registry.revoke(family, 'control', clock.now());
    expect(registry.isDenied('short')).toBe(true);
    clock.advance(61);
    registry.sweep(clock.now());
    expect(registry.isDenied('short')).toBe(false);
  });

  it('more families than allowed per user ends the oldest ones', () => {
    const { login, registry, clock, refresh } = setup();
    const first = login();
    clock.advance(1);
    const second = login();
    clock.advance(1);
    login();
    expect(registry.limitFamilies('alice', 2, clock.now())).toEqual([first.family.id]);
    expect(registry.familiesOf('alice')).toHaveLength(2);
    expect(refresh(first.token)).toMatchObject({ ok: false, reason: 'unknown-token' });
    expect(refresh(second.token).ok).toBe(true);
  });

  it('a snapshot restores families with their consumed hashes: reuse is still detected after a restart', () => {
    const { login, refresh, registry } = setup();
    const { token } = login();
    const child = childOf(refresh(token));
    const copy = new FamilyRegistry();
    expect(copy.restore(JSON.parse(JSON.stringify(registry.snapshot())))).toEqual({ families: 1, skipped: 0 });
    const policy: RotationPolicy = { rotation: true, graceWindowMs: 0, refreshTtlMs: 14 * DAY, maxRotations: 1000 };
    const again = (t: string) => rotateRefreshToken(copy, { tokenHash: sha256(t), clientId: 'app', scope: null, deviceHash: null }, policy, T0, mintOpaqueToken);
    expect(again(token)).toMatchObject({ ok: false, reason: 'reuse-detected', revokedFamily: true });
    expect(again(child)).toMatchObject({ ok: false, reason: 'family-revoked' });
  });

  it('restore skips a stored family with two live tokens or a broken shape', () => {
    const { login, refresh, registry } = setup();
    const { token } = login();
    childOf(refresh(token));
    const snap = JSON.parse(JSON.stringify(registry.snapshot()));
    snap.families[0].tokens[0][5] = 'active';
    snap.families.push({ id: 'x' }, null, 'junk');
    const copy = new FamilyRegistry();
    expect(copy.restore(snap)).toEqual({ families: 0, skipped: 4 });
    expect(copy.restore('not an object')).toEqual({ families: 0, skipped: 0 });
  });
});
