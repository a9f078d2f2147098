/**
 * The host contract: each method's request validator (whose inferred type IS the request type) and its
 * response type. The Electron preload, the IPC wrapper, the HTTP transport, the handlers and the
 * renderer's client are all typed from this one map.
 */
import type { SecretEncoding, KeyInput } from '../core/keys';
import { SECRET_ENCODINGS } from '../core/secret';
import type { signToken } from '../core/sign';
import type { VerifyOptions } from '../core/verify-types';
import type { DpopCheckResult } from '../core/dpop';
import { keysRequests, storedKeyInputSchema } from './keys';
import { issuerRequests } from './issuer';
import type {
  IssuerClockView,
  IssuerExchange,
  IssuerFamilies,
  IssuerFamilyView,
  IssuerKeyView,
  IssuerLogEntryView,
  IssuerSettingsView,
  IssuerStatus,
  IssuerUserView,
} from './issuer';
import type {
  KeysImportResult,
  KeysStatus,
  PrivateExportOutcome,
  PublicExport,
  StoredKeyInfo,
  StoredKeyInput,
} from './keys';
import { historyRequests } from './history';
import type { HistorySaved, HistoryState } from './history';
import { jweRequests } from './jwe';
import type { DecryptResponse, EncryptResponse } from './jwe';
import { httpUrlSchema } from './jwks';
import type { JwksFetchResponse } from './jwks';
import { tokenKeyInputSchema } from './key-discovery';
import type { HostVerifyResult, KeysDiscoverResponse, TokenKeyInput } from './key-discovery';
import { probeRequests } from './probe';
import type { ProbeRunView } from './probe';
import { NOTIFICATION_ACTIONS } from './desktop';
import type { PendingOpen } from './desktop';
import type { MethodName } from './method-names';
import type { MethodErrorCode } from './errors';
import type { Result, TransportErrorCode } from './result';
import * as s from './schema';
import type { Infer, Schema } from './schema';

/** Upper bounds on what a request may carry (UTF-16 code units). Generous for real use, finite for abuse. */
export const LIMITS = {
  token: 1024 * 1024,
  /** PEM, JWK, JWKS or secret text; a JWKS of dozens of RSA keys with certificate chains fits. */
  keyText: 1024 * 1024,
  headerText: 256 * 1024,
  payloadText: 1024 * 1024,
  alg: 32,
  /** An audience or issuer value. */
  claimValue: 4096,
  listItems: 64,
} as const;

/** A response type only: handlers are ours, so responses are typed, not re-validated at runtime. */
export interface Returns<T> {
  /** Phantom: never read at runtime, it only carries T. */
  readonly __response: T;
}
function returns<T>(): Returns<T> {
  return {} as Returns<T>;
}

const alg = s.string({ max: LIMITS.alg, min: 1 });
const keyText = s.string({ max: LIMITS.keyText });
const oneOrMany = s.union([
  s.string({ max: LIMITS.claimValue }),
  s.array(s.string({ max: LIMITS.claimValue }), { max: LIMITS.listItems }),
]);

const keyInputMembers = [
  s.object({ type: s.literal('secret'), value: keyText, encoding: s.oneOf<SecretEncoding>(SECRET_ENCODINGS) }),
  s.object({ type: s.literal('pem'), value: keyText }),
  s.object({ type: s.literal('jwk'), value: keyText }),
  s.object({ type: s.literal('jwks'), value: keyText }),
  s.object({ type: s.literal('auto'), value: keyText }),
] as const;
export const keyInputSchema = s.discriminated('type', keyInputMembers);

/** What crypto.sign / crypto.verify take: key text, or a stored key by id (resolved by the host's key store). */
export const hostKeyInputSchema = s.discriminated('type', [...keyInputMembers, storedKeyInputSchema]);

/**
 * What crypto.verify takes: a host key input, or the token's own key (self-asserted; only when the user chose
 * it). Never what crypto.sign takes: a token's own key is public and proves nothing.
 */
export const verifyKeyInputSchema = s.discriminated('type', [...keyInputMembers, storedKeyInputSchema, tokenKeyInputSchema]);

export const verifyOptionsSchema = s.object({
  algorithms: s.optional(s.array(alg, { max: LIMITS.listItems })),
  audience: s.optional(oneOrMany),
  issuer: s.optional(oneOrMany),
  requiredClaims: s.optional(s.array(s.string({ max: LIMITS.claimValue, min: 1 }), { max: LIMITS.listItems })),
  now: s.optional(s.number()),
  // A year of tolerance is already absurd; the bound keeps `now ± leeway` a sane number.
  leeway: s.optional(s.number({ min: 0, max: 366 * 24 * 3600 })),
  accessToken: s.optional(s.string({ max: LIMITS.token })),
  code: s.optional(s.string({ max: LIMITS.claimValue })),
  state: s.optional(s.string({ max: LIMITS.claimValue })),
  nonce: s.optional(s.string({ max: LIMITS.claimValue })),
  kbAudience: s.optional(s.string({ max: LIMITS.claimValue })),
  kbNonce: s.optional(s.string({ max: LIMITS.claimValue })),
});

