import {
  ATTACK_KINDS,
  AttackError,
  FRESH_KEY_TYPES,
  isAttackKind,
  planAttack,
  readAttackTarget,
  type AttackKind,
  type AttackOptions,
  type AttackPlan,
  type AttackVariant,
  type FreshKeyType,
} from '../../../shared/core/attacks/index';
import { TokenError, WorkbenchError, type TokenErrorInfo } from '../../../shared/core/errors';
import { flagOption, singleTokenArgument, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { describeTokenError } from '../format';
import { LineWriter, MAX_LINE_LENGTH, OversizedLine, readLineBatches, type InputLine } from '../io';
import { createStyle, type Style } from '../style';
import { InputError, UsageError } from '../usage-error';

/** Which kinds each option applies to: giving it to another kind is a mistake worth saying. */
const OPTION_KINDS: Record<'key' | 'url' | 'secret' | 'key-type', readonly AttackKind[]> = {
  key: ['key-confusion'],
  url: ['jku', 'x5u'],
  secret: ['weak-secret'],
  'key-type': ['embedded-jwk', 'jku', 'x5u'],
};

/** A token of a stdin batch that got no variants: its line in the output, in the token's place. */
interface AttackFailure {
  code: string;
  message: string;
  segment: TokenErrorInfo['segment'];
  offset: number | null;
}

function parseKind(text: string | undefined): AttackKind {
  if (text === undefined) throw new UsageError(`missing KIND: one of ${ATTACK_KINDS.join(', ')}`, 'attack');
  if (isAttackKind(text)) return text;
  // Echo the word only when it cannot be a token pasted in the wrong place.
  const shown = /^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(text) ? ` '${text}'` : '';
  throw new UsageError(`unknown attack kind${shown}: expected one of ${ATTACK_KINDS.join(', ')}`, 'attack');
}

function listOf(kinds: readonly AttackKind[]): string {
  return kinds.length === 1 ? (kinds[0] as string) : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)}`;
}

/** The options for the core, checked against the kind; reads the --key file. */
async function readAttackOptions(kind: AttackKind, values: OptionValues): Promise<AttackOptions> {
  for (const [name, kinds] of Object.entries(OPTION_KINDS)) {
    if (values[name] !== undefined && !kinds.includes(kind)) throw new UsageError(`--${name} applies only to ${listOf(kinds)}`, 'attack');
  }
  const options: AttackOptions = {};
  const keyFile = stringOption(values, 'key');
  const url = stringOption(values, 'url');
  const secret = stringOption(values, 'secret');
  const keyType = stringOption(values, 'key-type');
  if (kind === 'key-confusion') {
    if (keyFile === undefined) throw new UsageError('key-confusion needs --key PUBLIC_KEY_FILE (the public key the verifier holds)', 'attack');
    if (keyFile === '') throw new UsageError('--key needs a file name', 'attack');
    options.key = await readTextFile(keyFile, 'key file', 'attack');
  }
  if ((kind === 'jku' || kind === 'x5u') && url === undefined) {
    throw new UsageError(`${kind} needs --url URL (where the ${kind === 'jku' ? 'JWKS' : 'certificate'} will be served)`, 'attack');
  }
  if (url !== undefined) options.url = url;
  if (kind === 'weak-secret') {
    if (secret === undefined) throw new UsageError('weak-secret needs --secret TEXT (the cracked secret)', 'attack');
    if (secret === '') throw new UsageError('--secret is empty (an empty secret is the blank-secret attack)', 'attack');
    options.secret = secret;
  }
  if (keyType !== undefined) {
    if (!(FRESH_KEY_TYPES as readonly string[]).includes(keyType)) throw new UsageError(`--key-type must be ${FRESH_KEY_TYPES.join(' or ')}`, 'attack');
    options.keyType = keyType as FreshKeyType;
  }
  return options;
}

/** An error from the core, as the one line of exit 2: option problems point to the help, the rest do not. */
function asUsageError(err: unknown, what: string): UsageError {
  if (err instanceof TokenError) return new InputError(`${what}: ${describeTokenError(err.info)}`, 'attack');
  if (err instanceof AttackError && (err.code === 'option-missing' || err.code === 'option-invalid')) return new UsageError(err.message, 'attack');
  if (err instanceof WorkbenchError) return new InputError(`${what}: ${err.code}: ${err.message}`, 'attack');
  throw err;
}

function variantJson(v: AttackVariant): AttackVariant {
  // A fixed member order, the one the help documents.
  return {
    kind: v.kind,
    variant: v.variant,
    token: v.token,
    explanation: v.explanation,
    ...(v.key && { key: v.key }),
    ...(v.jwks && { jwks: v.jwks }),
    ...(v.pem !== undefined && { pem: v.pem }),
  };
}

function variantText(v: AttackVariant, style: Style): string {
  const lines = [style.bold(`${v.kind} · ${v.variant}`), style.dim(`  ${v.explanation}`), v.token];
  if (v.key) lines.push(style.dim('  key (public JWK):'), JSON.stringify(v.key));
  if (v.jwks) lines.push(style.dim('  JWKS to serve at the jku URL:'), JSON.stringify(v.jwks));
  if (v.pem !== undefined) lines.push(style.dim('  certificate to serve at the x5u URL:'), v.pem.trimEnd());
  return lines.join('\n');
}

async function printVariants(out: LineWriter, variants: AttackVariant[], asJson: boolean, style: Style, first: { done: boolean }): Promise<void> {
  for (const v of variants) {
    if (asJson) {
      await out.line(JSON.stringify(variantJson(v)));
    } else {
      // A blank line between blocks, none before the first.
      if (first.done) await out.line('');
      first.done = true;
      await out.line(variantText(v, style));
    }
  }
}

/** The variants of one stdin line, or why it has none. Never throws. */
async function attackLine(plan: AttackPlan, line: InputLine): Promise<AttackVariant[] | AttackFailure> {
  if (line instanceof OversizedLine) {
    return {
      code: 'token-too-large',
      message: `The line is ${line.length} characters long: at most ${MAX_LINE_LENGTH} are read as one token`,
      segment: 'input',
      offset: null,
    };
  }
  try {
    return await plan.variants(readAttackTarget(line));
  } catch (err) {
    if (err instanceof TokenError) return err.info;
    if (err instanceof WorkbenchError) return { code: err.code, message: err.message, segment: null, offset: null };
    // The error's class only: its message may quote the token, and a token is a credential.
    const kind = err instanceof Error ? err.name : typeof err;
    return { code: 'internal-error', message: `This token could not be processed: an internal error (${kind}) in jwtdbg; please report it`, segment: 'input', offset: null };
  }
}

export const attackCommand: Command = {
  name: 'attack',
  summary: 'forge attack variants of a token (alg none, key confusion, jku, …) to test a verifier',
  help: `Usage: jwtdbg attack KIND [TOKEN] [--key FILE] [--url URL] [--secret TEXT] [--key-type rsa|ec] [--json]

