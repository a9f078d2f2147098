import { formatDuration, guessNumericDateUnit, isNumericDate } from '../../core/time';
import type { LintRule } from '../types';
import { accessTokenReason, claimPath, claimsOf } from './token-view';

const DEFAULT_MAX_LIFETIME = 3600;

/** Access tokens are bearer credentials: the shorter they live, the less a leaked one is worth. */
export const lifetimeLong: LintRule = {
  id: 'lifetime-long',
  severity: 'warning',
  rfc: 'RFC 6819 §5.1.5.3',
  summary: 'An access token (typ at+jwt, or scope / scp / client_id claims) lives longer than 1 hour (exp − iat).',
  target: 'payload',
  check(token, ctx) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const exp = claims.exp;
    const startName = isNumericDate(claims.iat) ? 'iat' : isNumericDate(claims.nbf) ? 'nbf' : null;
    if (!isNumericDate(exp) || startName === null) return [];
    const start = claims[startName] as number;
    // Milliseconds would make every lifetime look huge; numeric-date-invalid reports those.
    if (guessNumericDateUnit(exp) !== 'seconds' || guessNumericDateUnit(start) !== 'seconds') return [];
    const max = ctx.maxAccessTokenLifetime ?? DEFAULT_MAX_LIFETIME;
    const lifetime = exp - start;
    if (lifetime <= max) return [];
    const why = accessTokenReason(token, claims);
    if (why === null) return [];
    return [
      {
        path: claimPath('exp'),
        message:
          `This looks like an access token (${why}) and lives ${formatDuration(lifetime)} (exp − ${startName}), over ${formatDuration(max)}: ` +
          'a leaked bearer token stays usable that long. Prefer short-lived access tokens and refresh tokens.',
      },
    ];
  },
};
