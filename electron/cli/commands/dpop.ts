import {
  DEFAULT_DPOP_MAX_AGE,
  DPOP_IAT_SKEW,
  DpopError,
  createDpopProof,
  isHttpMethod,
  normalizeHtu,
  singleSigningKey,
  verifyDpopProof,
  type DpopCheckOptions,
  type DpopCheckResult,
} from '../../../shared/core/dpop';
import { KeyError, prepareKeys, type PreparedKeys } from '../../../shared/core/keys';
import { createNodeBackend } from '../../services/crypto-node';
import { flagOption, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import type { CliIo } from '../io';
import { readTextFile } from '../files';
import { parseNumericDate, parseSeconds } from '../options';
import { InputError, UsageError } from '../usage-error';

const NAME = 'dpop';

/** The `dpop create --json` shape. */
export interface DpopCreateJson {
  proof: string;
  jkt: string;
}

/** The `dpop verify --json` shape: exactly the core's check result. */
export type DpopVerifyJson = DpopCheckResult;

export const dpopCommand: Command = {
  name: NAME,
  summary: 'create or check a DPoP proof (RFC 9449)',
  help: `Usage: jwtdbg dpop create --key FILE --htm METHOD --htu URL [--access-token T] [--nonce N] [--json]
       jwtdbg dpop verify PROOF --htm METHOD --htu URL [--access-token T] [--nonce N]
                          [--max-age SECONDS] [--now SECONDS] [--json]

create signs a DPoP proof with a private key (PEM or private JWK): header typ "dpop+jwt", the key's
alg (ES256/384/512, EdDSA, RS256 or PS* for an RSA-PSS key) and its PUBLIC jwk; claims jti (random),
htm, htu (URL without query and fragment), iat, ath = base64url(SHA-256(T)) with --access-token,
nonce with --nonce. Prints the proof, or {"proof","jkt"} with --json (jkt: RFC 7638 thumbprint).

verify runs the checks of RFC 9449 §4.3 on PROOF, each one entry of "checks", in this order
(the reason is the first that failed):
  malformed-token  the proof could not be decoded (decode's error code leads the message)
  format           a compact JWS whose payload is a JSON object
  typ              header typ is dpop+jwt (a media type: any case, application/ optional)
  alg              a supported asymmetric algorithm (not none, not HS*)
  jwk              header jwk is a public key (no private member) the alg can use
  signature        the signature verifies under that jwk
  htm              htm equals METHOD
  htu              htu equals URL after normalisation (scheme and host case, default port,
                   percent-encoding, dot segments; query and fragment ignored)
  iat              at most --max-age seconds old, at most ${DPOP_IAT_SKEW} s in the future
  jti              jti is present
  ath              with --access-token: ath is base64url(SHA-256(T)) (required then)
  nonce            with --nonce: nonce equals N
  cnf-jkt          with --access-token a JWT carrying cnf.jkt: it equals the proof key's thumbprint

Options:
  --key FILE           create: the private key (PEM or JWK; one key)
  --htm METHOD         the HTTP method (required)
  --htu URL            the HTTP URI, http or https (required)
  --access-token T     the access token the proof goes with
  --nonce N            the server-provided nonce
  --max-age SECONDS    verify: how old iat may be; default ${DEFAULT_DPOP_MAX_AGE}
  --now SECONDS        verify: NumericDate to check iat at; default now
  --json               create: {"proof","jkt"}; verify: {"valid","reason","jkt",
                       "checks": [{"check","ok","message"}]}
  -h, --help           show this help

Exit status: 0 created / proof valid; 1 proof invalid; 2 bad usage or an unusable key.`,
  options: {
    key: { type: 'string' },
    htm: { type: 'string' },
    htu: { type: 'string' },
    'access-token': { type: 'string' },
    nonce: { type: 'string' },
    'max-age': { type: 'string' },
    now: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action === undefined) throw new UsageError('give an action: create or verify', NAME);
    if (action === 'create') {
      if (rest.length > 0) throw new UsageError('create takes no arguments (the key is --key FILE)', NAME);
      return create(values, io);
    }
    if (action === 'verify') {
      if (rest.length === 0) throw new UsageError('verify needs the PROOF to check', NAME);
      if (rest.length > 1) throw new UsageError(`verify takes one PROOF, got ${rest.length} arguments`, NAME);
      return verify(rest[0] as string, values, io);
    }
    throw new UsageError(`unknown action ${JSON.stringify(action.slice(0, 32))}: create or verify`, NAME);
  },
};