// The core's hand-written KeyInput / VerifyOptions and these schemas must describe the same values:
// if either side changes alone, these lines stop compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type KeyInputInSync = Assert<Same<Infer<typeof keyInputSchema>, KeyInput>>;
export type HostKeyInputInSync = Assert<Same<Infer<typeof hostKeyInputSchema>, KeyInput | StoredKeyInput>>;
export type VerifyKeyInputInSync = Assert<Same<Infer<typeof verifyKeyInputSchema>, KeyInput | StoredKeyInput | TokenKeyInput>>;
export type VerifyOptionsInSync = Assert<Same<Infer<typeof verifyOptionsSchema>, VerifyOptions>>;

/** `dpop.create`: the proof, and the RFC 7638 thumbprint of its key (what an access token's cnf.jkt names). */
export interface DpopCreateResponse {
  proof: string;
  jkt: string;
}
const dpopHtm = s.string({ max: 64, min: 1 });
const dpopHtu = s.string({ max: LIMITS.claimValue, min: 1 });

/** `secrets.check`: whether an HS256/384/512 token is signed with a secret of the built-in list. */
export interface SecretsCheckResult {
  found: boolean;
  /** The secret as UTF-8 text, or null when not found. Returned by design: the user asked for it. */
  secret: string | null;
  alg: string;
  /** Candidates tried. */
  tried: number;
  /** Wall time of the scan. */
  seconds: number;
  /** Where the secret was found (only the built-in list is scanned here), null when not found. */
  source: 'builtin' | null;
}

export interface AppInfo {
  name: string;
  version: string;
  transport: Transport;
  /** `process.platform` of the host: linux, darwin, win32, … */
  platform: string;
}

export type Transport = 'electron' | 'http';

export type SignResponse = Awaited<ReturnType<typeof signToken>>;

interface MethodSpec<Req> {
  request: Schema<Req>;
  response: Returns<unknown>;
}

