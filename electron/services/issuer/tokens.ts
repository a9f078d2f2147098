/**
 * The tokens the issuer makes: opaque refresh tokens and codes (random, stored as SHA-256), RFC 9068 access
 * tokens and OpenID Connect ID tokens (signed on node:crypto with the keyring's current key), and the verification
 * of its own access tokens (signature by kid, typ, iss, aud, exp under the issuer's clock).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { jwtVerify, errors } from 'jose';
import type { JWTPayload, JWTHeaderParameters } from 'jose';
import { signCompactJws } from './jws-sign';
import type { KeyRing } from './keyring';
import { SIGNING_ALGS } from './keys';
import type { SigningAlg } from './keys';
import type { MintedToken } from './families';
import { toSeconds } from './clock';

// Random bytes drawn in batches (as crypto.randomUUID does): one getrandom call per 128 tokens on the refresh
// path instead of one per token. Each byte is handed out once.
const POOL_SIZE = 32 * 128;
let pool = Buffer.alloc(0);
let poolOffset = POOL_SIZE;

/** 256 random bits, base64url: an opaque refresh token or authorization code. */
export function randomToken(): string {
  if (poolOffset + 32 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  const token = pool.toString('base64url', poolOffset, poolOffset + 32);
  pool.fill(0, poolOffset, poolOffset + 32);
  poolOffset += 32;
  return token;
}

/** base64url SHA-256 of a string: how opaque tokens, codes and device ids are stored and looked up. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

export function mintOpaqueToken(): MintedToken {
  const token = randomToken();
  return { token, hash: sha256(token) };
}

/** A short, stable label for a stored token in logs and the UI: a prefix of its hash, never the token. */
export function tokenLabel(hash: string): string {
  return `rt:${hash.slice(0, 10)}`;
}

/** Claims the issuer sets itself: user-defined claims may not use these names. */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'scope', 'auth_time', 'ver', 'sid',
  'nonce', 'at_hash', 'c_hash', 'azp', 'acr', 'amr', 'cnf', 'act', 'may_act', 'typ',
]);

export interface AccessTokenInput {
  sub: string;
  clientId: string;
  scope: string[];
  audience: string;
  ttlSeconds: number;
  authTime?: number;
  /** The user's token version at issue (checked by the protected resource). */
  ver?: number;
  /** The family the token comes from. */
  sid?: string;
  /** RFC 9449 §6.1: the DPoP key's thumbprint, as `cnf.jkt`. */
  jkt?: string;
  claims?: Record<string, unknown>;
}

export interface PreparedAccessToken {
  jti: string;
  /** exp, in ms. */
  expMs: number;
  sign(): Promise<string>;
}

export interface IdTokenInput {
  sub: string;
  clientId: string;
  ttlSeconds: number;
  authTime: number;
  nonce?: string;
  sid?: string;
  /** The access token issued alongside, for at_hash. */
  accessToken?: string;
  claims?: Record<string, unknown>;
}

