/**
 * The refresh-token rotation state machine. Checks run in this order (the issue's, and RFC 9700 §4.14.2):
 *   unknown → invalid_grant, nothing revoked
 *   wrong client → invalid_grant
 *   bound to another device → invalid_grant (and logged)
 *   expired (absolute, then idle lifetime) → invalid_grant, nothing revoked
 *   family revoked → invalid_grant
 *   scope wider than granted → invalid_scope
 *   already replaced: after the grace window this is reuse → revoke the whole family, invalid_grant;
 *                     inside it → a fresh child that supersedes the family's current token
 *   otherwise → mark it rotated and issue its child.
 *
 * Synchronous on purpose: the read of a token's state and the write that consumes it happen in the same
 * turn of the event loop, so N parallel refreshes of one token yield exactly one child (grace 0).
 */
import type { Family, FamilyRegistry, MintedToken, RefreshTokenRecord } from './families';

export interface RotationPolicy {
  rotation: boolean;
  graceWindowMs: number;
  refreshTtlMs: number;
  maxRotations: number;
}

export interface RefreshAttempt {
  tokenHash: string;
  clientId: string;
  /** The scope asked for, or null to keep the granted one. */
  scope: string[] | null;
  /** SHA-256 of the device id the client sent, or null. */
  deviceHash: string | null;
}

export type RefreshRejection =
  | 'unknown-token'
  | 'wrong-client'
  | 'device-mismatch'
  | 'expired-absolute'
  | 'expired-idle'
  | 'family-revoked'
  | 'scope-wider'
  | 'reuse-detected'
  | 'rotation-limit';

export interface RefreshAccepted {
  ok: true;
  family: Family;
  /** The token presented. */
  presented: RefreshTokenRecord;
  /** The new refresh token, or null when rotation is off (the presented one stays valid). */
  issued: { token: string; record: RefreshTokenRecord } | null;
  /** A token retired because a grace-window re-issue replaced it, so that only one stays live. */
  superseded: RefreshTokenRecord | null;
  withinGrace: boolean;
  /** Scope of the access token to issue now. */
  scope: string[];
}

export interface RefreshRefused {
  ok: false;
  error: 'invalid_grant' | 'invalid_scope';
  reason: RefreshRejection;
  description: string;
  family: Family | null;
  /** This attempt revoked the family (reuse, rotation limit). */
  revokedFamily: boolean;
  /** Access tokens of the family put on the deny-list by this attempt. */
  deniedJtis: number;
}

export type RotationOutcome = RefreshAccepted | RefreshRefused;

function refuse(reason: RefreshRejection, description: string, family: Family | null, extra?: Partial<RefreshRefused>): RefreshRefused {
  const error = reason === 'scope-wider' ? 'invalid_scope' : 'invalid_grant';
  return { ok: false, error, reason, description, family, revokedFamily: false, deniedJtis: 0, ...extra };
}

export function rotateRefreshToken(
  registry: FamilyRegistry,
  attempt: RefreshAttempt,
  policy: RotationPolicy,
  now: number,
  mint: () => MintedToken,
): RotationOutcome {
  const record = registry.findToken(attempt.tokenHash);
  const family = record ? registry.family(record.familyId) : undefined;
  if (!record || !family) return refuse('unknown-token', 'refresh token is unknown', null);

  if (family.clientId !== attempt.clientId) {
    return refuse('wrong-client', 'refresh token was issued to another client', family);
  }
  if (family.deviceHash !== null && attempt.deviceHash !== family.deviceHash) {
    return refuse('device-mismatch', 'refresh token is bound to another device', family);
  }
  if (now >= family.absoluteExpiresAt) {
    return refuse('expired-absolute', 'refresh token has expired (absolute lifetime of its login)', family);
  }
  if (now >= record.expiresAt) {
    return refuse('expired-idle', 'refresh token has expired (unused for too long)', family);
  }
  if (family.revokedAt !== null || record.state === 'revoked') {
    return refuse('family-revoked', 'refresh token has been revoked', family);
  }
  let scope = family.scope;
  if (attempt.scope !== null) {
    const granted = new Set(family.scope);
    const wider = attempt.scope.filter((s) => !granted.has(s));
    if (wider.length > 0) {
      return refuse('scope-wider', `scope exceeds what was granted: ${wider.join(' ')}`, family);
    }
    scope = attempt.scope;
  }

  let withinGrace = false;
  if (record.state === 'rotated') {
    // Strictly before the window closes: with a window of 0, no second use is ever inside it.
    withinGrace = record.rotatedAt !== null && now < record.rotatedAt + policy.graceWindowMs;
    if (!withinGrace) {
      const { deniedJtis } = registry.revoke(family, 'reuse-detected', now);
      return refuse('reuse-detected', 'refresh token was already used: reuse detected, every token of its family is revoked', family, {
        revokedFamily: true,
        deniedJtis,
      });
    }
  } else if (!policy.rotation) {
    registry.touch(family, record, now, policy.refreshTtlMs);
    return { ok: true, family, presented: record, issued: null, superseded: null, withinGrace: false, scope };
  }

  if (family.rotations >= policy.maxRotations) {
    const { deniedJtis } = registry.revoke(family, 'rotation-limit', now);
    return refuse('rotation-limit', 'this login reached its refresh limit; log in again', family, { revokedFamily: true, deniedJtis });
  }

  // Retire whatever is live now: the presented token, or (inside the grace window) the child it already got.
  const live = family.current === null ? undefined : registry.findToken(family.current);
  const superseded = record.state !== 'active' && live && live.state === 'active' ? live : null;
  const minted = mint();
  const child = registry.rotate(family, record, record.state === 'active' ? record : superseded, now, policy.refreshTtlMs, minted);
  return { ok: true, family, presented: record, issued: { token: minted.token, record: child }, superseded, withinGrace, scope };
}
