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
  /** `hmac-secret-known` only: the secret that was found, to verify or re-sign with (never in `message`). */
  secret?: string;
}

/** A secret of the token found by a known-secret scan (the caller runs it: it needs Node's workers). */
export interface KnownSecret {
  secret: string;
  /** Where it was found: `builtin` (the bundled list of publicly known secrets) or a wordlist's name. */
  source: string;
}

export interface LintContext {
  /** NumericDate the time rules use; default now. */
  now: number;
  /** Clock tolerance for time rules, seconds. */
  leeway: number;
  /** When the user verifies with a secret: its raw bytes length, for `hmac-secret-short`. */
  secretLength?: number;
  /** Longest lifetime (exp − iat, seconds) `lifetime-long` accepts for an access token; default 3600. */
  maxAccessTokenLifetime?: number;
  /** When a known-secret scan found the token's HMAC secret, for `hmac-secret-known`. */
  knownSecret?: KnownSecret;
}

/** What a rule reads: JWE tokens are linted by `header` rules only (their payload is encrypted). */
export type RuleTarget = 'header' | 'payload' | 'key';

/** A finding as a rule reports it; the engine adds the rule's id and defaults. */
export type RuleFinding = Omit<Finding, 'rule' | 'severity' | 'rfc'> & {
  /** Overrides the rule's severity for this finding (e.g. milliseconds vs. not a number). */
  severity?: Severity;
};

export interface LintRule {
  id: string;
  /** The rule's usual severity (a finding may override it). */
  severity: Severity;
  rfc: string;
  /** One line for the README table. */
  summary: string;
  target: RuleTarget;
  check(token: DecodedToken, context: LintContext): RuleFinding[];
}
