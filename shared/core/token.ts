import type { TokenErrorInfo, TokenSegment } from './errors';
import type { JsonPathSegment } from './json';
import type { SdJwtInfo } from './sd-jwt';

/** Where a part of the token sits in the text as pasted: [start, end) character offsets. */
export interface SegmentSpan {
  segment: TokenSegment;
  start: number;
  end: number;
}

/** A JSON member name seen twice in one object (RFC 7515 §5.2); JSON.parse would keep the last. */
export interface DuplicateMember {
  segment: 'header' | 'payload';
  /** JSON path of the object holding the duplicate, e.g. `$` or `$.address`. */
  path: string;
  /** The same path as segments (`[]`, `['address']`), for other path notations. */
  pathSegments: JsonPathSegment[];
  name: string;
  /** Offset of the second occurrence inside the decoded JSON text. */
  textOffset: number;
  /** Offset of the first occurrence inside the decoded JSON text. */
  firstTextOffset: number;
}

/** A JWS signature as it appears in a JWS JSON serialization (or the single one of a compact JWS). */
export interface JwsSignatureEntry {
  protectedB64: string;
  header: Record<string, unknown> | null; // protected header, decoded
  unprotected: Record<string, unknown> | null; // JSON serialization only
  signatureB64: string;
}

export type TokenKind = 'jws' | 'jwe' | 'unsecured';
export type Serialization = 'compact' | 'json-flattened' | 'json-general';

/** Everything a decode yields. Payload bytes may be any bytes: JSON is a reading, not a given. */
export interface DecodedToken {
  kind: TokenKind;
  serialization: Serialization;
  /** The token itself, after trimming, `Bearer ` and surrounding quotes were removed. */
  token: string;
  /** Offset of `token` inside the pasted text. */
  tokenOffset: number;
  spans: SegmentSpan[];
  /**
   * The JOSE header of the (first) signature, parsed. Compact: the protected header. JSON serialization:
   * the union of its protected and unprotected members (RFC 7515 §7.2.1, RFC 7516 §7.2.1; disjoint by
   * rule, checked), which is what `alg` and friends are read from.
   */
  header: Record<string, unknown>;
  /** The protected header's JSON text, exactly as encoded ('' when a JSON serialization has none). */
  headerText: string;
  /** Parsed JSON when the payload is JSON, else null (see payloadText). Always null for JWE. */
  payload: unknown;
  payloadIsJson: boolean;
  /** The payload as UTF-8 text, or null when it is not valid UTF-8 (then see payloadBytes). */
  payloadText: string | null;
  payloadBytes: Uint8Array;
  /** base64url signature of the first signature; '' for unsecured; '' for JWE. */
  signature: string;
  signatures: JwsSignatureEntry[];
  /** ASCII(BASE64URL(header) || '.' || BASE64URL(payload)) of the first signature, for verification. */
  signingInput: string;
  /**
   * The payload as it stands in every signing input: base64url, or the text itself when unencoded (RFC 7797);
   * '' for JWE and for detached content.
   */
  payloadSegment: string;
  duplicates: DuplicateMember[];
  /** Non-fatal problems (payload not JSON, numeric date not a number, …), each located. */
  notes: TokenErrorInfo[];
  /**
   * Set for an SD-JWT (RFC 9901): its Disclosures placed, its KB-JWT. The fields above are the issuer-signed
   * JWT's, except `token` (the whole presentation) and `spans` (which add the Disclosures and the KB-JWT).
   */
  sdJwt?: SdJwtInfo;
}

export type DecodeResult =
  | { ok: true; token: DecodedToken }
  | {
      ok: false;
      error: TokenErrorInfo;
      spans: SegmentSpan[];
      /**
       * Header / payload text decoded before the failure, when it got that far: the editor keeps showing
       * it, and for a header JSON error the error's line/column are inside `headerText`.
       */
      headerText?: string;
      payloadText?: string;
    };
