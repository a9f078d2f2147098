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
  SignResponse,
  Transport,
  WorkbenchApi,
} from './methods';
export { ok, err, isResult } from './result';
export type { Result, Ok, Err, HostError, ErrorCode, TransportErrorCode } from './result';
export { createDispatcher, describeErrorForLog } from './dispatch';
export type { Dispatch, DispatchOptions } from './dispatch';
export { CONTENT_SECURITY_POLICY } from './csp';
