/**
 * The host contract: each method's request validator (whose inferred type IS the request type) and its
 * response type. The Electron preload, the IPC wrapper, the HTTP transport, the handlers and the
 * renderer's client are all typed from this one map.
 */
import type { SecretEncoding, KeyInput } from '../core/keys';
import { SECRET_ENCODINGS } from '../core/keys';
import type { signToken } from '../core/sign';
import type { VerifyOptions, VerifyResult } from '../core/verify-types';
import type { MethodName } from './method-names';
import type { Result } from './result';
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

export const keyInputSchema = s.discriminated('type', [
  s.object({ type: s.literal('secret'), value: keyText, encoding: s.oneOf<SecretEncoding>(SECRET_ENCODINGS) }),
  s.object({ type: s.literal('pem'), value: keyText }),
  s.object({ type: s.literal('jwk'), value: keyText }),
  s.object({ type: s.literal('jwks'), value: keyText }),
  s.object({ type: s.literal('auto'), value: keyText }),
]);

export const verifyOptionsSchema = s.object({
  algorithms: s.optional(s.array(alg, { max: LIMITS.listItems })),
  audience: s.optional(oneOrMany),
  issuer: s.optional(oneOrMany),
  now: s.optional(s.number()),
  // A year of tolerance is already absurd; the bound keeps `now ± leeway` a sane number.
  leeway: s.optional(s.number({ min: 0, max: 366 * 24 * 3600 })),
});

// The core's hand-written KeyInput / VerifyOptions and these schemas must describe the same values:
// if either side changes alone, these lines stop compiling.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type KeyInputInSync = Assert<Same<Infer<typeof keyInputSchema>, KeyInput>>;
export type VerifyOptionsInSync = Assert<Same<Infer<typeof verifyOptionsSchema>, VerifyOptions>>;

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
  'crypto.verify': {
    request: s.object({
      token: s.string({ max: LIMITS.token }),
      key: keyInputSchema,
      options: s.optional(verifyOptionsSchema),
    }),
    response: returns<VerifyResult>(),
  },
  'crypto.sign': {
    request: s.object({
      headerText: s.string({ max: LIMITS.headerText }),
      payloadText: s.string({ max: LIMITS.payloadText }),
      key: keyInputSchema,
      alg: s.optional(alg),
    }),
    response: returns<SignResponse>(),
  },
} satisfies { [M in MethodName]: MethodSpec<unknown> };

export type RequestOf<M extends MethodName> = Infer<(typeof methods)[M]['request']>;
export type ResponseOf<M extends MethodName> = (typeof methods)[M]['response'] extends Returns<infer T> ? T : never;

/** What a transport tells a handler about the call (not about the caller: that was checked before). */
export interface CallContext {
  transport: Transport;
}

export type Handler<M extends MethodName> = (
  request: RequestOf<M>,
  context: CallContext,
) => Promise<Result<ResponseOf<M>>> | Result<ResponseOf<M>>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** `window.workbench` in Electron: one function per method, each bound to its channel by the preload. */
export type WorkbenchApi = { readonly [M in MethodName]: (request: RequestOf<M>) => Promise<Result<ResponseOf<M>>> };
