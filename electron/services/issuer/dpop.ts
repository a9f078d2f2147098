/**
 * DPoP (RFC 9449) at the mock issuer: the token endpoint binds an access token to the key of the proof a
 * client sends (`cnf.jkt`, token_type DPoP), and the protected resource demands that key again, with a proof
 * of the very request and token. Proofs are checked by the shared core (shared/core/dpop.ts, every §4.3
 * check); this module adds what only a server can: its own nonces (§8 and §9: a proof must carry a nonce this
 * server handed out, else `use_dpop_nonce` with a fresh one in `DPoP-Nonce`) and replay detection (a proof's
 * jti is accepted once while its iat is inside the window).
 */
import { randomBytes } from 'node:crypto';
import { checkDpopProof, DEFAULT_DPOP_MAX_AGE, DPOP_IAT_SKEW } from '../../../shared/core/dpop';
import { decodeToken } from '../../../shared/core/decode';
import { toSeconds } from './clock';
import { HttpError } from './errors';

/** A nonce is good for this long, and for one more period once replaced (clients racing a rotation). */
const NONCE_PERIOD_MS = 5 * 60 * 1000;
/** Remembered proof ids; past this, the oldest are dropped (a flood cannot grow memory without bound). */
const MAX_SEEN = 10_000;

/** `cnf.jkt` of an access token's claims, or null when it is not DPoP-bound. */
export function dpopJkt(claims: Record<string, unknown>): string | null {
  const cnf = claims.cnf;
  if (typeof cnf !== 'object' || cnf === null) return null;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' && jkt !== '' ? jkt : null;
}

/** The single `DPoP` header of a request: null when absent; an error when repeated (§4.3 check 1). */
export function dpopHeader(value: string | string[] | undefined, where: 'token' | 'resource'): string | null {
  if (value === undefined) return null;
  if (Array.isArray(value) || value.includes(',')) throw invalidProof('exactly one DPoP header is allowed', where);
  return value.trim() === '' ? null : value.trim();
}

function invalidProof(description: string, where: 'token' | 'resource'): HttpError {
  // §7.1: a resource answers 401 with a DPoP challenge; the token endpoint 400 invalid_dpop_proof (§5).
  return where === 'token'
    ? new HttpError(400, 'invalid_dpop_proof', description)
    : new HttpError(401, 'invalid_dpop_proof', description, { 'WWW-Authenticate': `DPoP error="invalid_dpop_proof", error_description="${description.replace(/["\\]/g, '')}"` });
}

export interface ProofRequest {
  htm: string;
  /** The URL the client addressed: the configured issuer URL plus the path. */
  htu: string;
  /** At the resource: the access token, for `ath` and `cnf.jkt`. */
  accessToken?: string;
}

export class DpopGate {
  private current: { value: string; since: number } | null = null;
  private previous: string | null = null;
  private readonly seen = new Map<string, number>();

  /** `now` is the issuer's clock (virtual when moved): proofs are judged at the time the issuer lives in. */
  constructor(private readonly now: () => number) {}

  /** The nonce to hand out now (rotated every period; the one before stays good for one more). */
  nonce(): string {
    const now = this.now();
    if (this.current === null || now - this.current.since >= NONCE_PERIOD_MS || now < this.current.since) {
      this.previous = this.current?.value ?? null;
      this.current = { value: randomBytes(16).toString('base64url'), since: now };
    }
    return this.current.value;
  }

  /**
   * Checks a proof for a request; answers the proof key's thumbprint. Throws the HTTP answer for a proof that
   * fails: `use_dpop_nonce` (with a `DPoP-Nonce` header) when it lacks this server's nonce, else
   * `invalid_dpop_proof` naming the first check that failed.
   */
  async check(proof: string, request: ProofRequest, where: 'token' | 'resource'): Promise<string> {
    const decoded = decodeToken(proof);
    if (!decoded.ok) throw invalidProof(`the DPoP proof does not decode: ${decoded.error.code}`, where);
    const now = toSeconds(this.now());
    const result = await checkDpopProof(decoded.token, {
      htm: request.htm,
      htu: request.htu,
      now,
      ...(request.accessToken !== undefined && { accessToken: request.accessToken }),
    });
    if (!result.valid || result.jkt === null) {
      const failed = result.checks.find((c) => !c.ok);
      throw invalidProof(`DPoP proof ${failed ? `${failed.check}: ${failed.message}` : 'refused'}`, where);
    }
    const claims = decoded.token.payload as Record<string, unknown>;
    const expected = this.nonce();
    if (claims.nonce !== expected && (this.previous === null || claims.nonce !== this.previous)) {
      const description = claims.nonce === undefined ? 'a DPoP nonce is required: retry with the one in DPoP-Nonce' : 'the DPoP nonce is stale or unknown: retry with the one in DPoP-Nonce';
      throw where === 'token'
        ? new HttpError(400, 'use_dpop_nonce', description, { 'DPoP-Nonce': expected })
        : new HttpError(401, 'use_dpop_nonce', description, { 'DPoP-Nonce': expected, 'WWW-Authenticate': 'DPoP error="use_dpop_nonce", error_description="Resource server requires nonce in DPoP proof"' });
    }
    this.noteOnce(`${result.jkt}:${String(claims.jti)}`, now, where);
    return result.jkt;
  }

  /** §11.1: a proof is good for one request. Remembered until its iat leaves the acceptance window. */
  private noteOnce(id: string, now: number, where: 'token' | 'resource'): void {
    for (const [key, until] of this.seen) {
      if (until > now && this.seen.size < MAX_SEEN) break;
      this.seen.delete(key);
    }
    if (this.seen.has(id)) throw invalidProof('this DPoP proof was already used (jti replayed)', where);
    this.seen.set(id, now + DEFAULT_DPOP_MAX_AGE + DPOP_IAT_SKEW);
  }
}
