import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import { KeyError, jwksKeyName, prepareKeys, type PreparedKeys } from '../../../shared/core/keys';
import { verifyToken } from '../../../shared/core/verify';
import type { ClaimCheck, MatchedKey, VerifyOptions, VerifyResult } from '../../../shared/core/verify-types';
import { createNodeBackend } from '../../services/crypto-node';
import { fetchJwks, JwksFetchError } from '../../services/jwks-fetch';
import { discoverKeys, KeyDiscoveryError } from '../../services/key-discovery';
import { TokenKeyError, tokenOwnKeys } from '../../services/token-key';
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
  /** With --discover / --jwks-url, `source` says where the key came from ("discovery:<jwks_uri>", "jwks:<url>"). */
  key: (MatchedKey & { source?: string }) | null;
  warnings: string[];
  claims: ClaimCheck[];
  ok: boolean;
  /** Set when the token could not even be decoded (reason `malformed-token`), or not handled (TokenFailure). */
  error: TokenErrorInfo | TokenFailure | KeySourceFailure | null;
}

/** Why --discover found no key for a token (reason `key-unavailable`): a KeyDiscoveryError's or KeyError's code. */
export interface KeySourceFailure {
  code: string;
  message: string;
}

/** A verified token, or one never verified: unreadable (to find its iss) or without a discoverable key. */
type VerifyOutcome =
  | { result: VerifyResult; error: TokenErrorInfo | null; source: string | null }
  | { result: null; reason: 'malformed-token' | 'key-unavailable'; error: TokenErrorInfo | KeySourceFailure };

/** Keys for a token: prepared once per source and reused, or why there are none. */
type KeysFor = { keys: PreparedKeys; source: string | null } | { failure: KeySourceFailure };

function toJson(outcome: VerifyOutcome): VerifyJson {
  if (outcome.result === null) return unverifiedJson(outcome.reason, outcome.error);
  const { result, error, source } = outcome;
  return {
    valid: result.valid,
    alg: result.alg,
    kid: result.kid,
    reason: result.reason,
    message: result.message,
    key: result.key && source !== null ? { ...result.key, source } : result.key,
    warnings: result.warnings.map((w) => w.rule),
    claims: result.claims,
    ok: result.ok,
    error,
  };
}

/** A token the runner answered for: too large to read (a malformed token), or a defect. */
function failedJson(error: TokenFailure): VerifyJson {
  return unverifiedJson(error.code === 'token-too-large' ? 'malformed-token' : 'internal-error', error);
}