Forges variants of TOKEN that a vulnerable verifier accepts, each with what that verifier does wrong
and the RFC 8725 section that forbids it, ready to copy. Send them to your own verifier: every one
must be rejected (jwtdbg verify with the real key rejects them all). The payload segment is kept
byte for byte; the header keeps its other members, in their order.

TOKEN is read as decode reads it (whitespace, quotes, "Bearer "); without TOKEN, tokens are read
from stdin, one per line, and the variants of each are printed in turn.

Kinds and their variants (for a kind with one variant, "variant" is the alg the token carries):
  none            alg "none", "None", "NONE", "nOnE"; empty signature
  null-signature  the original header and payload, empty signature
  blank-secret    HMAC with an empty secret (the token's HS alg, else HS256)
  key-confusion   --key PUBLIC_KEY_FILE (PEM public key, X.509 certificate, public JWK or JWKS):
                  HS256 with the public key as the HMAC secret, one variant per form:
                  pem-as-file (the file's exact bytes; for a JWK, the SPKI PEM openssl writes),
                  pem-trimmed (without the trailing newline), pkcs1-pem (RSA keys only: PKCS#1
                  defines RSA keys alone, so EC and Ed25519 keys have no such form), spki-der,
                  jwk-json (the public members as compact JSON). Always HS256: a verifier that
                  lets the header pick takes HS384/512 as readily, and every library has HS256
  embedded-jwk    signed with a key made for the attack, its public JWK in the header (jwk) and
                  kid = its RFC 7638 thumbprint; "key" holds that public JWK
  jku             --url URL: signed with a fresh key; header jku = URL and kid; "jwks" holds the
                  JWKS to serve at URL
  x5u             --url URL: signed with a fresh key; header x5u = URL and kid; "pem" holds the
                  self-signed certificate (PEM) to serve at URL
  kid-injection   path-traversal (kid ../../../../../../dev/null, empty secret), sql-injection
                  (kid x' UNION SELECT 'attacker-secret'-- , secret attacker-secret),
                  command-injection (kid key|/usr/bin/touch /tmp/pwned, empty secret)
  psychic         CVE-2022-21449: r = s = 0 as the signature (the token's ES alg, else ES256)
  weak-secret     --secret TEXT: re-signed with a cracked secret (the token's HS alg, else HS256)

Options:
  --key FILE           key-confusion: the public key the verifier holds
  --url URL            jku, x5u: where the JWKS or certificate will be served (http or https)
  --secret TEXT        weak-secret: the secret to sign with (UTF-8)
  --key-type rsa|ec    embedded-jwk, jku, x5u: the fresh key's family; default: the token's
                       (RS*/PS* → RSA 2048, ES* → its curve), else EC P-256. One key per run: every
                       token of a stdin batch points at the same JWKS or certificate
  --json               one line per variant: {"kind","variant","token","explanation"}, plus
                       "key" (public JWK: embedded-jwk, jku, x5u), "jwks" (jku), "pem" (x5u).
                       For stdin, a token without variants prints {"kind","error":{"code",
                       "message","segment","offset"}} in its place
  -h, --help           show this help

Exit status: 0 variants printed; 2 bad usage (unknown kind, missing --key/--url/--secret), an
unreadable or unusable key file, or a token that cannot be attacked (decode's error code; for
stdin, any token: the others are still printed).`,
  options: {
    key: { type: 'string' },
    url: { type: 'string' },
    secret: { type: 'string' },
    'key-type': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [kindText, ...rest] = positionals;
    const kind = parseKind(kindText);
    const token = singleTokenArgument('attack', rest);
    const options = await readAttackOptions(kind, values);
    let plan: AttackPlan;
    try {
      plan = await planAttack(kind, options);
    } catch (err) {
      throw asUsageError(err, `cannot ${kind}`);
    }
    const asJson = flagOption(values, 'json');
    const style = createStyle(io.stdout.isTTY, io.env);
    const out = new LineWriter(io.stdout);
    const first = { done: false };

    if (token !== undefined) {
      let variants: AttackVariant[];
      try {
        variants = await plan.variants(readAttackTarget(token));
      } catch (err) {
        throw asUsageError(err, 'cannot attack the token');
      }
      await printVariants(out, variants, asJson, style, first);
      await out.flush();
      return 0;
    }

    if (io.stdin.isTTY) throw new UsageError('no TOKEN given: pass one as an argument or pipe tokens on stdin, one per line', 'attack');
    let count = 0;
    let failed = false;
    for await (const lines of readLineBatches(io.stdin)) {
      for (const line of lines) {
        count++;
        const outcome = await attackLine(plan, line);
        if (Array.isArray(outcome)) {
          await printVariants(out, outcome, asJson, style, first);
          continue;
        }
        failed = true;
        if (asJson) {
          await out.line(JSON.stringify({ kind, error: outcome }));
        } else {
          if (first.done) await out.line('');
          first.done = true;
          await out.line(style.bad(`error ${describeTokenError(outcome)}`));
        }
      }
      await out.flush();
    }
    if (count === 0) throw new UsageError('no token on stdin (expected one per line)', 'attack');
    return failed ? 2 : 0;
  },
};
