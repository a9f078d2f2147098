/**
 * Signature verification under a key policy. The KEY decides which algorithms are acceptable (RFC 8725
 * §2.1/§3.1: never let the token's header pick the key type); `alg: none` never verifies; a JWKS is searched
 * by `kid`, or tried key by key. The raw primitive is a SignatureBackend: jose/WebCrypto by default,
 * node:crypto in Node (electron/services/crypto-node.ts); everything around it is here, so both agree.
 *
 * The compact path is the hot one (a CLI verifying a stdin batch, a service verifying per request): keys are
 * prepared once, the token is split and decoded once, no JSON is parsed but the header and the payload.
 * Results are never cached.
 */
import { JWS_ALGORITHM_NAMES, describeKeyType, describeNeededKey, jwsAlgorithm, type JwsAlgorithm } from './algorithms';
import { validateClaims } from './claims';
import { sdJwtChecks, type SdJwtInfo } from './sd-jwt';
import { nowSeconds } from './time';
import { joseBackend } from './jose-backend';
import { KeyError, isPreparedKeys, keyPolicyWarnings, prepareKeys, type KeyInput, type PreparedKey, type PreparedKeys } from './keys';
import { decodeSigned, signedFromDecoded, type SegmentDecoders, type SignedEntry, type SignedToken } from './decode-signed';
import type { TokenErrorInfo } from './errors';
import type { DecodedToken } from './token';
import { tokenPairChecks, wantsTokenPairChecks } from './token-pair';
import type { ClaimCheck, KeyPolicyWarning, MatchedKey, VerifyOptions, VerifyReason, VerifyResult } from './verify-types';

/**
 * The raw signature check: does `signature` match `signingInput` under `key` with `alg`? The core has
 * already decided that `key` may be used with `alg` and that the signature has the right length. Return
 * false for a mismatch; throw only when the key itself cannot be used (the core reports 'invalid-key').
 *
 * `signingInput` is the JWS Signing Input as text (RFC 7515 §5.2); the bytes signed are its UTF-8 encoding
 * (plain ASCII, except an unencoded RFC 7797 payload in a JSON serialization). Text rather than bytes
 * because that is what a token is, and node:crypto hashes a string without a JS-side copy.
 */
export interface SignatureBackend extends SegmentDecoders {
  readonly name: string;
  // The optional SegmentDecoders are the platform's native base64url decoders: decoding a header, payload and
  // signature in portable JS costs more than an HMAC, and Node's Buffer does it several times faster.
  verify(alg: JwsAlgorithm, key: PreparedKey, signingInput: string, signature: Uint8Array): boolean | Promise<boolean>;
}

export { joseBackend };

const NO_OPTIONS: VerifyOptions = Object.freeze({});

/** One signature to check: the compact JWS's only one, or an entry of a JWS JSON serialization. */
interface Candidate {
  alg: string | null;
  kid: string | null;
  signingInput: string;
  signature: Uint8Array;
  /**
   * The payload as text: decoded (b64) or as given (unencoded, b64:false); null when its bytes are not
   * UTF-8 (a JWS payload may be any bytes). Only claim validation reads it.
   */
  payloadText: string | null;
  index: number | null;
}

/** Why a candidate (or the whole token) failed. A class, so that no parsed header can pass for one. */
class Failure {
  constructor(
    readonly reason: VerifyReason,
    readonly message: string,
    readonly alg: string | null,
    readonly kid: string | null,
    readonly index: number | null,
  ) {}
}

/**
 * Verifies `token` (pasted text, as decodeToken reads it, or a decode result) with `key`. Never throws.
 * Whatever decodeToken refuses is refused here with reason `malformed-token` and the decoder's error.
 */