function unverifiedJson(reason: string, error: TokenErrorInfo | TokenFailure | KeySourceFailure): VerifyJson {
  return {
    valid: false,
    alg: null,
    kid: null,
    reason,
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
  if (key.index !== null) parts.push(jwksKeyName(key.index));
  return ` · key ${parts.join(', ')}`;
}

function toText(outcome: VerifyOutcome, style: Style): string {
  if (outcome.result === null) {
    return [style.bad(`✗ not verified: ${outcome.reason} — ${outcome.error.code}: ${outcome.error.message}`), style.bad('FAILED')].join('\n');
  }
  const { result, source } = outcome;
  const lines: string[] = [];
  const alg = result.alg ?? 'no alg';
  const from = source !== null && result.key ? ` from ${source}` : '';
  if (result.valid && source?.startsWith('self-asserted:')) {
    // The token chose this key itself: the signature proves integrity, not who signed it.
    lines.push(style.bad(`! signature valid under the token's OWN key (${alg}${describeKey(result.key)}, ${source}): self-asserted, proves nothing about the signer`));
  } else if (result.valid) lines.push(style.ok(`✓ signature valid (${alg}${describeKey(result.key)}${from})`));
  else lines.push(style.bad(`✗ signature invalid: ${result.reason ?? 'unknown'} — ${result.message}`));
  for (const check of result.claims) {
    // A claim reported but not judged (aud / iss with nothing expected) is neither passed nor failed.
    const mark = !check.checked ? '–' : check.ok ? style.ok('✓') : style.bad('✗');
    lines.push(`  ${mark} ${check.claim.padEnd(3)}  ${check.message}`);
  }
  for (const w of result.warnings) lines.push(style.warn(`  warning ${w.rule}: ${w.message}`));
  lines.push(result.ok ? style.ok('OK') : style.bad('FAILED'));
  return lines.join('\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'check the signature under a key, then the claims (exp, nbf, aud, iss)',
  help: `Usage: jwtdbg verify [TOKEN] (--key FILE | --secret TEXT | --discover | --jwks-url URL) [options]

Verifies the signature with the key (the key, not the token's header, decides which algorithms
are allowed; alg "none" never verifies), then checks the claims. Without TOKEN, reads tokens
from stdin, one per line, and prints one JSON line per token; the key is read once.

${KEY_HELP}
  --discover         fetch the keys of the token's issuer: its "iss" (an http(s) URL) →
                     /.well-known/openid-configuration, else RFC 8414's
                     /.well-known/oauth-authorization-server; the metadata's "issuer" must equal
                     "iss"; then its jwks_uri. Once per distinct iss in a stdin batch
  --jwks-url URL     fetch the JWKS at URL (http(s), 512 KB, 10 s) and verify with it
  --trust-token-key  verify with the key the token names about itself: its header's jwk, x5c, or
                     the JWKS at jku / certificate at x5u (fetched like --jwks-url). SELF-ASSERTED:
                     anyone can sign with a key of their own and embed it, so this shows only that
                     the token is intact, never who signed it; key.source says "self-asserted:…"
                     Nothing is fetched without one of these flags.

Options:
  --alg ALG[,ALG]    allowed algorithms (repeatable); default: every algorithm the key allows
  --aud AUD          expected audience (repeatable: any of them)
  --iss ISS          expected issuer (repeatable: any of them)
  --require CLAIM[,CLAIM]
                     claims the payload must contain (repeatable); each missing one fails
  --now SECONDS      NumericDate to check exp/nbf/iat at; default now
  --leeway SECONDS   clock tolerance for exp/nbf/iat; default 0
  --access-token T   OIDC: check the ID token's at_hash against this access token
  --code C           OIDC: check c_hash against this authorization code
  --state S          OIDC: check s_hash against this state
  --nonce N          OIDC: check nonce against the one sent (and, with several audiences, that azp
                     is present); each is one more entry in "claims"
  --kb-aud AUD       SD-JWT: the key-binding JWT's expected aud (this verifier); requires a KB-JWT
  --kb-nonce N       SD-JWT: the key-binding JWT's expected nonce; requires a KB-JWT.
                     An SD-JWT (issuer-JWT~Disclosures~[KB-JWT]) is verified as RFC 9901 §7 says:
                     the issuer signature, every Disclosure's digest ("disclosures"), then the KB-JWT
                     ("kb+jwt", "kb.signature" with cnf.jwk, "sd_hash", "kb.iat", "kb.aud", "kb.nonce")
  --json             machine output: {"valid","alg","kid","reason","message","key","warnings",
                     "claims": [{"claim","ok","checked","message"}],"ok","error"}. key.source (with
                     --discover / --jwks-url): "discovery:<jwks_uri>" or "jwks:<url>"; a token
                     whose keys could not be discovered has reason "key-unavailable". valid: the signature
                     under the key; ok: valid and every claim check passed; warnings: rule ids of
                     key-policy problems (hmac-secret-short, rsa-key-small, rsa-exponent-weak);
                     a claim check with "checked": false (aud / iss without --aud / --iss) was
                     reported, not judged (its "ok" is true)
  -h, --help         show this help

Exit status: 0 ok; 1 signature invalid or a claim check failed (any token, for stdin);
2 bad usage or an unreadable key.`,
  options: {
    ...KEY_OPTIONS,
    alg: { type: 'string', multiple: true },
    aud: { type: 'string', multiple: true },
    iss: { type: 'string', multiple: true },
    require: { type: 'string', multiple: true },
    now: { type: 'string' },
    leeway: { type: 'string' },
    'access-token': { type: 'string' },
    code: { type: 'string' },
    state: { type: 'string' },
    nonce: { type: 'string' },
    'kb-aud': { type: 'string' },
    'kb-nonce': { type: 'string' },
    discover: { type: 'boolean' },
    'trust-token-key': { type: 'boolean' },
    'jwks-url': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('verify', positionals);
    const options: VerifyOptions = {};
    const algorithms = parseList(values, 'alg', 'verify');
    const audience = parseList(values, 'aud', 'verify');
    const issuer = parseList(values, 'iss', 'verify');
    const requiredClaims = parseList(values, 'require', 'verify');
    const now = parseNumericDate(values, 'now', 'verify');
    const leeway = parseSeconds(values, 'leeway', 'verify');
    if (algorithms) options.algorithms = algorithms;
    if (audience) options.audience = audience.length === 1 ? (audience[0] as string) : audience;
    if (issuer) options.issuer = issuer.length === 1 ? (issuer[0] as string) : issuer;
    if (requiredClaims) options.requiredClaims = requiredClaims;
    if (now !== undefined) options.now = now;
    if (leeway !== undefined) options.leeway = leeway;
    for (const [flag, member] of [['access-token', 'accessToken'], ['code', 'code'], ['state', 'state'], ['nonce', 'nonce'], ['kb-aud', 'kbAudience'], ['kb-nonce', 'kbNonce']] as const) {
      const value = stringOption(values, flag);
      if (value !== undefined) options[member] = value;
    }

    const keysFor = await keySource(values);
    const backend = createNodeBackend();

    return runOnTokens<VerifyOutcome>(io, 'verify', token, flagOption(values, 'json'), {
      async handle(text) {
        const found = await keysFor(text);
        if ('unverified' in found) return found.unverified;
        // verifyToken reads the token with the decoder (its lean mode): a malformed token carries the
        // decoder's own error, the one `decode` prints.
        const result = await verifyToken(text, found.keys, options, backend);
        return { result, error: result.error ?? null, source: found.source };
      },
      ok: (outcome) => outcome.result !== null && outcome.result.ok,
      json: toJson,
      text: toText,
      failure: failedJson,
    });
  },
};

type KeysForToken = (text: string) => Promise<{ keys: PreparedKeys; source: string | null } | { unverified: VerifyOutcome }>;

/**
 * Where the keys come from: --key / --secret or --jwks-url (read and imported once: a stdin batch of 100k
 * tokens must not re-parse the key per token), or --discover (per distinct iss, cached for this run).
 */
async function keySource(values: Parameters<Command['run']>[0]['values']): Promise<KeysForToken> {
  const discover = flagOption(values, 'discover');
  const jwksUrl = stringOption(values, 'jwks-url');
  const tokenKey = flagOption(values, 'trust-token-key');
  const named = await readKeyOptions(values, 'verify');
  if ([named !== null, discover, jwksUrl !== undefined, tokenKey].filter(Boolean).length > 1) {
    throw new UsageError('give one key source: --key, --secret, --discover, --jwks-url or --trust-token-key', 'verify');
  }
  if (tokenKey) {
    // Per token: each names its own key. Never cached across tokens, and never without this flag.
    return async (text) => {
      const decoded = decodeToken(text);
      if (!decoded.ok) return { unverified: { result: null, reason: 'malformed-token', error: decoded.error } };
      try {
        return await tokenOwnKeys(decoded.token);
      } catch (err) {
        if (!(err instanceof TokenKeyError)) throw err;
        return { unverified: { result: null, reason: 'key-unavailable', error: { code: err.code, message: err.message } } };
      }
    };
  }
  if (named) {
    const keys = await importKeys(named.input, `unusable ${named.label}`);
    return () => Promise.resolve({ keys, source: null });
  }
  if (jwksUrl !== undefined) {
    let jwks: string;
    try {
      ({ jwks } = await fetchJwks(jwksUrl));
    } catch (err) {
      if (!(err instanceof JwksFetchError)) throw err;
      throw new InputError(`--jwks-url: ${err.code}: ${err.message}`, 'verify');
    }
    const keys = await importKeys({ type: 'jwks', value: jwks }, 'unusable JWKS from --jwks-url');
    const found = { keys, source: `jwks:${jwksUrl.trim()}` };
    return () => Promise.resolve(found);
  }
  if (!discover) throw new UsageError('a key is required: --key FILE, --secret TEXT, --discover, --jwks-url URL or --trust-token-key', 'verify');
  // Per run only, and only the keys: a verification result is never reused.
  const byIssuer = new Map<string, Promise<KeysFor>>();
  return async (text) => {
    const decoded = decodeToken(text);
    if (!decoded.ok) return { unverified: { result: null, reason: 'malformed-token', error: decoded.error } };
    const payload = decoded.token.payload;
    const iss = typeof payload === 'object' && payload !== null ? (payload as { iss?: unknown }).iss : undefined;
    let pending = typeof iss === 'string' ? byIssuer.get(iss) : undefined;
    if (!pending) {
      pending = discoverFor(iss);
      if (typeof iss === 'string') byIssuer.set(iss, pending);
    }
    const found = await pending;
    return 'failure' in found ? { unverified: { result: null, reason: 'key-unavailable', error: found.failure } } : found;
  };
}

async function discoverFor(iss: unknown): Promise<KeysFor> {
  try {
    const { jwks, jwksUri } = await discoverKeys(iss);
    return { keys: await prepareKeys({ type: 'jwks', value: jwks }), source: `discovery:${jwksUri}` };
  } catch (err) {
    if (err instanceof KeyDiscoveryError || err instanceof KeyError) return { failure: { code: err.code, message: err.message } };
    throw err;
  }
}

async function importKeys(input: Parameters<typeof prepareKeys>[0], label: string): Promise<PreparedKeys> {
  try {
    return await prepareKeys(input);
  } catch (err) {
    if (!(err instanceof KeyError)) throw err;
    throw new InputError(`${label}: ${err.code}: ${err.message}`, 'verify');
  }
}
