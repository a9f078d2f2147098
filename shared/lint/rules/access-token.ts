/**
 * OAuth access tokens as JWTs (RFC 9068) and the tokens that must never stand in for them: the claims an
 * `at+jwt` must carry, and ID tokens dressed as access tokens.
 */
import type { LintRule, RuleFinding } from '../types';
import { accessTokenReason, claimPath, claimsOf, has, show, type Claims } from './token-view';
import type { DecodedToken } from '../../core/token';

/** `at+jwt` with or without the `application/` prefix, any letter case (RFC 9068 §2.1). */
function isAtJwt(token: DecodedToken): boolean {
  const typ = token.header.typ;
  if (typeof typ !== 'string') return false;
  const t = typ.trim().toLowerCase();
  return t === 'at+jwt' || t === 'application/at+jwt';
}

/** RFC 9068 §2.2: claims every JWT access token carries. */
const AT_JWT_REQUIRED = ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'] as const;

export const atJwtClaims: LintRule = {
  id: 'at-jwt-claims',
  severity: 'warning',
  rfc: 'RFC 9068 §2.2',
  summary:
    'A token typed at+jwt lacks a claim RFC 9068 requires of JWT access tokens (iss, exp, aud, sub, client_id, iat, jti).',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims || !isAtJwt(token)) return [];
    return AT_JWT_REQUIRED.filter((name) => !has(claims, name)).map(
      (name): RuleFinding => ({
        path: claimPath(name),
        message: `The token is typed ${show(token.header.typ)} but has no "${name}" claim, which RFC 9068 requires of every JWT access token: resource servers following the profile reject it.`,
      }),
    );
  },
};

/**
 * Why the claims say this is an OpenID Connect ID token, or null. Only marks that access tokens do not
 * carry count: the hash claims at_hash / c_hash / s_hash (OIDC Core §3.1.3.6, §3.3.2.11), Keycloak's
 * `"typ": "ID"` claim, Cognito's `token_use: "id"`, and a nonce with an audience that is the client itself
 * (aud = azp). nonce, azp and auth_time alone do not: some servers put them in access tokens too.
 */
function idTokenReason(claims: Claims): string | null {
  for (const name of ['at_hash', 'c_hash', 's_hash']) {
    if (has(claims, name)) return `the "${name}" claim`;
  }
  if (typeof claims.typ === 'string' && claims.typ.toLowerCase() === 'id') return 'the claim "typ": "ID"';
  if (claims.token_use === 'id') return 'token_use "id"';
  const azp = claims.azp;
  const aud = claims.aud;
  const audIsClient = typeof azp === 'string' && (aud === azp || (Array.isArray(aud) && aud.length === 1 && aud[0] === azp));
  if (has(claims, 'nonce') && audIsClient) return 'a nonce and an audience that is the client itself (aud = azp)';
  return null;
}

/**
 * Lint sees the token alone, not where it was sent, so the sound signal is a token that carries the marks
 * of both kinds: an ID token (by the claims above) that also presents itself as an access token (typ
 * at+jwt, scope / scp / client_id claims, token_use "access"). A plain ID token is not flagged.
 */
export const idTokenAsAccess: LintRule = {
  id: 'id-token-as-access',
  severity: 'warning',
  rfc: 'RFC 8725 §3.12',
  summary:
    'An OpenID Connect ID token (at_hash / c_hash / s_hash, token_use "id", nonce with aud = azp) also claims to be an access token (typ at+jwt, scope, client_id).',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const asId = idTokenReason(claims);
    if (asId === null) return [];
    const asAccess = accessTokenReason(token, claims);
    if (asAccess === null) return [];
    return [
      {
        path: isAtJwt(token) ? 'header.typ' : 'token',
        message:
          `The token reads as an ID token (${asId}) and as an access token (${asAccess}). An ID token is addressed to the ` +
          'client that logged the user in, not to an API: a resource server must accept only tokens typed and issued as ' +
          'access tokens (typ at+jwt, RFC 9068 §4), never ID tokens.',
      },
    ];
  },
};
