/**
 * Keys from the issuer, and the token's own key, in the host contract. `keys.discover` finds a token's
 * issuer keys from its `iss` (OIDC Discovery, else RFC 8414 metadata → `jwks_uri`), only when the user
 * presses "Find keys". `{ type: 'token-key' }` is the one way to verify with the key a token names about
 * itself (jwk, x5c, jku, x5u): never implied, and the verdict then carries `key.source: "self-asserted:…"`.
 */
import type { MatchedKey, VerifyResult } from '../core/verify-types';
import * as s from './schema';

/** `keys.discover`: where the keys were found, and the JWKS itself (the debugger puts it in the JWKS box). */
export interface KeysDiscoverResponse {
  /** The JWKS as text (checked to have a `keys` array). */
  jwks: string;
  /** How many entries `keys` has. */
  keys: number;
  /** The `jwks_uri` the metadata named. */
  jwksUri: string;
  /** The metadata document (OIDC or RFC 8414) the `jwks_uri` came from. */
  metadataUrl: string;
}

/** Verify with the key the token names about itself: resolved by the host for the token being verified. */
export interface TokenKeyInput {
  type: 'token-key';
}

export const tokenKeyInputSchema = s.object({ type: s.literal('token-key') });

/** A matched key as the host reports it: `source` says where a key came from when the host found it itself. */
export interface VerifiedKey extends MatchedKey {
  /** `self-asserted:jwk`, `self-asserted:x5c`, `self-asserted:jku:<url>`, `self-asserted:x5u:<url>`. */
  source?: string;
}

/** crypto.verify's answer: the core's verdict, its key with a source when the host chose where it came from. */
export type HostVerifyResult = Omit<VerifyResult, 'key'> & { key: VerifiedKey | null };
