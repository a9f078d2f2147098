import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import { lintToken } from '../../../shared/lint/index';
import type { Finding, LintContext } from '../../../shared/lint/types';
import { flagOption, singleTokenArgument } from '../args';
import type { Command } from '../command';
import { describeTokenError } from '../format';
import { parseNumericDate, parseSeconds } from '../options';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';

export interface LintJson {
  findings: Finding[];
  /** Set when the token could not be decoded (then there is nothing to lint), or not handled (TokenFailure). */
  error: TokenErrorInfo | TokenFailure | null;
}

type LintOutcome = { ok: true; findings: Finding[] } | { ok: false; error: TokenErrorInfo };

const SEVERITY_STYLE = { error: 'bad', warning: 'warn', info: 'dim' } as const;

function lintText(outcome: LintOutcome, style: Style): string {
  if (!outcome.ok) return style.bad(`cannot lint: ${describeTokenError(outcome.error)}`);
  if (outcome.findings.length === 0) return style.ok('no findings');
  const ruleWidth = Math.max(...outcome.findings.map((f) => f.rule.length));
  const pathWidth = Math.max(...outcome.findings.map((f) => f.path.length));
  return outcome.findings
    .map((f) => {
      const severity = style[SEVERITY_STYLE[f.severity]](f.severity.padEnd(7));
      return `${severity}  ${f.rule.padEnd(ruleWidth)}  ${f.path.padEnd(pathWidth)}  ${f.message} ${style.dim(`(${f.rfc})`)}`;
    })
    .join('\n');
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check a token against the rule table (alg-none, exp-missing, …)',
  help: `Usage: jwtdbg lint [TOKEN] [--now SECONDS] [--leeway SECONDS] [--json]

Runs every lint rule on the decoded token (the rule ids are listed in the README). Lint does not
verify the signature. Without TOKEN, reads tokens from stdin, one per line, and prints one JSON
line per token.

Options:
  --now SECONDS     NumericDate the time rules (exp-passed, nbf-future, …) use; default now
  --leeway SECONDS  clock tolerance for the time rules; default 0
  --json            machine output: {"findings": [{"rule","severity","message","path","rfc"}],
                    "error": null | {"code","message","segment","offset"}}
  -h, --help        show this help

Exit status: 0 when the token decodes, whatever the findings (read their severity);
1 when it cannot be decoded (any, for stdin); 2 bad usage.`,
  options: {
    now: { type: 'string' },
    leeway: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('lint', positionals);
    const context: Partial<LintContext> = {};
    const now = parseNumericDate(values, 'now', 'lint');
    const leeway = parseSeconds(values, 'leeway', 'lint');
    if (now !== undefined) context.now = now;
    if (leeway !== undefined) context.leeway = leeway;
    return runOnTokens<LintOutcome>(io, 'lint', token, flagOption(values, 'json'), {
      handle(text) {
        const decoded = decodeToken(text);
        return decoded.ok ? { ok: true, findings: lintToken(decoded.token, context) } : { ok: false, error: decoded.error };
      },
      ok: (outcome) => outcome.ok,
      json: (outcome): LintJson =>
        outcome.ok
          ? { findings: outcome.findings.map(findingJson), error: null }
          : { findings: [], error: outcome.error },
      text: lintText,
      failure: (error): LintJson => ({ findings: [], error }),
    });
  },
};

// A fixed key order so the JSON reads the same whatever the engine adds to a finding.
function findingJson(f: Finding): Finding {
  return { rule: f.rule, severity: f.severity, message: f.message, path: f.path, rfc: f.rfc };
}
