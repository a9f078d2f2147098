import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodedToken } from '../../../shared/core/token';
import { lintToken } from '../../../shared/lint/index';
import type { Finding, KnownSecret, LintContext } from '../../../shared/lint/types';
import { CrackError, findKnownSecretsList, isHmacAlg, KnownSecretCheck, loadKnownSecretsList, ScanPool } from '../../services/crack';
import { flagOption, singleTokenArgument } from '../args';
import type { Command } from '../command';
import { describeTokenError } from '../format';
import type { CliIo } from '../io';
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
      const line = `${severity}  ${f.rule.padEnd(ruleWidth)}  ${f.path.padEnd(pathWidth)}  ${f.message} ${style.dim(`(${f.rfc})`)}`;
      return f.secret === undefined ? line : `${line}\n${' '.repeat(9 + ruleWidth + 2)}secret: ${JSON.stringify(f.secret)}`;
    })
    .join('\n');
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'check a token against the rule table (alg-none, exp-missing, …)',
  help: `Usage: jwtdbg lint [TOKEN] [--now SECONDS] [--leeway SECONDS] [--no-known-secrets] [--json]

Runs every lint rule on the decoded token (the rule ids are listed in the README). Lint does not
verify the signature. Without TOKEN, reads tokens from stdin, one per line, and prints one JSON
line per token.

For an HS256/384/512 token, lint also tries the built-in list of publicly known secrets (about
104,000, on all CPU cores; see jwtdbg crack) and reports hmac-secret-known with the secret when
one signs the token. That scan is most of lint's time for such a token (a fraction of a second);
in a batch, a token seen before and secrets already found are checked first.

Options:
  --now SECONDS     NumericDate the time rules (exp-passed, nbf-future, …) use; default now
  --leeway SECONDS  clock tolerance for the time rules; default 0
  --no-known-secrets
                    skip the known-secret scan (hmac-secret-known is then not checked): for
                    fast batches of HS tokens whose keys are known to be strong
  --json            machine output: {"findings": [{"rule","severity","message","path","rfc"}],
                    "error": null | {"code","message","segment","offset"}}; an hmac-secret-known
                    finding also has "secret"
  -h, --help        show this help

Exit status: 0 when the token decodes, whatever the findings (read their severity);
1 when it cannot be decoded (any, for stdin); 2 bad usage.`,
  options: {
    now: { type: 'string' },
    leeway: { type: 'string' },
    'no-known-secrets': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('lint', positionals);
    const context: Partial<LintContext> = {};
    const now = parseNumericDate(values, 'now', 'lint');
    const leeway = parseSeconds(values, 'leeway', 'lint');
    if (now !== undefined) context.now = now;
    if (leeway !== undefined) context.leeway = leeway;
    // Opted out: no list read, no worker started, and the rule is simply not run.
    const knownSecrets = flagOption(values, 'no-known-secrets') ? NO_SCAN : knownSecretScan(io);
    try {
      return await runOnTokens<LintOutcome>(io, 'lint', token, flagOption(values, 'json'), {
        async handle(text) {
          const decoded = decodeToken(text);
          if (!decoded.ok) return { ok: false, error: decoded.error };
          const knownSecret = await knownSecrets.check(decoded.token);
          return { ok: true, findings: lintToken(decoded.token, knownSecret ? { ...context, knownSecret } : context) };
        },
        ok: (outcome) => outcome.ok,
        json: (outcome): LintJson =>
          outcome.ok
            ? { findings: outcome.findings.map(findingJson), error: null }
            : { findings: [], error: outcome.error },
        text: lintText,
        failure: (error): LintJson => ({ findings: [], error }),
      });
    } finally {
      await knownSecrets.close();
    }
  },
};

const NO_SCAN = { check: () => Promise.resolve(null), close: () => Promise.resolve() };

/**
 * The hmac-secret-known scan for this run: the list is found and read, and the workers started, only for
 * the first HS256/384/512 token. Without the list (a bundle copied away from its data/), lint still runs
 * every other rule and says once, on stderr, that this one was not checked.
 */
function knownSecretScan(io: CliIo): { check(token: DecodedToken): Promise<KnownSecret | null>; close(): Promise<void> } {
  let pool: ScanPool | null = null;
  let check: Promise<KnownSecretCheck | null> | null = null;
  const start = async (): Promise<KnownSecretCheck | null> => {
    const notChecked = (why: string): null => {
      io.stderr.write(`jwtdbg lint: warning: ${why}: hmac-secret-known is not checked\n`);
      return null;
    };
    const file = await findKnownSecretsList(path.dirname(fileURLToPath(import.meta.url)));
    if (file === null) return notChecked('the list of known secrets (data/known-jwt-secrets) is missing from this installation');
    const workers = (pool = new ScanPool());
    // The workers start while the list is read.
    workers.prestart();
    try {
      return new KnownSecretCheck(await loadKnownSecretsList(file), workers);
    } catch (error) {
      if (error instanceof CrackError) return notChecked(error.message);
      throw error;
    }
  };
  return {
    async check(token) {
      if (token.kind !== 'jws' || !isHmacAlg(token.header.alg)) return null;
      check ??= start();
      return (await check)?.check(token) ?? null;
    },
    async close() {
      await pool?.close();
    },
  };
}

// A fixed key order so the JSON reads the same whatever the engine adds to a finding.
function findingJson(f: Finding): Finding {
  const json: Finding = { rule: f.rule, severity: f.severity, message: f.message, path: f.path, rfc: f.rfc };
  if (f.secret !== undefined) json.secret = f.secret;
  return json;
}
