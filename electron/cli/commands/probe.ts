import { TokenError, WorkbenchError } from '../../../shared/core/errors';
import { ProbeError, runProbe, type ProbeReport, type ProbeResult } from '../../services/probe';
import { flagOption, stringOption } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { describeTokenError } from '../format';
import { LineWriter } from '../io';
import { createStyle, type Style } from '../style';
import { InputError, UsageError } from '../usage-error';

const TIMEOUT_MS = 10_000;

function resultText(r: ProbeResult, style: Style): string {
  const status = r.status === null ? `- (${r.error ?? 'no answer'})` : String(r.status);
  const verdict = r.accepted ? style.bad('ACCEPTED') : style.ok('refused');
  return `${r.kind.padEnd(15)} ${r.variant.padEnd(18)} ${status.padEnd(8)} ${verdict}`;
}

/** What the table cannot say per row: the kinds skipped and the key server the probe ran. */
function notes(report: Pick<ProbeReport, 'skipped' | 'keyServer'>): string[] {
  const lines = report.skipped.map((s) => `skipped ${s.kind}: ${s.reason}`);
  if (report.keyServer !== null) lines.push(`jku and x5u: their JWKS and certificate were hosted by the probe on ${report.keyServer} (loopback, for this run only)`);
  return lines;
}

export const probeCommand: Command = {
  name: 'probe',
  summary: 'send a token and every attack variant of it to a verifier, and report which it accepts',
  help: `Usage: jwtdbg probe URL --token TOKEN [--key FILE] [--header NAME] [--scheme WORD] [--json]

Tests a verifier you run: sends GET URL with the token in a header (default
"Authorization: Bearer TOKEN"), first the original token, which must be accepted (a 2xx answer),
then every attack variant jwtdbg attack makes from it, one request each, in turn. A verifier
must refuse them all. Accepted means a 2xx answer.

Kinds tried: none, null-signature, blank-secret, kid-injection, psychic, embedded-jwk; with
--key also key-confusion; for a loopback URL (127.0.0.0/8, ::1, localhost) also jku and x5u,
whose JWKS and certificate the probe hosts itself on 127.0.0.1 for the run. weak-secret needs a
cracked secret: use jwtdbg crack, then jwtdbg attack weak-secret. Skipped kinds are listed.

Requests go only to URL (and to the probe's own loopback key server, fetched by the verifier),
one at a time, each with a ${TIMEOUT_MS / 1000} s timeout; redirects are not followed (a 3xx counts
as refused). The token is never printed.

Options:
  --token TOKEN    a token the verifier accepts (required)
  --key FILE       the verifier's PUBLIC key (PEM, X.509 certificate, JWK or JWKS): adds the
                   key-confusion variants
  --header NAME    the header that carries the token; default Authorization
  --scheme WORD    what precedes the token in that header; default Bearer; '' sends the bare token
  --json           one line per variant: {"kind","variant","status","accepted"} (status null and
                   "error" when no answer came); skipped kinds and the key server go to stderr
  -h, --help       show this help

Exit status: 0 every variant refused; 1 at least one accepted; 2 bad usage, an unusable token or
key file, or the original token not accepted (or no answer for it).`,
  options: {
    token: { type: 'string' },
    key: { type: 'string' },
    header: { type: 'string' },
    scheme: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) throw new UsageError('missing URL: the verifier to probe', 'probe');
    if (positionals.length > 1) throw new UsageError('takes one URL; give the token with --token', 'probe');
    const url = positionals[0]!;
    const token = stringOption(values, 'token');
    if (token === undefined || token.trim() === '') throw new UsageError('missing --token TOKEN (a token the verifier accepts)', 'probe');
    const keyFile = stringOption(values, 'key');
    if (keyFile === '') throw new UsageError('--key needs a file name', 'probe');
    const key = keyFile === undefined ? undefined : await readTextFile(keyFile, 'key file', 'probe');
    const header = stringOption(values, 'header');
    const scheme = stringOption(values, 'scheme');
    const asJson = flagOption(values, 'json');
    const style = createStyle(io.stdout.isTTY, io.env);
    const out = new LineWriter(io.stdout);

    if (!asJson) await out.line(style.bold(`${'kind'.padEnd(15)} ${'variant'.padEnd(18)} ${'status'.padEnd(8)} result`));
    let report: ProbeReport;
    try {
      report = await runProbe({
        url,
        token,
        ...(key !== undefined && { key }),
        ...(header !== undefined && { header }),
        ...(scheme !== undefined && { scheme }),
        timeoutMs: TIMEOUT_MS,
        onResult: async (r) => {
          await out.line(asJson ? JSON.stringify(r) : resultText(r, style));
          await out.flush();
        },
      });
    } catch (err) {
      await out.flush();
      if (err instanceof TokenError) throw new InputError(`cannot probe with the token: ${describeTokenError(err.info)}`, 'probe');
      if (err instanceof ProbeError && (err.code === 'invalid-url' || err.code === 'invalid-header')) throw new UsageError(err.message, 'probe');
      if (err instanceof WorkbenchError) throw new InputError(`${err.code}: ${err.message}`, 'probe');
      throw err;
    }
    const accepted = report.results.filter((r) => r.accepted).length;
    if (asJson) {
      for (const line of notes(report)) io.stderr.write(`${line}\n`);
    } else {
      await out.line('');
      for (const line of notes(report)) await out.line(style.dim(line));
      await out.line(
        accepted === 0
          ? style.ok(`all ${report.results.length} variants refused (the original token: HTTP ${report.original})`)
          : style.bad(`${accepted} of ${report.results.length} variants ACCEPTED: the verifier is vulnerable`),
      );
    }
    await out.flush();
    return accepted === 0 ? 0 : 1;
  },
};
