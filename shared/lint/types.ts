import type { DecodedToken } from '../core/token';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable kebab-case id, documented in the README's rule table. */
  rule: string;
  severity: Severity;
  message: string;
  /** e.g. "RFC 8725 §3.1" */
  rfc: string;
  /** JSON path the finding points at: `header.alg`, `payload.exp`, `payload.address.card`, or `token`. */
  path: string;
}

export interface LintContext {
  /** NumericDate the time rules use; default now. */
  now: number;
  /** Clock tolerance for time rules, seconds. */
  leeway: number;
  /** When the user verifies with a secret: its raw bytes length, for `hmac-secret-short`. */
  secretLength?: number;
}

export interface LintRule {
  id: string;
  severity: Severity;
  rfc: string;
  /** One line for the README table. */
  summary: string;
  check(token: DecodedToken, context: LintContext): Omit<Finding, 'rule' | 'severity' | 'rfc'>[];
}
