/**
 * The lint engine: runs rules over a decoded token, isolates a failing rule, fills in each finding's
 * rule id / severity / RFC, and orders the result (severity, then path, then rule).
 */
import type { DecodedToken } from '../core/token';
import { nowSeconds } from '../core/time';
import type { Finding, LintContext, LintRule, Severity } from './types';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Fills in defaults and drops values that are not usable numbers. */
export function resolveLintContext(context?: Partial<LintContext>): LintContext {
  const now = context?.now;
  const leeway = context?.leeway;
  const resolved: LintContext = {
    now: typeof now === 'number' && Number.isFinite(now) ? now : nowSeconds(),
    leeway: typeof leeway === 'number' && Number.isFinite(leeway) && leeway > 0 ? leeway : 0,
  };
  const secretLength = context?.secretLength;
  if (typeof secretLength === 'number' && Number.isFinite(secretLength) && secretLength >= 0) {
    resolved.secretLength = secretLength;
  }
  const max = context?.maxAccessTokenLifetime;
  if (typeof max === 'number' && Number.isFinite(max) && max > 0) resolved.maxAccessTokenLifetime = max;
  const known = context?.knownSecret;
  if (known && typeof known.secret === 'string' && typeof known.source === 'string') {
    resolved.knownSecret = { secret: known.secret, source: known.source };
  }
  return resolved;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)
  );
}

/**
 * Runs `rules` over `token`. A rule that throws yields one `info` finding saying so instead of taking
 * the other rules down. JWE tokens get only the rules that read the (cleartext) header.
 */
export function runRules(rules: readonly LintRule[], token: DecodedToken, context?: Partial<LintContext>): Finding[] {
  const ctx = resolveLintContext(context);
  const findings: Finding[] = [];
  const encrypted = token.kind === 'jwe';
  for (const rule of rules) {
    if (encrypted && rule.target !== 'header') continue;
    try {
      for (const f of rule.check(token, ctx)) {
        const finding: Finding = {
          rule: rule.id,
          severity: f.severity ?? rule.severity,
          message: f.message,
          rfc: rule.rfc,
          path: f.path,
        };
        if (f.secret !== undefined) finding.secret = f.secret;
        findings.push(finding);
      }
    } catch (e) {
      findings.push({
        rule: rule.id,
        severity: 'info',
        message: `The ${rule.id} check could not run on this token (${e instanceof Error ? e.message : String(e)})`,
        rfc: rule.rfc,
        path: 'token',
      });
    }
  }
  return findings.sort(compareFindings);
}
