/** iss and aud: who made the token and for whom. Without them a token made for one service works at another. */
import type { LintRule } from '../types';
import { claimPath, claimsOf, has, kindOf, show } from './token-view';

export const issMissing: LintRule = {
  id: 'iss-missing',
  severity: 'info',
  rfc: 'RFC 8725 §3.8',
  summary:
    'The claims have no usable "iss" (missing, empty or not a string): verifiers cannot check who issued the token.',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const iss = claims.iss;
    if (typeof iss === 'string' && iss !== '') return [];
    const message = !has(claims, 'iss')
      ? 'No "iss" claim: a verifier cannot tell which issuer made the token, nor pick that issuer\'s keys.'
      : `"iss" is ${typeof iss === 'string' ? 'an empty string' : `${kindOf(iss)} (${show(iss)})`}; it must be a non-empty string (StringOrURI).`;
    return [{ path: claimPath('iss'), message }];
  },
};

export const audMissing: LintRule = {
  id: 'aud-missing',
  severity: 'warning',
  rfc: 'RFC 8725 §3.9',
  summary: 'The claims have no usable "aud": a token meant for one service can be replayed at another.',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const aud = claims.aud;
    if (typeof aud === 'string' && aud !== '') return [];
    if (Array.isArray(aud) && aud.length > 0 && aud.every((a) => typeof a === 'string' && a !== '')) return [];
    let message: string;
    if (!has(claims, 'aud')) {
      message =
        'No "aud" claim: any service that trusts this issuer would accept the token, so one meant for one service can be replayed at another.';
    } else if (Array.isArray(aud)) {
      message =
        aud.length === 0
          ? '"aud" is an empty array: the token names no audience at all.'
          : `"aud" has entries that are not non-empty strings (${show(aud)}).`;
    } else {
      message = `"aud" is ${typeof aud === 'string' ? 'an empty string' : `${kindOf(aud)} (${show(aud)})`}; it must be a string or an array of strings.`;
    }
    return [{ path: claimPath('aud'), message }];
  },
};
