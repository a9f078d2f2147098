/**
 * The NumericDate family: exp / nbf / iat against the clock (with leeway), and date claims that are
 * not numbers or are in the wrong unit.
 */
import {
  NUMERIC_DATE_CLAIMS,
  describeExpiry,
  describeIssuedAt,
  describeNotBefore,
  formatDuration,
  formatNumericDate,
  guessNumericDateUnit,
  isNumericDate,
} from '../../core/time';
import type { LintContext, LintRule, RuleFinding } from '../types';
import { claimPath, claimsOf, has, kindOf, show, type Claims } from './token-view';

/** A date claim usable by the clock rules: a number in seconds (milliseconds are numeric-date-invalid's). */
function seconds(claims: Claims, name: string): number | null {
  const v = claims[name];
  return isNumericDate(v) && guessNumericDateUnit(v) === 'seconds' ? v : null;
}

function iso(value: number): string {
  return formatNumericDate(value) ?? 'out of range';
}

function leewayNote(ctx: LintContext): string {
  return ctx.leeway > 0 ? `, leeway ${formatDuration(ctx.leeway)}` : '';
}

export const expMissing: LintRule = {
  id: 'exp-missing',
  severity: 'warning',
  rfc: 'RFC 7519 §4.1.4',
  summary: 'The claims have no "exp": the token never expires, so a leaked copy works forever.',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims || has(claims, 'exp')) return [];
    return [
      {
        path: claimPath('exp'),
        message: 'No "exp" claim: the token never expires, so a leaked copy stays usable forever. Give it an expiry.',
      },
    ];
  },
};

export const expPassed: LintRule = {
  id: 'exp-passed',
  severity: 'error',
  rfc: 'RFC 7519 §4.1.4',
  summary: '"exp" is in the past (beyond the leeway): the token has expired.',
  target: 'payload',
  check(token, ctx) {
    const claims = claimsOf(token);
    const exp = claims ? seconds(claims, 'exp') : null;
    if (exp === null) return [];
    // RFC 7519 §4.1.4: the current time must be before exp; leeway extends it.
    if (ctx.now < exp + ctx.leeway) return [];
    return [
      {
        path: claimPath('exp'),
        message: `The token ${describeExpiry(exp, ctx.now)} ("exp" ${exp} = ${iso(exp)}${leewayNote(ctx)}): verifiers must reject it.`,
      },
    ];
  },
};

export const nbfFuture: LintRule = {
  id: 'nbf-future',
  severity: 'warning',
  rfc: 'RFC 7519 §4.1.5',
  summary: '"nbf" is in the future (beyond the leeway): the token is not valid yet.',
  target: 'payload',
  check(token, ctx) {
    const claims = claimsOf(token);
    const nbf = claims ? seconds(claims, 'nbf') : null;
    if (nbf === null || nbf <= ctx.now + ctx.leeway) return [];
    return [
      {
        path: claimPath('nbf'),
        message: `The token is ${describeNotBefore(nbf, ctx.now)} ("nbf" ${nbf} = ${iso(nbf)}${leewayNote(ctx)}): verifiers reject it until then.`,
      },
    ];
  },
};

export const iatFuture: LintRule = {
  id: 'iat-future',
  severity: 'warning',
  rfc: 'RFC 7519 §4.1.6',
  summary: '"iat" is in the future (beyond the leeway): a skewed issuer clock, or a forged token.',
  target: 'payload',
  check(token, ctx) {
    const claims = claimsOf(token);
    const iat = claims ? seconds(claims, 'iat') : null;
    if (iat === null || iat <= ctx.now + ctx.leeway) return [];
    return [
      {
        path: claimPath('iat'),
        message: `The token says it was ${describeIssuedAt(iat, ctx.now)} ("iat" ${iat} = ${iso(iat)}${leewayNote(ctx)}): the issuer's clock is off, or the token was not made by it.`,
      },
    ];
  },
};

const YEAR_SECONDS = 365.2425 * 86400;

export const numericDateInvalid: LintRule = {
  id: 'numeric-date-invalid',
  severity: 'error',
  rfc: 'RFC 7519 §2',
  summary: 'A date claim (exp, nbf, iat, auth_time, updated_at) is not a NumericDate, or is in milliseconds.',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const out: RuleFinding[] = [];
    for (const name of NUMERIC_DATE_CLAIMS) {
      if (!has(claims, name)) continue;
      const value = claims[name];
      if (!isNumericDate(value)) {
        const numeric = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value);
        out.push({
          path: claimPath(name),
          message:
            `"${name}" is ${kindOf(value)} (${show(value)}), not a NumericDate (a JSON number of seconds since 1970)` +
            (numeric
              ? ': a quoted number; many verifiers ignore or reject it, so the check it stands for may silently not happen.'
              : '.'),
        });
        continue;
      }
      const unit = guessNumericDateUnit(value);
      if (unit === 'seconds') continue;
      const scale = unit === 'milliseconds' ? 1e3 : unit === 'microseconds' ? 1e6 : 1e9;
      const asSeconds = value / scale;
      const year = Math.floor(1970 + value / YEAR_SECONDS);
      out.push({
        severity: 'warning',
        path: claimPath(name),
        message: `"${name}" ${value} looks like ${unit}: read as seconds it is the year ${year}; in seconds it would be ${Math.floor(asSeconds)} (${iso(Math.floor(asSeconds))}).`,
      });
    }
    return out;
  },
};