/** --htm, --htu, --access-token and --nonce, shared by both actions. */
function requestOptions(values: OptionValues): { htm: string; htu: string; accessToken?: string; nonce?: string } {
  const htm = stringOption(values, 'htm');
  const htu = stringOption(values, 'htu');
  if (htm === undefined || htm === '') throw new UsageError('--htm METHOD is required', NAME);
  if (!isHttpMethod(htm)) throw new UsageError('--htm must be an HTTP method such as GET or POST', NAME);
  if (htu === undefined || htu === '') throw new UsageError('--htu URL is required', NAME);
  if (normalizeHtu(htu) === null) throw new UsageError('--htu must be an absolute http or https URL', NAME);
  const accessToken = stringOption(values, 'access-token');
  const nonce = stringOption(values, 'nonce');
  if (accessToken === '') throw new UsageError('--access-token is empty', NAME);
  if (nonce === '') throw new UsageError('--nonce is empty', NAME);
  return { htm, htu, ...(accessToken !== undefined && { accessToken }), ...(nonce !== undefined && { nonce }) };
}

async function create(values: OptionValues, io: CliIo): Promise<number> {
  for (const name of ['max-age', 'now']) {
    if (values[name] !== undefined) throw new UsageError(`--${name} applies only to verify`, NAME);
  }
  const request = requestOptions(values);
  const file = stringOption(values, 'key');
  if (file === undefined || file === '') throw new UsageError('create needs --key FILE (a private key)', NAME);
  const text = await readTextFile(file, 'key file', NAME);
  let keys: PreparedKeys;
  try {
    keys = await prepareKeys({ type: 'auto', value: text });
  } catch (err) {
    if (!(err instanceof KeyError)) throw err;
    throw new InputError(`unusable key file '${file}': ${err.code}: ${err.message}`, NAME);
  }
  let made: DpopCreateJson;
  try {
    const { proof, jkt } = await createDpopProof(singleSigningKey(keys.keys), request);
    made = { proof, jkt };
  } catch (err) {
    if (!(err instanceof DpopError)) throw err;
    throw new InputError(`cannot create the proof: ${err.code}: ${err.message}`, NAME);
  }
  io.stdout.write(flagOption(values, 'json') ? `${JSON.stringify(made)}\n` : `${made.proof}\n`);
  return 0;
}

async function verify(proof: string, values: OptionValues, io: CliIo): Promise<number> {
  if (values.key !== undefined) throw new UsageError('--key applies only to create (verify uses the proof\'s own jwk)', NAME);
  const options: DpopCheckOptions = { ...requestOptions(values), backend: createNodeBackend() };
  const maxAge = parseSeconds(values, 'max-age', NAME);
  const now = parseNumericDate(values, 'now', NAME);
  if (maxAge !== undefined) options.maxAge = maxAge;
  if (now !== undefined) options.now = now;

  const result = await verifyDpopProof(proof, options);
  if (flagOption(values, 'json')) {
    io.stdout.write(`${JSON.stringify({ valid: result.valid, reason: result.reason, jkt: result.jkt, checks: result.checks } satisfies DpopVerifyJson)}\n`);
  } else {
    io.stdout.write(`${toText(result)}\n`);
  }
  return result.valid ? 0 : 1;
}

function toText(result: DpopCheckResult): string {
  const lines = [result.valid ? '✓ DPoP proof valid' : `✗ DPoP proof invalid: ${result.reason ?? 'unknown'}`];
  if (result.jkt !== null) lines.push(`  jkt ${result.jkt}`);
  for (const c of result.checks) lines.push(`  ${c.ok ? '✓' : '✗'} ${c.check.padEnd(15)} ${c.message}`);
  return lines.join('\n');
}
