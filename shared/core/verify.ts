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
import { decodeBase64url, findBase64urlProblem, utf8OrNull } from './base64url';
import { validateClaims } from './claims';
import { joseBackend } from './jose-backend';
import { KeyError, isPreparedKeys, keyPolicyWarnings, prepareKeys, type KeyInput, type PreparedKey, type PreparedKeys } from './keys';
import type { DecodedToken } from './token';
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
export interface SignatureBackend {
  readonly name: string;
  verify(alg: JwsAlgorithm, key: PreparedKey, signingInput: string, signature: Uint8Array): boolean | Promise<boolean>;
  /**
   * Optional: the platform's native base64url decoder, as strict as base64url.ts's (null for anything but
   * unpadded base64url). Decoding the header, payload and signature in portable JS costs more than an HMAC;
   * Node's Buffer does it several times faster.
   */
  decodeBase64url?(text: string): Uint8Array | null;
  /**
   * Optional: base64url straight to text — the strict UTF-8 text of the decoded bytes, or null when the
   * segment is not unpadded base64url or its bytes are not UTF-8 (the core tells the two apart on the
   * failure path). The header and payload are only ever read as text, so a native backend can decode them
   * without allocating their bytes at all.
   */
  decodeBase64urlText?(text: string): string | null;
}

// Segment decoding: the backend's native decoders where it has them, else base64url.ts (same strictness).
function segmentBytes(backend: SignatureBackend, text: string): Uint8Array | null {
  return backend.decodeBase64url ? backend.decodeBase64url(text) : decodeBase64url(text);
}