export async function verifyToken(
  token: string | DecodedToken,
  key: KeyInput | PreparedKeys,
  options: VerifyOptions = NO_OPTIONS,
  backend: SignatureBackend = joseBackend,
): Promise<VerifyResult> {
  try {
    let signed: SignedToken;
    if (typeof token === 'string') {
      const read = decodeSigned(token, backend);
      if (!read.ok) return malformed(read.error);
      signed = read.token;
    } else if (isDecodedToken(token)) {
      signed = signedFromDecoded(token, backend);
    } else {
      return failed(fail('malformed-token', 'the token must be a string'), []);
    }
    const parsed = candidatesOf(signed);
    if (parsed instanceof Failure) return failed(parsed, []);

    let keys: PreparedKeys;
    if (isPreparedKeys(key)) {
      keys = key;
    } else {
      try {
        keys = await prepareKeys(key);
      } catch (e) {
        if (!(e instanceof KeyError)) throw e;
        const first = parsed[0] as Candidate | Failure;
        // An ambiguous key set is refused as such; any other unusable key is invalid-key with its code.
        const reason: VerifyReason = e.code === 'jwks-mixed' || e.code === 'jwks-duplicate-kid' ? e.code : 'invalid-key';
        return failed(fail(reason, `${e.code}: ${e.message}`, first.alg, first.kid), claimsOf(first, options));
      }
    }

    let best: Failure | null = null;
    let bestWarnings: readonly KeyPolicyWarning[] = NONE;
    for (const candidate of parsed) {
      if (candidate instanceof Failure) {
        best = better(best, candidate);
        continue;
      }
      let outcome = verifyCandidate(candidate, keys, options, backend);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome.key) {
        let claims = await withTokenPairChecks(claimsOf(candidate, options, signed.sdJwt), candidate, options);
        if (signed.sdJwt) claims = [...claims, ...(await sdJwtClaimChecks(signed.sdJwt, options, backend))];
        const result: VerifyResult = {
          valid: true,
          alg: candidate.alg,
          kid: candidate.kid,
          reason: null,
          message: outcome.message,
          key: matched(outcome.key),
          warnings: outcome.warnings.length ? outcome.warnings.slice() : [],
          claims,
          ok: allOk(claims),
        };
        if (candidate.index !== null) result.signatureIndex = candidate.index;
        return result;
      }
      if (better(best, outcome.failure) === outcome.failure) {
        best = outcome.failure;
        bestWarnings = outcome.warnings;
      }
    }
    const first = parsed.find((c): c is Candidate => !(c instanceof Failure));
    return failed(best as Failure, first ? await withTokenPairChecks(claimsOf(first, options), first, options) : [], bestWarnings);
  } catch (e) {
    return failed(fail('internal-error', `verification failed unexpectedly: ${(e as Error)?.message ?? String(e)}`), []);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Reading: the decoder's result (decode-signed.ts), then the header rules that verification adds.

const REGISTERED_HEADER_PARAMETERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);
const UNDERSTOOD_EXTENSIONS = new Set(['b64']); // RFC 7797

function fail(reason: VerifyReason, message: string, alg: string | null = null, kid: string | null = null, index: number | null = null): Failure {
  return new Failure(reason, message, alg, kid, index);
}

/** The token's signatures as candidates, or why none can be verified at all. */
function candidatesOf(token: SignedToken): (Candidate | Failure)[] | Failure {
  if (token.kind === 'jwe') {
    return fail('not-a-jws', 'this is a JWE: it is encrypted, not signed, so there is no signature to verify');
  }
  const first = token.entries[0]!;
  const alg = typeof first.header.alg === 'string' ? first.header.alg : null;
  const kid = typeof first.header.kid === 'string' ? first.header.kid : null;
  if (token.detached) {
    return fail('payload-detached', 'the payload is detached (RFC 7515 Appendix F): it is not in the token, so the signature cannot be checked without it', alg, kid);
  }
  if (token.nonCanonical) {
    return fail(
      'base64url-noncanonical',
      'a part of the token is not canonical base64url (its last character has non-zero unused bits, RFC 4648 §3.5): the same signature would verify under other spellings of the token, so it is refused',
      alg,
      kid,
    );
  }
  return token.entries.map((entry) => {
    const facts = headerFacts(entry);
    if (facts instanceof Failure) return facts;
    return { alg: facts.alg, kid: facts.kid, signingInput: entry.signingInput, signature: entry.signature, payloadText: token.payloadText, index: entry.index };
  });
}

