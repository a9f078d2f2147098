/**
 * OpenID Connect token-pair checks (OIDC Core §3.1.3.6–3.1.3.8, §3.2.2.9–10, §3.3.2.11, FAPI's s_hash): an ID
 * token binds the access token, code and state issued with it by hashes of them, and the nonce the client
 * sent. Each check runs only when the caller gives the value to check against, and is reported like a claim
 * check (`{ claim: "at_hash", ok, message }`).
 */
import { encodeBase64url, utf8Bytes } from './base64url';
import type { ClaimCheck, VerifyOptions } from './verify-types';
import { subtle } from './webcrypto';

type PairOptions = Pick<VerifyOptions, 'accessToken' | 'code' | 'state' | 'nonce'>;

/** True when any token-pair value was given (the checks cost a hash each; none run otherwise). */
export function wantsTokenPairChecks(options: VerifyOptions): boolean {
  return options.accessToken !== undefined || options.code !== undefined || options.state !== undefined || options.nonce !== undefined;
}

/**
 * The hash an ID token's `*_hash` claims use: the one of its alg (RS256 → SHA-256, ES384 → SHA-384, …);
 * for EdDSA (Ed25519) SHA-512, as the OpenID Foundation settled it. Null for an alg with no hash.
 */
export function tokenPairHash(alg: string | null): 'SHA-256' | 'SHA-384' | 'SHA-512' | null {
  if (alg === 'EdDSA' || alg === 'Ed25519') return 'SHA-512';
  const bits = /^(?:HS|RS|PS|ES)(256|384|512)$/.exec(alg ?? '')?.[1];
  return bits ? (`SHA-${bits}` as 'SHA-256' | 'SHA-384' | 'SHA-512') : null;
}

/** base64url of the left-most half of the hash of `value`'s ASCII/UTF-8 bytes (OIDC Core §3.1.3.6). */
export async function leftHalfHash(hash: 'SHA-256' | 'SHA-384' | 'SHA-512', value: string): Promise<string> {
  const digest = new Uint8Array(await subtle().digest(hash, utf8Bytes(value)));
  return encodeBase64url(digest.subarray(0, digest.length / 2));
}

export async function tokenPairChecks(payload: unknown, alg: string | null, options: PairOptions): Promise<ClaimCheck[]> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return [];
  const claims = payload as Record<string, unknown>;
  const checks: Omit<ClaimCheck, 'checked'>[] = [];
  const hash = tokenPairHash(alg);
  const bound: [claim: 'at_hash' | 'c_hash' | 's_hash', given: string | undefined, what: string][] = [
    ['at_hash', options.accessToken, 'access token'],
    ['c_hash', options.code, 'authorization code'],
    ['s_hash', options.state, 'state'],
  ];
  for (const [claim, given, what] of bound) {
    if (given === undefined) continue;
    const value = claims[claim];
    if (value === undefined) {
      checks.push({ claim, ok: false, message: `no ${claim} in the token: it does not bind the ${what} given` });
    } else if (hash === null) {
      checks.push({ claim, ok: false, message: `${claim} cannot be checked: alg ${JSON.stringify(alg)} names no hash` });
    } else {
      const expected = await leftHalfHash(hash, given);
      checks.push(
        value === expected
          ? { claim, ok: true, message: `matches the ${what} (left half of ${hash}, as the token's alg ${alg} says)` }
          : { claim, ok: false, message: `does not match the ${what}: expected ${expected} (left half of ${hash}), the token has ${show(value)}` },
      );
    }
  }
  if (options.nonce !== undefined) {
    const nonce = claims.nonce;
    checks.push(
      nonce === options.nonce
        ? { claim: 'nonce', ok: true, message: 'matches the nonce sent in the authentication request' }
        : {
            claim: 'nonce',
            ok: false,
            message: nonce === undefined ? 'no nonce in the token, but one was sent: a replayed or injected ID token' : `is ${show(nonce)}, not the nonce sent: a replayed or injected ID token`,
          },
    );
  }
  // OIDC Core §3.1.3.7 (4, 5): with several audiences, azp names the client the token was issued to.
  if (Array.isArray(claims.aud) && claims.aud.length > 1) {
    checks.push(
      typeof claims.azp === 'string' && claims.azp !== ''
        ? { claim: 'azp', ok: true, message: `the token has ${claims.aud.length} audiences and names its authorized party, ${JSON.stringify(claims.azp)}` }
        : { claim: 'azp', ok: false, message: `the token has ${claims.aud.length} audiences but no azp: which client it was issued to is not said (OIDC Core §3.1.3.7)` },
    );
  }
  // Each of these compares against a value the caller gave: always judged.
  return checks.map((c) => ({ ...c, checked: true }));
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value) : typeof value;
  return text;
}
