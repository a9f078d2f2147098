/**
 * The decoder's lean mode, for verification: what a signature check needs of a token — each signature's
 * JOSE header, signing input and signature bytes, and the payload as text — read by decodeToken's own rules,
 * without locating anything for an editor.
 *
 * Why a lean mode rather than decodeToken itself: a verifier in a batch or behind an API decodes the same few
 * headers over and over, and the full decode's position tracking and duplicate scan of every payload cost more
 * than the HMAC they guard. The shortcut is narrow so that the two cannot disagree:
 * - a compact JWS's header goes through the decoder's own decodeHeader/requireAlg (duplicate members, UTF-8,
 *   JSON object, alg) once per distinct header text, remembered (a pure function of the text, never a
 *   verification result);
 * - its payload and signature only need to be strict base64url (and the payload UTF-8 text), which the
 *   platform's native decoders check as strictly as base64url.ts, and the payload must not be able to nest
 *   deeper than the decoder allows (counted cheaply; a payload that might is left to the decoder);
 * - anything else — a JSON serialization, a JWE, a wrapped or odd paste that the fast path does not take, and
 *   every failure — is handed to decodeToken, so a refused token is refused with decodeToken's error.
 */
import { decodeBase64url, isNonCanonicalBase64url, utf8OrNull } from './base64url';
import { TokenError, type TokenErrorInfo } from './errors';
import { decodeToken } from './decode';
import { MAX_JSON_DEPTH } from './json';
import { decodeHeader, requireAlg, wholePiece, type Piece } from './parts';
import { unwrapToken } from './paste';
import type { SdJwtInfo } from './sd-jwt';
import type { DecodedToken, TokenKind } from './token';

/** One signature of a JWS, as verification reads it. */
export interface SignedEntry {
  /** Protected and unprotected members together (disjoint, checked by the decoder): alg, kid, crit… */
  readonly header: Readonly<Record<string, unknown>>;
  /** The protected header alone (crit and b64 must be protected); empty when there is none. */
  readonly protectedHeader: Readonly<Record<string, unknown>>;
  /** ASCII(BASE64URL(protected) || '.' || payload segment), RFC 7515 §5.2. */
  readonly signingInput: string;
  readonly signature: Uint8Array;
  /** Position in a general JSON serialization's `signatures`; null otherwise. */
  readonly index: number | null;
}

export interface SignedToken {
  readonly kind: TokenKind;
  /** Empty for a JWE. */
  readonly entries: readonly SignedEntry[];
  /** The payload as text; null when its bytes are not UTF-8 (a JWS payload may be any bytes) and for JWE. */
  readonly payloadText: string | null;
  /** Detached content (RFC 7515 Appendix F): the payload is not in the token. */
  readonly detached: boolean;
  /** Some part's last character has non-zero unused bits (the decoder's `base64url-noncanonical` note). */
  readonly nonCanonical: boolean;
  /** An SD-JWT's Disclosures and KB-JWT: the signature above is the issuer-signed JWT's. */
  readonly sdJwt?: SdJwtInfo;
}

export type SignedResult = { ok: true; token: SignedToken } | { ok: false; error: TokenErrorInfo };

/**
 * Native segment decoders (Node's Buffer), each exactly as strict as base64url.ts: null for anything but
 * unpadded base64url, and `text` also null when the bytes are not UTF-8.
 */
export interface SegmentDecoders {
  decodeBase64url?(text: string): Uint8Array | null;
  decodeBase64urlText?(text: string): string | null;
}

/** Reads `text` for verification. Never throws. */
export function decodeSigned(text: string, decoders: SegmentDecoders = {}): SignedResult {
  try {
    return compact(text, decoders) ?? full(text, decoders);
  } catch (e) {
    if (e instanceof TokenError) return { ok: false, error: e.info };
    throw e;
  }
}

/** The lean view of a full decode: the same token, for the same verification. */
export function signedFromDecoded(token: DecodedToken, decoders: SegmentDecoders = {}): SignedToken {
  const bytes = decoders.decodeBase64url ?? decodeBase64url;
  const entries: SignedEntry[] = [];
  if (token.kind !== 'jwe') {
    const general = token.serialization === 'json-general';
    token.signatures.forEach((s, i) => {
      const protectedHeader = s.header ?? EMPTY_HEADER;
      entries.push({
        header: s.unprotected ? { ...protectedHeader, ...s.unprotected } : protectedHeader,
        protectedHeader,
        signingInput: `${s.protectedB64}.${token.payloadSegment}`,
        // The decoder has checked every signature segment: decoding cannot fail here.
        signature: bytes(s.signatureB64) ?? new Uint8Array(0),
        index: general ? i : null,
      });
    });
  }
  return {
    kind: token.kind,
    entries,
    payloadText: token.kind === 'jwe' ? null : token.payloadText,
    detached: token.notes.some((n) => n.code === 'payload-detached'),
    nonCanonical: token.notes.some((n) => n.code === 'base64url-noncanonical'),
    ...(token.sdJwt && { sdJwt: token.sdJwt }),
  };
}