function segmentText(backend: SignatureBackend, text: string): string | null {
  if (backend.decodeBase64urlText) return backend.decodeBase64urlText(text);
  const bytes = segmentBytes(backend, text);
  return bytes && utf8OrNull(bytes);
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

/** Verifies `token` (compact, or JWS JSON serialization) with `key`. Never throws. */
export async function verifyToken(
  token: string | DecodedToken,
  key: KeyInput | PreparedKeys,
  options: VerifyOptions = NO_OPTIONS,
  backend: SignatureBackend = joseBackend,
): Promise<VerifyResult> {
  try {
    const text = typeof token === 'string' ? token : typeof token?.token === 'string' ? token.token : null;
    if (text === null) return failed(fail('malformed-token', 'the token must be a string'), []);
    const parsed = parseToken(text, backend);
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
        return failed(fail('invalid-key', `${e.code}: ${e.message}`, first.alg, first.kid), claimsOf(first, options));
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
        const claims = claimsOf(candidate, options);
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
    return failed(best as Failure, first ? claimsOf(first, options) : [], bestWarnings);
  } catch (e) {
    return failed(fail('internal-error', `verification failed unexpectedly: ${(e as Error)?.message ?? String(e)}`), []);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: a lean split, not the full decode (no duplicate-member scan, no spans).

const REGISTERED_HEADER_PARAMETERS = new Set(['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit']);
const UNDERSTOOD_EXTENSIONS = new Set(['b64']); // RFC 7797

function fail(reason: VerifyReason, message: string, alg: string | null = null, kid: string | null = null, index: number | null = null): Failure {
  return new Failure(reason, message, alg, kid, index);
}

function parseToken(raw: string, backend: SignatureBackend): (Candidate | Failure)[] | Failure {
  const text = clean(raw);
  if (text.length === 0) return fail('malformed-token', 'the token is empty');
  if (text.charCodeAt(0) === 0x7b /* { */) return parseJsonSerialization(text, backend);
  const d1 = text.indexOf('.');
  const d2 = d1 < 0 ? -1 : text.indexOf('.', d1 + 1);
  if (d2 < 0 || text.indexOf('.', d2 + 1) >= 0) {
    const parts = text.split('.').length;
    if (parts === 5) return fail('not-a-jws', 'this is a JWE (5 parts): it is encrypted, not signed, so there is no signature to verify');
    return fail('malformed-token', `a JWS has 3 dot-separated parts; this has ${parts}`);
  }
  // The last header seen is checked first: one string comparison instead of hashing it for the memo.
  const headerSegment = text.slice(0, d1);
  const common = lastFacts !== null && headerSegment === lastHeader ? lastFacts : compactHeaderFacts(headerSegment, backend);
  if (common instanceof Failure) return common;
  const signature = decodeSegment(text.slice(d2 + 1), 'signature', common, null, backend);
  if (signature instanceof Failure) return signature;
  const segment = text.slice(d1 + 1, d2);
  let payloadText: string | null;
  if (common.b64) {
    payloadText = segmentText(backend, segment);
    const problem = payloadText === null ? findPayloadProblem(segment) : null;
    if (problem !== null) return fail('malformed-token', `the payload is not base64url: ${problem}`, common.alg, common.kid);
  } else {
    // RFC 7797 §5.2: an unencoded payload in a compact JWS is limited to ASCII (and cannot contain '.').
    if (/[^\x20-\x7e]/.test(segment)) {
      return fail('malformed-token', 'an unencoded (b64:false) compact payload must be printable ASCII', common.alg, common.kid);
    }
    payloadText = segment;
  }
  // The signing input is the token's own first two segments (RFC 7515 §5.2).
  return [{ alg: common.alg, kid: common.kid, signingInput: text.slice(0, d2), signature, payloadText, index: null }];
}

/** What a person pastes: surrounding whitespace, `Bearer `, quotes. Cheap when there is nothing to strip. */
function clean(raw: string): string {
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  if (first > 0x20 && last > 0x20 && first !== 0x22 && first !== 0x27 && first !== 0x42 && first !== 0x62) return raw;
  let text = raw.trim();
  // Both orders occur: "Bearer eyJ…" copied from a header value, Bearer "eyJ…" from a log line.
  for (let round = 0; round < 2; round++) {
    const q = text[0];
    if ((q === '"' || q === "'") && text.length >= 2 && text[text.length - 1] === q) text = text.slice(1, -1).trim();
    const bearer = /^bearer\s+/i.exec(text);
    if (bearer) text = text.slice(bearer[0].length).trim();
  }
  return text;
}

function findPayloadProblem(segment: string): string | null {
  const problem = findBase64urlProblem(segment);
  if (!problem) return null;
  if (problem.kind === 'invalid-char') return `invalid character ${JSON.stringify(problem.char)} at position ${problem.index}`;
  if (problem.kind === 'padding') return `'=' padding at position ${problem.index}`;
  return 'its length is not possible for base64url';
}

type Header = Record<string, unknown>;

/**
 * Parsed facts of recently seen compact headers. Tokens from one issuer share their header byte for byte,
 * so a batch parses it once; the facts are a pure function of the header text, immutable, and not a
 * verification result (the signature is checked every time). Bounded: long headers are not remembered,
 * and the oldest entry goes first.
 */
const headerMemo = new Map<string, HeaderFacts | Failure>();
const HEADER_MEMO_ENTRIES = 64;
const HEADER_MEMO_MAX_LENGTH = 512;

let lastHeader = '';
let lastFacts: HeaderFacts | Failure | null = null;

function compactHeaderFacts(segment: string, backend: SignatureBackend): HeaderFacts | Failure {
  let facts = headerMemo.get(segment);
  if (!facts) {
    const header = parseProtectedHeader(segment, null, backend);
    facts = header instanceof Failure ? header : headerFacts(header, null, null);
    if (segment.length > HEADER_MEMO_MAX_LENGTH) return facts;
    if (headerMemo.size >= HEADER_MEMO_ENTRIES) headerMemo.delete(headerMemo.keys().next().value as string);
    headerMemo.set(segment, Object.freeze(facts));
  }
  lastHeader = segment;
  lastFacts = facts;
  return facts;
}

function parseProtectedHeader(segment: string, index: number | null, backend: SignatureBackend): Header | Failure {
  const json = segmentText(backend, segment);
  if (json === null) {
    const problem = findPayloadProblem(segment);
    if (problem !== null) return fail('malformed-token', `the header is not base64url: ${problem}`, null, null, index);
    return fail('malformed-token', 'the header is not UTF-8', null, null, index);
  }
  let header: unknown;
  try {
    header = JSON.parse(json);
  } catch (e) {
    return fail('malformed-token', `the header is not JSON: ${(e as Error).message}`, null, null, index);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fail('malformed-token', 'the header is not a JSON object', null, null, index);
  }
  return header as Header;
}

interface HeaderFacts {
  alg: string | null;
  kid: string | null;
  b64: boolean;
}

/** alg, kid, crit and b64 of a JOSE header (protected members, plus unprotected ones for JSON). */
function headerFacts(prot: Header, unprotected: Header | null, index: number | null): HeaderFacts | Failure {
  const alg = Object.hasOwn(prot, 'alg') ? prot.alg : unprotected?.alg;
  const kidValue = Object.hasOwn(prot, 'kid') ? prot.kid : unprotected?.kid;
  const kid = typeof kidValue === 'string' ? kidValue : null;
  if (typeof alg !== 'string') {
    return fail('malformed-token', alg === undefined ? 'the header has no alg (RFC 7515 §4.1.1)' : 'the header alg is not a string', null, kid, index);
  }
  if (unprotected && Object.hasOwn(unprotected, 'crit')) {
    return fail('malformed-token', 'crit must be in the protected header (RFC 7515 §4.1.11)', alg, kid, index);
  }
  let b64 = true;
  const crit = prot.crit;
  if (crit !== undefined) {
    if (!Array.isArray(crit) || crit.length === 0 || crit.some((c) => typeof c !== 'string')) {
      return fail('malformed-token', 'crit must be a non-empty array of header parameter names (RFC 7515 §4.1.11)', alg, kid, index);
    }
    for (const name of crit as string[]) {
      if (REGISTERED_HEADER_PARAMETERS.has(name)) {
        return fail('malformed-token', `crit must not list ${name}, a parameter every verifier already understands`, alg, kid, index);
      }
      if (!Object.hasOwn(prot, name)) return fail('malformed-token', `crit lists ${name}, which the protected header does not contain`, alg, kid, index);
      if (!UNDERSTOOD_EXTENSIONS.has(name)) {
        return fail('crit-unsupported', `the token requires the header extension ${JSON.stringify(name)} (crit), which this verifier does not implement`, alg, kid, index);
      }
    }
    if ((crit as string[]).includes('b64')) {
      if (typeof prot.b64 !== 'boolean') return fail('malformed-token', 'b64 must be true or false (RFC 7797 §3)', alg, kid, index);
      b64 = prot.b64;
    }
  }
  return { alg, kid, b64 };
}

function decodeSegment(segment: string, what: string, facts: HeaderFacts, index: number | null, backend: SignatureBackend): Uint8Array | Failure {
  const bytes = segmentBytes(backend, segment);
  if (bytes) return bytes;
  return fail('malformed-token', `the ${what} is not base64url: ${findPayloadProblem(segment) ?? 'invalid'}`, facts.alg, facts.kid, index);
}

/** JWS JSON serialization (RFC 7515 §7.2), general or flattened. */
function parseJsonSerialization(text: string, backend: SignatureBackend): (Candidate | Failure)[] | Failure {
  let jws: unknown;
  try {
    jws = JSON.parse(text);
  } catch (e) {
    return fail('malformed-token', `not a compact JWS, and not valid JSON: ${(e as Error).message}`);
  }
  if (typeof jws !== 'object' || jws === null || Array.isArray(jws)) return fail('malformed-token', 'a JWS JSON serialization must be an object');
  const o = jws as Record<string, unknown>;
  if (Object.hasOwn(o, 'ciphertext') || Object.hasOwn(o, 'recipients') || Object.hasOwn(o, 'iv')) {
    return fail('not-a-jws', 'this is a JWE JSON serialization: it is encrypted, not signed, so there is no signature to verify');
  }
  if (typeof o.payload !== 'string') {
    return fail('malformed-token', o.payload === undefined ? 'the JWS JSON has no payload (detached content is not supported)' : 'the JWS JSON payload must be a string');
  }
  let entries: unknown[];
  const general = Object.hasOwn(o, 'signatures');
  if (general) {
    if (Object.hasOwn(o, 'signature') || Object.hasOwn(o, 'protected') || Object.hasOwn(o, 'header')) {
      return fail('malformed-token', 'a general JWS JSON has signatures[] and no top-level signature, protected or header (RFC 7515 §7.2.1)');
    }
    if (!Array.isArray(o.signatures) || o.signatures.length === 0) return fail('malformed-token', 'signatures must be a non-empty array');
    entries = o.signatures;
  } else {
    entries = [o];
  }
  return entries.map((entry, i) => jsonCandidate(entry, o.payload as string, general ? i : null, backend));
}

function jsonCandidate(entry: unknown, payload: string, index: number | null, backend: SignatureBackend): Candidate | Failure {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return fail('malformed-token', 'a signature entry must be an object', null, null, index);
  const e = entry as Record<string, unknown>;
  if (e.protected !== undefined && typeof e.protected !== 'string') return fail('malformed-token', 'protected must be a string', null, null, index);
  if (e.header !== undefined && (typeof e.header !== 'object' || e.header === null || Array.isArray(e.header))) {
    return fail('malformed-token', 'header must be a JSON object', null, null, index);
  }
  if (typeof e.signature !== 'string') return fail('malformed-token', 'signature must be a string', null, null, index);
  if (e.protected === undefined && e.header === undefined) return fail('malformed-token', 'a signature needs a protected or an unprotected header', null, null, index);
  const protectedB64 = (e.protected as string | undefined) ?? '';
  const prot = protectedB64 ? parseProtectedHeader(protectedB64, index, backend) : {};
  if (prot instanceof Failure) return prot;
  const unprotected = (e.header as Header | undefined) ?? null;
  if (unprotected) {
    const shared = Object.keys(unprotected).find((name) => Object.hasOwn(prot, name));
    if (shared !== undefined) return fail('malformed-token', `header parameter ${shared} is both protected and unprotected (RFC 7515 §7.2.1)`, null, null, index);
  }
  const facts = headerFacts(prot, unprotected, index);
  if (facts instanceof Failure) return facts;
  const signature = decodeSegment(e.signature, 'signature', facts, index, backend);
  if (signature instanceof Failure) return signature;
  let payloadText: string | null = payload;
  if (facts.b64) {
    payloadText = segmentText(backend, payload);
    const problem = payloadText === null ? findPayloadProblem(payload) : null;
    if (problem !== null) return fail('malformed-token', `the payload is not base64url: ${problem}`, facts.alg, facts.kid, index);
  }
  return { alg: facts.alg, kid: facts.kid, signingInput: `${protectedB64}.${payload}`, signature, payloadText, index };
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

function claimsOf(c: Candidate | Failure, options: VerifyOptions): ClaimCheck[] {
  if (c instanceof Failure) return [];
  const payload = readPayload(c);
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
