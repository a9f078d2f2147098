/**
 * JWE in the host contract: `crypto.decrypt` and `crypto.encrypt` (shared/core/jwe.ts does the work).
 * A stored key is named by id and resolved in the host, so no private key comes to the page; a password is
 * only for the PBES2 algorithms. The plaintext comes back (the user asked for it); key material never does.
 */
import type { TokenErrorInfo } from '../core/errors';
import { CONTENT_ENCRYPTION_ALGORITHMS, KEY_MANAGEMENT_ALGORITHMS } from '../core/jwe';
import type { ContentEncryptionAlgorithm, KeyManagementAlgorithm } from '../core/jwe';
import type { SecretEncoding } from '../core/secret';
import { SECRET_ENCODINGS } from '../core/secret';
import { storedKeyInputSchema } from './keys';
import * as s from './schema';

export const JWE_LIMITS = {
  token: 1024 * 1024,
  keyText: 1024 * 1024,
  /** A password is typed, not pasted from a file. */
  password: 1024,
  payload: 1024 * 1024,
  cty: 64,
} as const;

const keyText = s.string({ max: JWE_LIMITS.keyText, min: 1 });

/** Key text (as crypto.verify takes it), a stored key by id, or a PBES2 password. */
export const jweKeyInputSchema = s.discriminated('type', [
  s.object({ type: s.literal('secret'), value: keyText, encoding: s.oneOf<SecretEncoding>(SECRET_ENCODINGS) }),
  s.object({ type: s.literal('pem'), value: keyText }),
  s.object({ type: s.literal('jwk'), value: keyText }),
  s.object({ type: s.literal('jwks'), value: keyText }),
  s.object({ type: s.literal('auto'), value: keyText }),
  storedKeyInputSchema,
  s.object({ type: s.literal('password'), value: s.string({ max: JWE_LIMITS.password, min: 1 }) }),
]);
export type JweHostKeyInput = s.Infer<typeof jweKeyInputSchema>;

export const jweRequests = {
  decrypt: s.object({ token: s.string({ max: JWE_LIMITS.token, min: 1 }), key: jweKeyInputSchema }),
  encrypt: s.object({
    payload: s.string({ max: JWE_LIMITS.payload }),
    key: jweKeyInputSchema,
    alg: s.oneOf<KeyManagementAlgorithm>(KEY_MANAGEMENT_ALGORITHMS),
    enc: s.oneOf<ContentEncryptionAlgorithm>(CONTENT_ENCRYPTION_ALGORITHMS),
    cty: s.optional(s.string({ max: JWE_LIMITS.cty, min: 1 })),
  }),
} as const;

/** The inner token of a nested JWT (`cty: JWT`), decoded as the debugger decodes a pasted one. */
export interface NestedDecode {
  /** The inner token's text: the debugger opens it in place. */
  token: string;
  kind: 'jws' | 'jwe' | 'unsecured' | null;
  header: Record<string, unknown> | null;
  /** The payload when it is JSON, else null. */
  payload: unknown;
  error: TokenErrorInfo | null;
}

export interface DecryptResponse {
  /** The JOSE header used: protected, shared unprotected and per-recipient members together. */
  header: Record<string, unknown>;
  /** The plaintext as UTF-8 text; null when it is not UTF-8 (see plaintextBase64url). */
  plaintext: string | null;
  plaintextBase64url: string;
  nested: NestedDecode | null;
  /** E.g. RSA1_5 is deprecated. */
  warnings: string[];
}

export interface EncryptResponse {
  token: string;
  alg: KeyManagementAlgorithm;
  enc: ContentEncryptionAlgorithm;
}