interface HeaderFacts {
  alg: string;
  kid: string | null;
}

/**
 * alg and kid of an entry, after the crit rules (RFC 7515 §4.1.11, RFC 7797 §6). Remembered per header
 * object: the decoder hands out one frozen object per distinct compact header text.
 */
const factsMemo = new WeakMap<object, HeaderFacts | Failure>();

function headerFacts(entry: SignedEntry): HeaderFacts | Failure {
  const memoizable = entry.header === entry.protectedHeader && Object.isFrozen(entry.header);
  let facts = memoizable ? factsMemo.get(entry.header) : undefined;
  if (facts === undefined) {
    facts = readFacts(entry);
    if (memoizable) factsMemo.set(entry.header, facts);
  }
  // A remembered failure is shared: report it for this entry.
  return facts instanceof Failure && facts.index !== entry.index ? fail(facts.reason, facts.message, facts.alg, facts.kid, entry.index) : facts;
}

function readFacts(entry: SignedEntry): HeaderFacts | Failure {
  const { header, protectedHeader: prot, index } = entry;
  // The decoder guarantees a non-empty string alg.
  const alg = header.alg as string;
  const kid = typeof header.kid === 'string' ? header.kid : null;
  if (Object.hasOwn(header, 'crit') && !Object.hasOwn(prot, 'crit')) {
    return fail('crit-unsupported', 'crit must be in the protected header (RFC 7515 §4.1.11)', alg, kid, index);
  }
  const crit = prot.crit;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string')) {
      return fail('crit-unsupported', 'crit must be a non-empty array of header parameter names (RFC 7515 §4.1.11)', alg, kid, index);
    }
    for (const name of crit as string[]) {
      if (REGISTERED_HEADER_PARAMETERS.has(name)) {
        return fail('crit-unsupported', `crit must not list ${name}, a parameter every verifier already understands (RFC 7515 §4.1.11)`, alg, kid, index);
      }
      if (!Object.hasOwn(prot, name)) return fail('crit-unsupported', `crit lists ${name}, which the protected header does not contain (RFC 7515 §4.1.11)`, alg, kid, index);
      if (!UNDERSTOOD_EXTENSIONS.has(name)) {
        return fail('crit-unsupported', `the token requires the header extension ${JSON.stringify(name)} (crit), which this verifier does not implement`, alg, kid, index);
      }
    }
    if ((crit as string[]).includes('b64') && typeof prot.b64 !== 'boolean') {
      return fail('crit-unsupported', 'b64 must be true or false (RFC 7797 §3)', alg, kid, index);
    }
  }
  // The decoder reads b64:false as an unencoded payload; a verifier honours it only when crit says it must
  // (RFC 7797 §6), and must not verify it as encoded either.
  if (Object.hasOwn(header, 'b64') && !(Array.isArray(crit) && crit.includes('b64'))) {
    return fail('crit-unsupported', 'b64 is used without being listed in crit (RFC 7797 §6)', alg, kid, index);
  }
  return { alg, kid };
}

// ---------------------------------------------------------------------------------------------------------
// Key policy and the signature

type CandidateOutcome =
  | { key: PreparedKey; message: string; warnings: readonly KeyPolicyWarning[]; failure?: undefined }
  | { key?: undefined; failure: Failure; warnings: readonly KeyPolicyWarning[] };

const NONE: readonly KeyPolicyWarning[] = Object.freeze([]);

interface Selection {
  alg: JwsAlgorithm;
  /** Keys that allow the alg, in the order they are tried. */
  usable: readonly PreparedKey[];
  /** A JWKS without a kid match: every usable key is tried, and failure means no-matching-key. */
  trial: boolean;
}

function rejected(c: Candidate, reason: VerifyReason, message: string, warnings = NONE): CandidateOutcome {
  return { failure: fail(reason, message, c.alg, c.kid, c.index), warnings };
}

/**
 * Verifies one candidate. Synchronous while the backend is (node:crypto), so the hot path allocates no
 * promise of its own; an asynchronous backend (WebCrypto) continues in `attempt`'s then-chain.
 */