/** at_hash / c_hash (OIDC Core §3.1.3.6): the left half of the hash the signing alg uses, base64url. */
export function leftHalfHash(alg: SigningAlg, value: string): string {
  const hash = alg.endsWith('384') ? 'sha384' : alg.endsWith('512') || alg === 'EdDSA' || alg === 'Ed25519' ? 'sha512' : 'sha256';
  const digest = createHash(hash).update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

export class TokenMinter {
  constructor(
    private readonly issuer: string,
    private readonly keys: KeyRing,
  ) {}

  /**
   * Builds an access token's claims now (jti and exp are known before any await, so the caller can record
   * the jti first) and returns the signing step.
   */
  prepareAccessToken(input: AccessTokenInput, now: number): PreparedAccessToken {
    const iat = toSeconds(now);
    const exp = iat + input.ttlSeconds;
    const jti = randomUUID();
    const payload: JWTPayload = {
      ...input.claims,
      iss: this.issuer,
      sub: input.sub,
      aud: input.audience,
      exp,
      iat,
      jti,
      client_id: input.clientId,
      scope: input.scope.join(' '),
      ...(input.authTime !== undefined && { auth_time: input.authTime }),
      ...(input.sid !== undefined && { sid: input.sid }),
      ...(input.ver !== undefined && { ver: input.ver }),
      ...(input.jkt !== undefined && { cnf: { jkt: input.jkt } }),
    };
    return { jti, expMs: exp * 1000, sign: async () => (await this.sign(payload, 'at+jwt', exp * 1000)).token };
  }

  async idToken(input: IdTokenInput, now: number): Promise<string> {
    const iat = toSeconds(now);
    const exp = iat + input.ttlSeconds;
    const alg = this.keys.current().alg;
    const payload: JWTPayload = {
      ...input.claims,
      iss: this.issuer,
      sub: input.sub,
      aud: input.clientId,
      exp,
      iat,
      auth_time: input.authTime,
      ...(input.nonce !== undefined && { nonce: input.nonce }),
      ...(input.sid !== undefined && { sid: input.sid }),
      ...(input.accessToken !== undefined && { at_hash: leftHalfHash(alg, input.accessToken) }),
    };
    return (await this.sign(payload, 'JWT', exp * 1000)).token;
  }

  private async sign(payload: JWTPayload, typ: string, expMs: number): Promise<{ token: string; kid: string }> {
    const key = this.keys.current();
    // Recorded before signing: a rotation while this signature is in flight must keep the key published.
    this.keys.noteSigned(key.kid, expMs);
    // node:crypto, not jose's SignJWT: ~2x the refreshes per second (see jws-sign.ts and scripts/bench-issuer.mjs).
    const token = signCompactJws({ alg: key.alg, kid: key.kid, typ }, payload as Record<string, unknown>, key.alg, key.privateKey);
    return { token, kid: key.kid };
  }
}

export type AccessTokenProblem =
  | 'malformed'
  | 'unknown-kid'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-type'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'revoked'
  | 'stale-version';

export type AccessTokenClaims = JWTPayload & { sub: string; jti: string; client_id: string; exp: number };

export type AccessTokenCheck =
  | { ok: true; payload: AccessTokenClaims; header: JWTHeaderParameters }
  | { ok: false; problem: AccessTokenProblem; description: string };

/** Longest access token accepted for verification: far above any this issuer makes. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Verifies an access token this issuer signed: by kid among current and still-published keys, under `now`. */
export async function verifyAccessToken(
  token: string,
  options: { issuer: string; keys: KeyRing; now: number; audience?: string },
): Promise<AccessTokenCheck> {
  if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    return { ok: false, problem: 'malformed', description: 'not a compact JWS' };
  }
  try {
    const { payload, protectedHeader } = await jwtVerify(
      token,
      (header) => {
        const key = typeof header.kid === 'string' ? options.keys.verificationKey(header.kid, options.now) : undefined;
        // The key decides the algorithm, never the token's header.
        if (!key || key.alg !== header.alg) throw new errors.JWKSNoMatchingKey();
        return key.key;
      },
      {
        algorithms: [...SIGNING_ALGS],
        issuer: options.issuer,
        ...(options.audience !== undefined && { audience: options.audience }),
        typ: 'at+jwt',
        currentDate: new Date(options.now),
        requiredClaims: ['exp', 'iat', 'jti', 'sub', 'client_id'],
      },
    );
    if (typeof payload.jti !== 'string' || typeof payload.sub !== 'string' || typeof payload.client_id !== 'string') {
      return { ok: false, problem: 'missing-claim', description: 'sub, jti and client_id must be strings' };
    }
    return { ok: true, payload: payload as AccessTokenClaims, header: protectedHeader };
  } catch (error) {
    return { ok: false, ...describeJoseFailure(error) };
  }
}

function describeJoseFailure(error: unknown): { problem: AccessTokenProblem; description: string } {
  if (error instanceof errors.JWTExpired) return { problem: 'expired', description: 'access token has expired' };
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss': return { problem: 'wrong-issuer', description: 'access token was not issued by this issuer' };
      case 'aud': return { problem: 'wrong-audience', description: 'access token is not meant for this resource (aud)' };
      case 'typ': return { problem: 'wrong-type', description: 'not an access token (typ must be at+jwt)' };
      case 'nbf':
      case 'iat': return { problem: 'not-yet-valid', description: `access token is not valid yet (${error.claim})` };
      default: return { problem: 'missing-claim', description: `access token claim ${error.claim} is missing or invalid` };
    }
  }
  if (error instanceof errors.JWKSNoMatchingKey) return { problem: 'unknown-kid', description: 'access token was signed by a key this issuer does not publish' };
  if (error instanceof errors.JWSSignatureVerificationFailed) return { problem: 'bad-signature', description: 'access token signature does not verify' };
  return { problem: 'malformed', description: 'access token is malformed' };
}
