/**
 * What a scan looks for, read from a token: the HMAC algorithm, the JWS Signing Input's bytes and the
 * signature's. Anything that cannot be an HMAC-signed JWS is refused with the reason.
 */
import { decodeBase64url } from '../../../shared/core/base64url';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import type { DecodedToken } from '../../../shared/core/token';
import { CrackError } from './errors';
import type { HashName } from './hmac-scanner';

export type HmacAlg = 'HS256' | 'HS384' | 'HS512';

const HMAC: Record<HmacAlg, { hash: HashName; bytes: number }> = {
  HS256: { hash: 'sha256', bytes: 32 },
  HS384: { hash: 'sha384', bytes: 48 },
  HS512: { hash: 'sha512', bytes: 64 },
};

export interface HmacTarget {
  alg: HmacAlg;
  hash: HashName;
  /** The JWS Signing Input as signed: the UTF-8 bytes of `header.payload` (RFC 7515 §5.1). */
  message: Uint8Array;
  signature: Uint8Array;
}

export function isHmacAlg(alg: unknown): alg is HmacAlg {
  return typeof alg === 'string' && Object.hasOwn(HMAC, alg);
}

/**
 * The scan target of a decoded token (its first signature, for the JWS JSON serialization). Throws
 * CrackError `not-jws`, `not-hmac` or `signature-length`.
 */
export function hmacTargetOf(token: DecodedToken): HmacTarget {
  if (token.kind !== 'jws') {
    const what = token.kind === 'jwe' ? 'an encrypted token (JWE)' : 'an unsecured token (alg "none")';
    throw new CrackError('not-jws', `This is ${what}: it has no HMAC signature to test secrets against`);
  }
  const alg = token.header.alg;
  if (!isHmacAlg(alg)) {
    const shown = typeof alg === 'string' ? JSON.stringify(alg.length > 40 ? `${alg.slice(0, 39)}…` : alg) : 'not a string';
    throw new CrackError('not-hmac', `The token's alg is ${shown}, not HS256, HS384 or HS512: only an HMAC secret can be guessed`);
  }
  const { hash, bytes } = HMAC[alg];
  const signature = decodeBase64url(token.signature);
  if (signature === null || signature.length !== bytes) {
    const length = signature === null ? 'not base64url' : `${signature.length} byte${signature.length === 1 ? '' : 's'}`;
    throw new CrackError('signature-length', `The signature is ${length}; ${alg} signatures are ${bytes} bytes, so no secret can produce it`);
  }
  return { alg, hash, message: Buffer.from(token.signingInput, 'utf8'), signature };
}

/** The scan target of pasted text, read with the project's decoder. Throws CrackError (`token-invalid`: the decoder's error in details). */
export function hmacTargetOfText(text: string): HmacTarget {
  const decoded = decodeToken(text);
  if (!decoded.ok) throw tokenInvalid(decoded.error);
  return hmacTargetOf(decoded.token);
}

function tokenInvalid(error: TokenErrorInfo): CrackError {
  return new CrackError('token-invalid', `The token does not decode: ${error.code}: ${error.message}`, {
    details: { tokenError: { ...error } },
  });
}