function verifyCandidate(c: Candidate, keys: PreparedKeys, options: VerifyOptions, backend: SignatureBackend): CandidateOutcome | Promise<CandidateOutcome> {
  const selection = selectKeys(c, keys, options);
  return 'usable' in selection ? attempt(c, selection, backend, 0, '') : selection;
}

/** The key policy: which of the keys may verify this alg at all (RFC 8725 §3.1). */
function selectKeys(c: Candidate, keys: PreparedKeys, options: VerifyOptions): Selection | CandidateOutcome {
  if (c.alg === 'none') {
    return rejected(c, 'alg-none', 'alg "none" is an unsecured JWS: it is never accepted as verified (RFC 8725 §3.2)');
  }
  const alg = jwsAlgorithm(c.alg);
  if (!alg) {
    return rejected(c, 'unsupported-alg', `alg ${JSON.stringify(c.alg)} is not a supported JWS algorithm (${JWS_ALGORITHM_NAMES.join(', ')})`);
  }
  if (options.algorithms && !options.algorithms.includes(alg.name)) {
    return rejected(c, 'alg-not-allowed', `alg ${alg.name} is not among the allowed algorithms (${options.algorithms.join(', ') || 'none'})`);
  }
  const all = keys.keys;
  const isSet = keys.source === 'jwks';
  let pool: readonly PreparedKey[] = all;
  let byKid = false;
  if (isSet && c.kid !== null) {
    const withKid = all.filter((k) => k.kid === c.kid);
    if (withKid.length) {
      pool = withKid;
      byKid = true;
    }
  }
  const usable = pool.length === 1 ? (pool[0]!.algorithms.includes(alg.name) ? pool : []) : pool.filter((k) => k.algorithms.includes(alg.name));
  if (usable.length === 0) {
    if (isSet && !byKid) {
      const kidPart = c.kid === null ? '' : `no key has kid ${JSON.stringify(c.kid)}, and `;
      return rejected(c, 'no-matching-key', `${kidPart}none of the ${all.length} keys in the JWKS allows ${alg.name} (${alg.name} needs ${describeNeededKey(alg)}; the JWKS has ${summarize(all)})`);
    }
    const [reason, why] = whyNotAllowed(pool[0] as PreparedKey, alg);
    return rejected(c, reason, isSet ? `${why} (the JWKS key with kid ${JSON.stringify(c.kid)})` : why);
  }
  return { alg, usable, trial: isSet && !byKid };
}

/** Tries the usable keys from index `i` on; the first that verifies wins. */
function attempt(c: Candidate, s: Selection, backend: SignatureBackend, i: number, lastMismatch: string): CandidateOutcome | Promise<CandidateOutcome> {
  const { alg, usable } = s;
  const single = usable.length === 1 && !s.trial;
  for (; i < usable.length; i++) {
    const key = usable[i] as PreparedKey;
    const warnings = keyPolicyWarnings(key, alg.name);
    const lengthProblem = signatureLengthProblem(alg, key, c.signature);
    if (lengthProblem !== null) {
      if (single) return rejected(c, 'signature-mismatch', lengthProblem, warnings);
      lastMismatch = lengthProblem;
      continue;
    }
    let answer: boolean | Promise<boolean>;
    try {
      answer = backend.verify(alg, key, c.signingInput, c.signature);
    } catch (e) {
      return unusableKey(c, alg, e, warnings);
    }
    if (typeof answer !== 'boolean') {
      const next = i + 1;
      return Promise.resolve(answer).then(
        (ok): CandidateOutcome | Promise<CandidateOutcome> =>
          ok ? verified(key, alg, warnings) : single ? rejected(c, 'signature-mismatch', mismatchMessage(key, alg), warnings) : attempt(c, s, backend, next, mismatchMessage(key, alg)),
        (e: unknown) => unusableKey(c, alg, e, warnings),
      );
    }
    if (answer) return verified(key, alg, warnings);
    if (single) return rejected(c, 'signature-mismatch', mismatchMessage(key, alg), warnings);
    lastMismatch = mismatchMessage(key, alg);
  }
  if (s.trial) {
    const kidPart = c.kid === null ? 'the token has no kid; ' : `no key has kid ${JSON.stringify(c.kid)}; `;
    const tried = usable.length === 1 ? `the one key that allows ${alg.name}` : `each of the ${usable.length} keys that allow ${alg.name}`;
    const detail = usable.length === 1 ? `: ${lastMismatch}` : '';
    return rejected(c, 'no-matching-key', `${kidPart}${tried} was tried and none verifies the signature${detail}`);
  }
  return rejected(c, 'signature-mismatch', `the signature matches none of the ${usable.length} keys with kid ${JSON.stringify(c.kid)}`);
}

