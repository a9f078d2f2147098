/**
 * The lint rule table and the entry point. Rule ids are stable: the CLI prints them, the README
 * documents them, users filter on them. Order here is the README's order.
 */
import type { DecodedToken } from '../core/token';
import { runRules } from './engine';
import { atJwtClaims, idTokenAsAccess } from './rules/access-token';
import { algNone } from './rules/alg-none';
import { algWeak } from './rules/alg-weak';
import { base64urlNoncanonical } from './rules/base64url';
import { critUnknown } from './rules/crit';
import { duplicateMember } from './rules/duplicates';
import { headerKeyEmbedded } from './rules/header-key';
import { hmacSecretShort } from './rules/hmac-secret';
import { hmacSecretKnown } from './rules/hmac-secret-known';
import { jweP2cLarge, jweRsa15, jweZip } from './rules/jwe';
import { kidSuspicious } from './rules/kid';
import { lifetimeLong } from './rules/lifetime';
import { nestedJwt } from './rules/nested';
import { audMissing, issMissing } from './rules/registered-claims';
import { sensitiveData } from './rules/sensitive-data';
import { expMissing, expPassed, iatFuture, nbfFuture, numericDateInvalid } from './rules/time';
import { tokenLarge } from './rules/token-large';
import { typUnexpected } from './rules/typ';
import { typMissing } from './rules/typ-missing';
import type { Finding, LintContext, LintRule } from './types';

export const LINT_RULES: readonly LintRule[] = Object.freeze([
  algNone,
  algWeak,
  expMissing,
  expPassed,
  nbfFuture,
  iatFuture,
  lifetimeLong,
  atJwtClaims,
  idTokenAsAccess,
  issMissing,
  audMissing,
  typUnexpected,
  typMissing,
  critUnknown,
  headerKeyEmbedded,
  kidSuspicious,
  nestedJwt,
  jweZip,
  jweRsa15,
  jweP2cLarge,
  numericDateInvalid,
  duplicateMember,
  base64urlNoncanonical,
  tokenLarge,
  sensitiveData,
  hmacSecretShort,
  hmacSecretKnown,
]);

/**
 * Findings for a decoded token, sorted by severity then path. `context.now` (NumericDate) and
 * `context.leeway` drive the time rules; `context.secretLength` enables `hmac-secret-short`. Never throws.
 */
export function lintToken(token: DecodedToken, context?: Partial<LintContext>): Finding[] {
  try {
    return runRules(LINT_RULES, token, context);
  } catch {
    // Only a token object that is not a DecodedToken at all can get here (rules are isolated).
    return [];
  }
}

export { compareFindings, resolveLintContext, runRules } from './engine';
export type { Finding, LintContext, LintRule, RuleFinding, RuleTarget, Severity } from './types';