export const methods = {
  'app.info': {
    request: s.object({}),
    response: returns<AppInfo>(),
  },
  // Tokens opened from outside (command line, file, jwtdbg:// link) since the last call; taken once.
  'app.pendingOpen': { request: s.object({}), response: returns<{ opens: PendingOpen[] }>() },
  // A desktop notification (a pinned token about to expire); `shown: false` where the host has none (web).
  // With `action`, a click (or its button) sends the page a `notification` event with it (desktop.ts).
  'app.notify': {
    request: s.object({ title: s.string({ min: 1, max: 120 }), body: s.string({ max: 400 }), action: s.optional(s.oneOf(NOTIFICATION_ACTIONS)) }),
    response: returns<{ shown: boolean }>(),
  },
  'crypto.verify': {
    request: s.object({
      token: s.string({ max: LIMITS.token }),
      key: verifyKeyInputSchema,
      options: s.optional(verifyOptionsSchema),
    }),
    response: returns<HostVerifyResult>(),
  },
  'crypto.sign': {
    request: s.object({
      headerText: s.string({ max: LIMITS.headerText }),
      payloadText: s.string({ max: LIMITS.payloadText }),
      key: hostKeyInputSchema,
      alg: s.optional(alg),
    }),
    response: returns<SignResponse>(),
  },
  // JWE: a stored key by id (never sent to the page), key text, or a PBES2 password (shared/contract/jwe.ts).
  'crypto.decrypt': { request: jweRequests.decrypt, response: returns<DecryptResponse>() },
  'crypto.encrypt': { request: jweRequests.encrypt, response: returns<EncryptResponse>() },
  'jwks.fetch': { request: s.object({ url: httpUrlSchema }), response: returns<JwksFetchResponse>() },
  // DPoP (RFC 9449): a proof signed by the host (a stored key never leaves it), and §4.3's checks of one.
  'dpop.create': {
    request: s.object({
      key: hostKeyInputSchema,
      htm: dpopHtm,
      htu: dpopHtu,
      accessToken: s.optional(s.string({ max: LIMITS.token, min: 1 })),
      nonce: s.optional(s.string({ max: LIMITS.claimValue, min: 1 })),
      iat: s.optional(s.number()),
    }),
    response: returns<DpopCreateResponse>(),
  },
  'dpop.check': {
    request: s.object({
      proof: s.string({ max: LIMITS.token }),
      htm: dpopHtm,
      htu: dpopHtu,
      accessToken: s.optional(s.string({ max: LIMITS.token, min: 1 })),
      nonce: s.optional(s.string({ max: LIMITS.claimValue, min: 1 })),
      maxAge: s.optional(s.number({ min: 0, max: 366 * 24 * 3600 })),
      now: s.optional(s.number()),
    }),
    response: returns<DpopCheckResult>(),
  },
  // The issuer's keys from the token's iss (OIDC Discovery / RFC 8414 → jwks_uri), on "Find keys" only.
  'keys.discover': { request: s.object({ token: s.string({ max: LIMITS.token }) }), response: returns<KeysDiscoverResponse>() },
  'keys.status': { request: keysRequests.status, response: returns<KeysStatus>() },
  'keys.setup': { request: keysRequests.setup, response: returns<KeysStatus>() },
  'keys.unlock': { request: keysRequests.unlock, response: returns<KeysStatus>() },
  'keys.reset': { request: keysRequests.reset, response: returns<KeysStatus>() },
  'keys.list': { request: keysRequests.list, response: returns<StoredKeyInfo[]>() },
  'keys.generate': { request: keysRequests.generate, response: returns<StoredKeyInfo>() },
  'keys.import': {
    request: s.object({ input: keyInputSchema, label: s.optional(s.string({ max: LIMITS.claimValue })) }),
    response: returns<KeysImportResult>(),
  },
  'keys.update': { request: keysRequests.update, response: returns<StoredKeyInfo>() },
  'keys.remove': { request: keysRequests.remove, response: returns<{ removed: string }>() },
  'keys.exportPublic': { request: keysRequests.exportPublic, response: returns<PublicExport>() },
  'keys.exportPrivate': { request: keysRequests.exportPrivate, response: returns<PrivateExportOutcome>() },
  'issuer.start': { request: issuerRequests.start, response: returns<IssuerStatus>() },
  'issuer.stop': { request: issuerRequests.stop, response: returns<IssuerStatus>() },
  'issuer.status': { request: issuerRequests.status, response: returns<IssuerStatus>() },
  'issuer.settings': { request: issuerRequests.settingsGet, response: returns<IssuerSettingsView>() },
  'issuer.settings.put': { request: issuerRequests.settingsPut, response: returns<IssuerSettingsView>() },
  'issuer.clock': { request: issuerRequests.clock, response: returns<IssuerClockView>() },
  'issuer.rotateKeys': { request: issuerRequests.rotateKeys, response: returns<{ current: { kid: string; alg: string }; keys: IssuerKeyView[] }>() },
  'issuer.families': { request: issuerRequests.families, response: returns<IssuerFamilies>() },
  'issuer.revokeFamily': { request: issuerRequests.revokeFamily, response: returns<{ family: IssuerFamilyView }>() },
  'issuer.users': { request: issuerRequests.users, response: returns<{ users: IssuerUserView[] }>() },
  'issuer.users.put': {
    request: issuerRequests.putUser,
    response: returns<{ user: IssuerUserView; created: boolean; revokedFamilies: number }>(),
  },
  'issuer.log': { request: issuerRequests.log, response: returns<{ entries: IssuerLogEntryView[] }>() },
  'issuer.request': { request: issuerRequests.request, response: returns<IssuerExchange>() },
  'history.get': { request: historyRequests.get, response: returns<HistoryState>() },
  'history.setEnabled': { request: historyRequests.setEnabled, response: returns<HistoryState>() },
  'history.save': { request: historyRequests.save, response: returns<HistorySaved>() },
  'history.clear': { request: historyRequests.clear, response: returns<HistoryState>() },
  'secrets.check': { request: s.object({ token: s.string({ max: LIMITS.token }) }), response: returns<SecretsCheckResult>() },
  'secrets.cancel': { request: s.object({}), response: returns<{ cancelled: boolean }>() },
  'probe.start': { request: probeRequests.start, response: returns<{ runId: string }>() },
  'probe.status': { request: probeRequests.status, response: returns<ProbeRunView>() },
  'probe.cancel': { request: probeRequests.cancel, response: returns<{ cancelled: boolean }>() },
} satisfies { [M in MethodName]: MethodSpec<unknown> };

export type RequestOf<M extends MethodName> = Infer<(typeof methods)[M]['request']>;
export type ResponseOf<M extends MethodName> = (typeof methods)[M]['response'] extends Returns<infer T> ? T : never;

/** What a transport tells a handler about the call (not about the caller: that was checked before). */
export interface CallContext {
  transport: Transport;
}

/**
 * A method's implementation: its answer as a Result, or a thrown WorkbenchError whose code the method declares
 * (the dispatcher turns it into the error Result; shared/contract/errors.ts).
 */
export type Handler<M extends MethodName> = (
  request: RequestOf<M>,
  context: CallContext,
) => Promise<Result<ResponseOf<M>, MethodErrorCode<M>>> | Result<ResponseOf<M>, MethodErrorCode<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** What a caller gets back from a method: its response, or one of its declared codes or a transport's. */
export type ResultOf<M extends MethodName> = Result<ResponseOf<M>, MethodErrorCode<M> | TransportErrorCode>;

/** `window.workbench` in Electron: one function per method, each bound to its channel by the preload. */
export type WorkbenchApi = { readonly [M in MethodName]: (request: RequestOf<M>) => Promise<ResultOf<M>> };