function mismatchMessage(key: PreparedKey, alg: JwsAlgorithm): string {
  return `the signature does not match under ${key.label} (${alg.name})`;
}

function verified(key: PreparedKey, alg: JwsAlgorithm, warnings: readonly KeyPolicyWarning[]): CandidateOutcome {
  return { key, message: `signature verified with ${key.label} (${alg.name})`, warnings };
}

function unusableKey(c: Candidate, alg: JwsAlgorithm, e: unknown, warnings: readonly KeyPolicyWarning[]): CandidateOutcome {
  return rejected(c, 'invalid-key', `the key cannot be used for ${alg.name}: ${(e as Error)?.message ?? String(e)}`, warnings);
}

/** Why a key does not allow an algorithm: a different key type, or a narrower policy (the JWK's own alg). */
function whyNotAllowed(key: PreparedKey, alg: JwsAlgorithm): [VerifyReason, string] {
  const keyIs = describeKeyType(key.kty, key.crv);
  if (key.kty !== alg.kty || (alg.crv !== null && key.crv !== alg.crv)) {
    const confusion =
      alg.kty === 'oct' && key.kty !== 'oct'
        ? ': verifying an HMAC token with a public key is the algorithm-confusion attack (RFC 8725 §2.1)'
        : '';
    return ['key-type-mismatch', `${alg.name} needs ${describeNeededKey(alg)}; the key is ${keyIs}${confusion}`];
  }
  if (key.alg !== null && key.alg !== alg.name) {
    return ['alg-not-allowed', `the key's JWK alg is ${key.alg}, so it verifies ${key.alg} only; the token says ${alg.name}`];
  }
  return ['alg-not-allowed', `the key allows ${key.algorithms.join(', ')} only; the token says ${alg.name}`];
}

/** A signature of the wrong length cannot match; say so precisely (and spot DER-encoded ECDSA). */
function signatureLengthProblem(alg: JwsAlgorithm, key: PreparedKey, signature: Uint8Array): string | null {
  const expected = alg.signatureBytes ?? Math.ceil(key.bits / 8);
  if (signature.length === expected) return null;
  if (signature.length === 0) return `the signature is empty; ${alg.name} needs ${expected} bytes`;
  const der = alg.family === 'ECDSA' && signature[0] === 0x30 ? ' — it looks DER-encoded; JWS uses the raw R || S form (RFC 7518 §3.4)' : '';
  return `the signature is ${signature.length} bytes; ${alg.name} with this key makes ${expected}-byte signatures${der}`;
}

function summarize(keys: readonly PreparedKey[]): string {
  const counts = new Map<string, number>();
  for (const k of keys) {
    const label = k.kty === 'EC' || k.kty === 'OKP' ? `${k.kty} ${k.crv}` : k.kty;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n === 1 ? label : `${label} ×${n}`)).join(', ');
}

// ---------------------------------------------------------------------------------------------------------
// Results

/** Which failure to report when several signatures (JWS JSON) all fail: the most specific one. */
const PRIORITY: readonly VerifyReason[] = [
  'signature-mismatch',
  'no-matching-key',
  'alg-not-allowed',
  'key-type-mismatch',
  'invalid-key',
  'jwks-mixed',
  'jwks-duplicate-kid',
  'payload-detached',
  'base64url-noncanonical',
  'crit-unsupported',
  'unsupported-alg',
  'alg-none',
  'malformed-token',
  'not-a-jws',
  'internal-error',
];

