/**
 * The error codes each contract method may answer with, declared once. The services' error classes take
 * their code unions from here (or from the core, for the core's own families), the dispatcher passes a thrown
 * WorkbenchError through only when its code is declared for the method (anything else is a defect, answered
 * `internal`), and the renderer's `result.error.code === '…'` checks are type-checked against the method.
 */
import { KEY_ERROR_CODES } from '../core/key-error';
import type { JweErrorCode } from '../core/jwe';
import { SIGN_ERROR_CODES } from '../core/sign';
import type { DpopErrorCode } from '../core/dpop';
import type { MethodName } from './method-names';

/** The key store's codes: stable, the CLI prints them and the Keys view switches on some. */
export const KEY_STORE_ERROR_CODES = [
  'invalid-argument', // a caller passed something out of range (bits, label, kid, alg)
  'unsupported-alg', // not an algorithm this store generates or signs with
  'import-invalid', // the text given to import is not a usable signing key (message says why)
  'not-found', // no stored key has this id
  'no-public-part', // an HMAC secret has no public form (public JWK / PEM / JWKS)
  'no-private-part', // a public-only key cannot sign or export a private form
  'alg-not-allowed', // the key does not fit the requested algorithm
  'format-unsupported', // e.g. a PEM for an HMAC secret
  'wrong-passphrase', // the passphrase does not open this store; the store is untouched
  'unlock-failed', // the OS keychain could not decrypt this store's key; the store is untouched
  'encryption-unavailable', // the OS keychain (safeStorage) cannot encrypt on this machine
  'protection-mismatch', // the store is protected another way than the caller chose
  'store-changed', // another instance re-keyed the store while this one had it open
  'store-locked', // another process holds the store's lock
  'store-corrupt', // unparseable / wrong shape / tampered: set aside (see KeyStore.recovery)
  'store-unreadable', // the file exists but cannot be read nor set aside
  'store-version-unsupported', // written by a newer version of the app: left untouched
  'store-write-failed', // writing the store failed; the previous file is intact
  'store-io-failed', // the data folder or lock file could not be used (permissions, disk)
  'file-write-failed', // an export to a file the caller named could not be written
  'sign-failed', // the shared signer rejected the request (message says why)
  'keys-locked', // the host has not set up or unlocked its key store yet
  'not-supported', // this host cannot do that (e.g. the web host has no clipboard of its own)
] as const;
export type KeyStoreErrorCode = (typeof KEY_STORE_ERROR_CODES)[number];

/** The mock issuer service's codes (`issuer.*`). */
export const ISSUER_ERROR_CODES = [
  'issuer-not-running',
  'issuer-running',
  'invalid-options',
  'listen-failed',
  'data-dir-locked',
  'data-dir-unusable',
  'key-error',
  'invalid-request',
  'not-found',
  'conflict',
  'request-failed',
] as const;
export type IssuerErrorCode = (typeof ISSUER_ERROR_CODES)[number];

/** `jwks.fetch`: why the one user-requested fetch failed. */
export const JWKS_FETCH_ERROR_CODES = ['url-invalid', 'fetch-failed', 'fetch-timeout', 'http-status', 'too-large', 'jwks-invalid'] as const;
export type JwksFetchErrorCode = (typeof JWKS_FETCH_ERROR_CODES)[number];

/** `dpop.create`: why no proof could be made (shared/core/dpop.ts's DpopError), besides the key's own codes. */
export const DPOP_ERROR_CODES = ['htm-invalid', 'htu-invalid', 'key-not-private', 'key-not-asymmetric', 'key-ambiguous', 'key-unusable', 'option-invalid'] as const;
export type DpopCreateErrorCode = (typeof DPOP_ERROR_CODES)[number];
// The core's DpopErrorCode and this list must name the same codes: if either changes alone, this stops compiling.
type SameCodes<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type AssertTrue<T extends true> = T;
export type DpopCodesInSync = AssertTrue<SameCodes<DpopCreateErrorCode, DpopErrorCode>>;
/** `crypto.decrypt` / `crypto.encrypt`: the JWE core's codes (shared/core/jwe.ts), one generic for any key-dependent failure. */
export const JWE_ERROR_CODES = [
  'not-jwe',
  'jwe-invalid',
  'not-decryptable', // wrong key, altered ciphertext / tag, bad padding: one reason, no oracle
  'p2c-too-large',
  'zip-too-large',
  'alg-unsupported',
  'enc-unsupported',
  'key-invalid',
  'key-unusable',
  'password-empty',
] as const satisfies readonly JweErrorCode[];
export type JweContractErrorCode = (typeof JWE_ERROR_CODES)[number];
/** `keys.discover`: why the issuer's keys could not be found from the token's `iss`. */
export const KEY_DISCOVERY_ERROR_CODES = [
  'token-invalid', // the text does not decode, or its claims are encrypted (a JWE)
  'iss-missing', // the token has no iss
  'iss-not-url', // iss is not an http(s) URL discovery may fetch from
  'discovery-failed', // neither well-known metadata document was found
  'issuer-mismatch', // the metadata names another issuer (OIDC Discovery §4.3, RFC 8414 §3.3)
  'jwks-uri-invalid', // the metadata has no fetchable jwks_uri
  'jwks-fetch-failed', // the jwks_uri could not be fetched or is not a JWKS
] as const;
export type KeyDiscoveryErrorCode = (typeof KEY_DISCOVERY_ERROR_CODES)[number];
/** crypto.verify with `{ type: 'token-key' }`: the token names no usable key of its own. */
export const TOKEN_KEY_ERROR_CODES = ['no-token-key', 'token-key-unusable', 'token-key-fetch-failed'] as const;
export type TokenKeyErrorCode = (typeof TOKEN_KEY_ERROR_CODES)[number];