const EMPTY_HEADER: Readonly<Record<string, unknown>> = Object.freeze({});

function full(text: string, decoders: SegmentDecoders): SignedResult {
  const decoded = decodeToken(text);
  return decoded.ok ? { ok: true, token: signedFromDecoded(decoded.token, decoders) } : { ok: false, error: decoded.error };
}

// ---------------------------------------------------------------------------------------------------------
// The compact fast path. Returns null whenever it is not sure, and decodeToken decides.

interface HeaderReading {
  header: Readonly<Record<string, unknown>>;
  unencoded: boolean;
  nonCanonical: boolean;
}

/**
 * Header readings by header text. Tokens from one issuer share their header byte for byte, so a batch
 * decodes it once. Bounded: long headers are not remembered, and the oldest entry goes first. A header the
 * decoder refuses is not remembered (the full decode reports it, located).
 */
const headerMemo = new Map<string, HeaderReading>();
const HEADER_MEMO_ENTRIES = 64;
const HEADER_MEMO_MAX_LENGTH = 512;
// The last header seen is checked first: one string comparison instead of hashing it for the map.
let lastHeaderText = '';
let lastReading: HeaderReading | null = null;

function compact(raw: string, decoders: SegmentDecoders): SignedResult | null {
  const { start, end } = unwrapToken(raw);
  const text = start === 0 && end === raw.length ? raw : raw.slice(start, end);
  const d1 = text.indexOf('.');
  if (d1 <= 0) return null;
  const d2 = text.indexOf('.', d1 + 1);
  if (d2 < 0 || text.indexOf('.', d2 + 1) >= 0) return null;

  const headerText = text.slice(0, d1);
  const reading = headerText === lastHeaderText && lastReading !== null ? lastReading : readHeader(headerText);
  if (reading === null) return null;

  const signatureText = text.slice(d2 + 1);
  const signature = (decoders.decodeBase64url ?? decodeBase64url)(signatureText);
  if (signature === null) return null;

  const payloadSegment = text.slice(d1 + 1, d2);
  if (payloadSegment === '') return null; // detached content: the decoder notes it
  let payloadText: string | null;
  if (reading.unencoded) {
    payloadText = payloadSegment;
  } else {
    payloadText = decoders.decodeBase64urlText ? decoders.decodeBase64urlText(payloadSegment) : textOf(payloadSegment);
    // Not base64url (an error to locate) or not UTF-8 (a payload of bytes): both are the decoder's to say.
    if (payloadText === null) return null;
  }
  // The decoder refuses JSON nested deeper than MAX_JSON_DEPTH; that takes more openers than the limit.
  if (payloadText.length > MAX_JSON_DEPTH && openers(payloadText) > MAX_JSON_DEPTH) return null;
  const header = reading.header;
  return {
    ok: true,
    token: {
      kind: header.alg === 'none' && signatureText === '' ? 'unsecured' : 'jws',
      entries: [{ header, protectedHeader: header, signingInput: text.slice(0, d2), signature, index: null }],
      payloadText,
      detached: false,
      nonCanonical:
        reading.nonCanonical || (!reading.unencoded && isNonCanonicalBase64url(payloadSegment)) || isNonCanonicalBase64url(signatureText),
    },
  };
}

/** Upper bound of the JSON nesting depth of `text`: its '{' and '[' characters, strings included. */
function openers(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) n++;
  }
  return n;
}

function textOf(segment: string): string | null {
  const bytes = decodeBase64url(segment);
  return bytes && utf8OrNull(bytes);
}

function readHeader(text: string): HeaderReading | null {
  let reading = headerMemo.get(text);
  if (!reading) {
    const piece: Piece = { segment: 'header', text, start: 0, exact: true, span: text.length, label: 'header' };
    try {
      const { header } = decodeHeader(piece, { spans: [] }, true);
      requireAlg(header, () => wholePiece(piece));
      reading = { header: Object.freeze(header), unencoded: header.b64 === false, nonCanonical: isNonCanonicalBase64url(text) };
    } catch (e) {
      if (e instanceof TokenError) return null;
      throw e;
    }
    if (text.length <= HEADER_MEMO_MAX_LENGTH) {
      if (headerMemo.size >= HEADER_MEMO_ENTRIES) headerMemo.delete(headerMemo.keys().next().value as string);
      headerMemo.set(text, reading);
    }
  }
  lastHeaderText = text;
  lastReading = reading;
  return reading;
}
