import type { TokenErrorInfo } from '../../../shared/core/errors';
import { KeyError, prepareKeys, type PreparedKeys } from '../../../shared/core/keys';
import { verifyToken } from '../../../shared/core/verify';
import type { ClaimCheck, MatchedKey, VerifyOptions, VerifyResult } from '../../../shared/core/verify-types';
import { createNodeBackend } from '../../services/crypto-node';
import { flagOption, singleTokenArgument, stringOption } from '../args';
import type { Command } from '../command';
import { KEY_HELP, KEY_OPTIONS, parseList, parseNumericDate, parseSeconds, readKeyOptions } from '../options';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';
import { InputError, UsageError } from '../usage-error';

/** The `verify --json` shape: VerifyResult with `warnings` as rule ids, plus the decode error if any. */
export interface VerifyJson {
  valid: boolean;
  alg: string | null;
  kid: string | null;
  reason: string | null;
  message: string;
  key: MatchedKey | null;
  warnings: string[];
  claims: ClaimCheck[];
  ok: boolean;
  /** Set when the token could not even be decoded (reason `malformed-token`), or not handled (TokenFailure). */
  error: TokenErrorInfo | TokenFailure | null;
}

type VerifyOutcome = { result: VerifyResult; error: TokenErrorInfo | null };

function toJson({ result, error }: VerifyOutcome): VerifyJson {
  return {
    valid: result.valid,
    alg: result.alg,
    kid: result.kid,
    reason: result.reason,
    message: result.message,
    key: result.key,
    warnings: result.warnings.map((w) => w.rule),
    claims: result.claims,
    ok: result.ok,
    error,
  };
}

/** A token the runner answered for: too large to read (a malformed token), or a defect. */
function failedJson(error: TokenFailure): VerifyJson {
  return {
    valid: false,
    alg: null,
    kid: null,
    reason: error.code === 'token-too-large' ? 'malformed-token' : 'internal-error',
    message: error.message,
    key: null,
    warnings: [],
    claims: [],
    ok: false,
    error,
  };
}

function describeKey(key: MatchedKey | null): string {
  if (!key) return '';
  const parts = [key.kty];
  if (key.kid !== null) parts.push(`kid ${JSON.stringify(key.kid)}`);
  if (key.index !== null) parts.push(`JWKS #${key.index}`);
  return ` · key ${parts.join(', ')}`;
}

function toText({ result }: VerifyOutcome, style: Style): string {
  const lines: string[] = [];
  const alg = result.alg ?? 'no alg';
  if (result.valid) lines.push(style.ok(`✓ signature valid (${alg}${describeKey(result.key)})`));
  else lines.push(style.bad(`✗ signature invalid: ${result.reason ?? 'unknown'} — ${result.message}`));
  for (const check of result.claims) {
    const mark = check.ok ? style.ok('✓') : style.bad('✗');
    lines.push(`  ${mark} ${check.claim.padEnd(3)}  ${check.message}`);
  }
  for (const w of result.warnings) lines.push(style.warn(`  warning ${w.rule}: ${w.message}`));
  lines.push(result.ok ? style.ok('OK') : style.bad('FAILED'));
  return lines.join('\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the signature under a key, then the claims (exp, nbf, aud, iss)',
  help: `Usage: jwtdbg verify [TOKEN] (--key FILE | --secret TEXT) [options]

Verifies the signature with the key (the key, not the token's header, decides which algorithms
are allowed; alg "none" never verifies), then checks the claims. Without TOKEN, reads tokens
from stdin, one per line, and prints one JSON line per token; the key is read once.

${KEY_HELP}

Options:
  --alg ALG[,ALG]    allowed algorithms (repeatable); default: every algorithm the key allows
  --aud AUD          expected audience (repeatable: any of them)
  --iss ISS          expected issuer (repeatable: any of them)
  --now SECONDS      NumericDate to check exp/nbf/iat at; default now
  --leeway SECONDS   clock tolerance for exp/nbf/iat; default 0
  --access-token T   OIDC: check the ID token's at_hash against this access token
  --code C           OIDC: check c_hash against this authorization code
  --state S          OIDC: check s_hash against this state
  --nonce N          OIDC: check nonce against the one sent (and, with several audiences, that azp
                     is present); each is one more entry in "claims"
  --json             machine output: {"valid","alg","kid","reason","message","key","warnings",
                     "claims": [{"claim","ok","message"}],"ok","error"}. valid: the signature
                     under the key; ok: valid and every claim check passed; warnings: rule ids of
                     key-policy problems (hmac-secret-short, rsa-key-small, rsa-exponent-weak)
  -h, --help         show this help

Exit status: 0 ok; 1 signature invalid or a claim check failed (any token, for stdin);
2 bad usage or an unreadable key.`,
  options: {
    ...KEY_OPTIONS,
    alg: { type: 'string', multiple: true },
    aud: { type: 'string', multiple: true },
    iss: { type: 'string', multiple: true },
    now: { type: 'string' },
    leeway: { type: 'string' },
    'access-token': { type: 'string' },
    code: { type: 'string' },
    state: { type: 'string' },
    nonce: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('verify', positionals);
    const options: VerifyOptions = {};
    const algorithms = parseList(values, 'alg', 'verify');
    const audience = parseList(values, 'aud', 'verify');
    const issuer = parseList(values, 'iss', 'verify');
    const now = parseNumericDate(values, 'now', 'verify');
    const leeway = parseSeconds(values, 'leeway', 'verify');
    if (algorithms) options.algorithms = algorithms;
    if (audience) options.audience = audience.length === 1 ? (audience[0] as string) : audience;
    if (issuer) options.issuer = issuer.length === 1 ? (issuer[0] as string) : issuer;
    if (now !== undefined) options.now = now;
    if (leeway !== undefined) options.leeway = leeway;
    for (const [flag, member] of [['access-token', 'accessToken'], ['code', 'code'], ['state', 'state'], ['nonce', 'nonce']] as const) {
      const value = stringOption(values, flag);
      if (value !== undefined) options[member] = value;
    }

    const source = await readKeyOptions(values, 'verify');
    if (!source) throw new UsageError('a key is required: --key FILE or --secret TEXT', 'verify');
    // Import once: a stdin batch of 100k tokens must not re-parse the key per token.
    let keys: PreparedKeys;
    try {
      keys = await prepareKeys(source.input);
    } catch (err) {
      if (!(err instanceof KeyError)) throw err;
      throw new InputError(`unusable ${source.label}: ${err.code}: ${err.message}`, 'verify');
    }
    const backend = createNodeBackend();

    return runOnTokens<VerifyOutcome>(io, 'verify', token, flagOption(values, 'json'), {
      async handle(text) {
        // verifyToken reads the token with the decoder (its lean mode): a malformed token carries the
        // decoder's own error, the one `decode` prints.
        const result = await verifyToken(text, keys, options, backend);
        return { result, error: result.error ?? null };
      },
      ok: (outcome) => outcome.result.ok,
      json: toJson,
      text: toText,
      failure: failedJson,
    });
  },
};