/** `history.*`: history is off, or its file could not be used. */
export const HISTORY_ERROR_CODES = ['history-disabled', 'history-io'] as const;
export type HistoryErrorCode = (typeof HISTORY_ERROR_CODES)[number];

/**
 * `secrets.check`: why a token could not be scanned for a known secret. The first four are the scan's own
 * refusals of the token (electron/services/crack); the last two are the host's.
 */
export const SECRETS_CHECK_ERROR_CODES = [
  'token-invalid', // the decoder refuses the text
  'not-jws', // a JWE or an unsecured token: no HMAC to recompute
  'not-hmac', // a JWS whose alg is not HS256/384/512
  'signature-length', // the signature cannot be an HMAC of that alg
  'scan-cancelled', // secrets.cancel (or a newer secrets.check) stopped this scan
  'scan-unavailable', // the built-in list is missing or a scan worker failed
] as const;
export type SecretsCheckErrorCode = (typeof SECRETS_CHECK_ERROR_CODES)[number];

/**
 * `probe.*`: why a probe of a verifier could not start (the first three, answered by `probe.start`) or
 * stopped early (the rest, in `probe.status`'s `error`). The CLI's `jwtdbg probe` uses the same codes.
 */
export const PROBE_ERROR_CODES = [
  'invalid-url', // not an http(s) URL
  'invalid-header', // the header is not an HTTP header name, or the scheme has control characters
  'token-invalid', // the token does not decode, or no attack can be made from it (a JWE, a detached payload)
  'original-refused', // the original token got a non-2xx answer
  'original-failed', // no answer for the original token
  'attack-failed', // a variant could not be made (e.g. the public key given is not usable)
  'probe-cancelled', // probe.cancel (or a newer probe.start) stopped the run
] as const;
export type ProbeErrorCode = (typeof PROBE_ERROR_CODES)[number];
/** `probe.status`: the run is unknown (never started, or long finished and forgotten). */
export const PROBE_STATUS_ERROR_CODES = ['run-not-found'] as const;

const NONE = [] as const;

/** Each method's own codes (the transport's codes, `bad-request`, `internal`, …, come on top of these). */
export const METHOD_ERRORS = {
  'app.info': NONE,
  'app.pendingOpen': NONE,
  'app.notify': NONE,
  // verifyToken answers a verdict, never an error; a stored key can be missing or locked, a token's own key absent.
  'crypto.verify': [...KEY_STORE_ERROR_CODES, ...TOKEN_KEY_ERROR_CODES],
  'crypto.sign': [...SIGN_ERROR_CODES, ...KEY_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  // A secret in an encoding it is not (KeyError), a stored key missing or locked (the store's codes).
  'crypto.decrypt': [...JWE_ERROR_CODES, ...KEY_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'crypto.encrypt': [...JWE_ERROR_CODES, ...KEY_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'jwks.fetch': JWKS_FETCH_ERROR_CODES,
  // A stored key can be missing, locked or public only; a pasted one unreadable. Checking never fails: a bad
  // proof is a verdict.
  'dpop.create': [...DPOP_ERROR_CODES, ...KEY_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'dpop.check': NONE,
  'keys.discover': KEY_DISCOVERY_ERROR_CODES,
  'keys.status': KEY_STORE_ERROR_CODES,
  'keys.setup': KEY_STORE_ERROR_CODES,
  'keys.unlock': KEY_STORE_ERROR_CODES,
  'keys.reset': KEY_STORE_ERROR_CODES,
  'keys.list': KEY_STORE_ERROR_CODES,
  'keys.generate': KEY_STORE_ERROR_CODES,
  'keys.import': [...KEY_STORE_ERROR_CODES, ...KEY_ERROR_CODES],
  'keys.update': KEY_STORE_ERROR_CODES,
  'keys.remove': KEY_STORE_ERROR_CODES,
  'keys.exportPublic': KEY_STORE_ERROR_CODES,
  'keys.exportPrivate': KEY_STORE_ERROR_CODES,
  // The issuer keeps its signing keys in the key store when it is unlocked: its codes pass through.
  'issuer.start': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.stop': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.status': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.settings': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.settings.put': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.clock': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.rotateKeys': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.families': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.revokeFamily': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.users': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.users.put': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.log': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'issuer.request': [...ISSUER_ERROR_CODES, ...KEY_STORE_ERROR_CODES],
  'history.get': HISTORY_ERROR_CODES,
  'history.setEnabled': HISTORY_ERROR_CODES,
  'history.save': HISTORY_ERROR_CODES,
  'history.clear': HISTORY_ERROR_CODES,
  'secrets.check': SECRETS_CHECK_ERROR_CODES,
  'secrets.cancel': NONE,
  'probe.start': PROBE_ERROR_CODES,
  'probe.status': PROBE_STATUS_ERROR_CODES,
  'probe.cancel': NONE,
} as const satisfies { readonly [M in MethodName]: readonly string[] };

/** The codes a method itself may answer with. */
export type MethodErrorCode<M extends MethodName> = (typeof METHOD_ERRORS)[M][number];

/** True when `code` is one `method` declares. */
export function declaresError(method: MethodName, code: string): boolean {
  return (METHOD_ERRORS[method] as readonly string[]).includes(code);
}