function better(current: Failure | null, next: Failure): Failure {
  if (!current) return next;
  return PRIORITY.indexOf(next.reason) < PRIORITY.indexOf(current.reason) ? next : current;
}

function matched(key: PreparedKey): MatchedKey {
  return { kid: key.kid, thumbprint: key.thumbprint, kty: key.kty, index: key.index };
}

/** RFC 9901 checks of an SD-JWT whose issuer signature verified: Disclosures, then the KB-JWT. */
async function sdJwtClaimChecks(sdJwt: SdJwtInfo, options: VerifyOptions, backend: SignatureBackend): Promise<ClaimCheck[]> {
  const now = typeof options.now === 'number' && Number.isFinite(options.now) ? options.now : nowSeconds();
  const leeway = typeof options.leeway === 'number' && options.leeway > 0 ? options.leeway : 0;
  const checks = await sdJwtChecks(
    sdJwt,
    { now, leeway, ...(options.kbAudience !== undefined && { kbAudience: options.kbAudience }), ...(options.kbNonce !== undefined && { kbNonce: options.kbNonce }) },
    // The KB-JWT is verified like any token, with the holder's key and nothing else of the caller's options.
    (kb, jwk) => verifyToken(kb, { type: 'jwk', value: jwk }, { now, leeway }, backend),
  );
  // Every one of them is judged (an unasked kb.aud / kb.nonce is left out, not reported unchecked).
  return checks.map((c) => ({ ...c, checked: true }));
}

/** The OIDC token-pair checks, after the registered claims, only when the caller gave a value to check. */
async function withTokenPairChecks(claims: ClaimCheck[], c: Candidate, options: VerifyOptions): Promise<ClaimCheck[]> {
  if (!wantsTokenPairChecks(options)) return claims;
  return [...claims, ...(await tokenPairChecks(readPayload(c), c.alg, options))];
}

/** The registered-claim checks; of an SD-JWT, on its claims with the Disclosures in place (exp may be one). */
function claimsOf(c: Candidate | Failure, options: VerifyOptions, sdJwt?: SdJwtInfo): ClaimCheck[] {
  if (c instanceof Failure) return [];
  const payload = sdJwt ? sdJwt.claims : readPayload(c);
  return payload === undefined ? [] : validateClaims(payload, options);
}

/** The payload as parsed JSON, or undefined when it is not a JSON object (a JWS payload may be any bytes). */
function readPayload(c: Candidate): unknown {
  // A JSON object starts with '{' after optional whitespace; anything else is not a claims set, and
  // checking first spares a JSON.parse exception for every non-JSON payload.
  const text = c.payloadText;
  if (!text) return undefined;
  let i = 0;
  while (i < text.length && (text.charCodeAt(i) <= 0x20)) i++;
  if (text.charCodeAt(i) !== 0x7b /* { */) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function allOk(claims: ClaimCheck[]): boolean {
  for (let i = 0; i < claims.length; i++) if (!claims[i]!.ok) return false;
  return true;
}

function failed(f: Failure, claims: ClaimCheck[], warnings: readonly KeyPolicyWarning[] = NONE): VerifyResult {
  const result: VerifyResult = {
    valid: false,
    alg: f.alg,
    kid: f.kid,
    reason: f.reason,
    message: f.message,
    key: null,
    warnings: warnings.length ? warnings.slice() : [],
    claims,
    ok: false,
  };
  if (f.index !== null) result.signatureIndex = f.index;
  return result;
}

/** A refusal by the decoder: the same code and message, and where, as `decode` reports it. */
function malformed(error: TokenErrorInfo): VerifyResult {
  return { ...failed(fail('malformed-token', error.message), []), error };
}

function isDecodedToken(value: unknown): value is DecodedToken {
  const v = value as DecodedToken | null;
  return typeof v === 'object' && v !== null && typeof v.token === 'string' && typeof v.kind === 'string' && Array.isArray(v.signatures) && Array.isArray(v.notes);
}
