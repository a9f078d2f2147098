export { METHOD_NAMES, isMethodName, channelOf } from './method-names';
export type { MethodName } from './method-names';
export { methods, LIMITS, keyInputSchema, verifyOptionsSchema } from './methods';
export type {
  AppInfo,
  CallContext,
  Handler,
  Handlers,
  RequestOf,
  ResponseOf,
  ResultOf,
  SecretsCheckResult,
  SignResponse,
  Transport,
  WorkbenchApi,
} from './methods';
export { hostKeyInputSchema } from './methods';
export { keysRequests, storedKeyInputSchema, KEY_LIMITS } from './keys';
export type {
  HostKeyInput,
  KeyProtectionKind,
  KeySetupChoice,
  KeyStoreState,
  KeysImportResult,
  KeysStatus,
  PrivateExportDestination,
  PrivateExportOutcome,
  PublicExport,
  PublicExportFormat,
  StoredKeyInfo,
  StoredKeyInput,
} from './keys';
export { ok, err, isResult } from './result';
export type { Result, Ok, Err, HostError, ErrorCode, TransportErrorCode } from './result';
export { createDispatcher, describeErrorForLog } from './dispatch';
export type { Dispatch, DispatchOptions } from './dispatch';
export { CONTENT_SECURITY_POLICY } from './csp';
export { METHOD_ERRORS, declaresError, KEY_STORE_ERROR_CODES, ISSUER_ERROR_CODES, JWKS_FETCH_ERROR_CODES, HISTORY_ERROR_CODES, SECRETS_CHECK_ERROR_CODES } from './errors';
export type { MethodErrorCode, KeyStoreErrorCode, IssuerErrorCode, JwksFetchErrorCode, HistoryErrorCode, SecretsCheckErrorCode } from './errors';
export { jweRequests, jweKeyInputSchema, JWE_LIMITS } from './jwe';
export type { DecryptResponse, EncryptResponse, JweHostKeyInput, NestedDecode } from './jwe';
export { JWE_ERROR_CODES } from './errors';
export { probeRequests, PROBE_LIMITS } from './probe';
export type { ProbeResultView, ProbeRunView } from './probe';
export { PROBE_ERROR_CODES } from './errors';
export type { ProbeErrorCode } from './errors';
export { DPOP_ERROR_CODES } from './errors';
export type { DpopCreateErrorCode } from './errors';
export type { DpopCreateResponse } from './methods';
export { COMMANDS, COMMAND_IDS, APP_EVENT_CHANNEL, OPEN_FILE_MAX_BYTES, OPEN_FILE_EXTENSIONS, OPEN_LINK_SCHEME, isCommandId, parseAppEvent } from './desktop';
export type { AppEvent, AppEventsApi, CommandId, CommandSpec, OpenSource, PendingOpen } from './desktop';
export { tokenFileText } from './desktop';
export { KEY_DISCOVERY_ERROR_CODES, TOKEN_KEY_ERROR_CODES } from './errors';
export type { KeyDiscoveryErrorCode, TokenKeyErrorCode } from './errors';
export { tokenKeyInputSchema } from './key-discovery';
export type { HostVerifyResult, KeysDiscoverResponse, TokenKeyInput, VerifiedKey } from './key-discovery';
export { verifyKeyInputSchema } from './methods';
