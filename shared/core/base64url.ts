/**
 * base64url (RFC 4648 §5) without padding, as JOSE uses it (RFC 7515 §2). Hand-written rather than
 * atob/Buffer because it must run in every layer, report the exact offending offset, and stay fast
 * on the verification hot path.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE_TABLE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
// Standard base64 characters, accepted only by decodeBase64 (for secrets pasted in base64).
const STANDARD_TABLE = DECODE_TABLE.slice();
STANDARD_TABLE['+'.charCodeAt(0)] = 62;
STANDARD_TABLE['/'.charCodeAt(0)] = 63;

export type Base64Problem =
  | { kind: 'invalid-char'; index: number; char: string }
  | { kind: 'padding'; index: number }
  | { kind: 'length'; index: number };

/** First reason `text` is not unpadded base64url, or null when it is. `index` is inside `text`. */
export function findBase64urlProblem(text: string): Base64Problem | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || DECODE_TABLE[c] === -1) {
      if (c === 61 /* = */) return { kind: 'padding', index: i };
      return { kind: 'invalid-char', index: i, char: String.fromCodePoint(text.codePointAt(i) ?? c) };
    }
  }
  if (text.length % 4 === 1) return { kind: 'length', index: text.length - 1 };
  return null;
}

/**
 * True when the last character of unpadded base64url `text` carries non-zero unused bits (RFC 4648 §3.5):
 * 2 leftover characters use 2 bits of the last one, 3 use 4. Decoders ignore those bits, so several texts
 * decode to the same bytes; a strict verifier refuses all but the canonical one (a signature that can be
 * rewritten without breaking is malleable). Only meaningful for text that is otherwise valid base64url.
 */
export function isNonCanonicalBase64url(text: string): boolean {
  const rest = text.length & 3;
  if (rest < 2) return false;
  const last = lookup(DECODE_TABLE, text, text.length - 1);
  return last > 0 && (last & (rest === 2 ? 0b1111 : 0b11)) !== 0;
}

function decodeWith(text: string, table: Int16Array): Uint8Array | null {
  const n = text.length;
  if (n % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((n * 3) / 4));
  let o = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = lookup(table, text, i);
    const b = lookup(table, text, i + 1);
    const c = lookup(table, text, i + 2);
    const d = lookup(table, text, i + 3);
    if ((a | b | c | d) < 0) return null;
    out[o++] = (a << 2) | (b >> 4);
    out[o++] = ((b & 15) << 4) | (c >> 2);
    out[o++] = ((c & 3) << 6) | d;
  }
  const rest = n - i;
  if (rest >= 2) {
    const a = lookup(table, text, i);
    const b = lookup(table, text, i + 1);
    if ((a | b) < 0) return null;
    out[o++] = (a << 2) | (b >> 4);
    if (rest === 3) {
      const c = lookup(table, text, i + 2);
      if (c < 0) return null;
      out[o] = ((b & 15) << 4) | (c >> 2);
    }
  }
  return out;
}

function lookup(table: Int16Array, text: string, i: number): number {
  const c = text.charCodeAt(i);
  return c < 128 ? (table[c] as number) : -1;
}

/**
 * Chromium (so the renderer and Electron) decodes base64 natively: `Uint8Array.fromBase64` (ES2026), several
 * times the speed of the loop above on the 100 KB payload the debugger decodes at each keystroke. Node 20 has
 * none and keeps the loop. fromBase64 also skips whitespace and takes padding, so the alphabet is checked
 * first; "loose" ignores the last character's unused bits, as the loop does (they are noted elsewhere).
 */
const fromBase64 = (Uint8Array as unknown as { fromBase64?: (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array }).fromBase64;
const NATIVE_MIN_LENGTH = 256;
const URL_ALPHABET_ONLY = /^[A-Za-z0-9_-]*$/;

/** Decodes unpadded base64url; null when the text is not base64url (see findBase64urlProblem). */
export function decodeBase64url(text: string): Uint8Array | null {
  if (fromBase64 !== undefined && text.length >= NATIVE_MIN_LENGTH) {
    if (text.length % 4 === 1 || !URL_ALPHABET_ONLY.test(text)) return null;
    return fromBase64.call(Uint8Array, text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
  }
  return decodeWith(text, DECODE_TABLE);
}

/** Decodes standard or url-safe base64, padded or not (user-supplied secrets). */
export function decodeBase64(text: string): Uint8Array | null {
  const unpadded = text.replace(/=+$/, '');
  return decodeWith(unpadded, STANDARD_TABLE);
}

export function encodeBase64url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
  }
  return out;
}

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF in the text: decoded text must map 1:1 onto the bytes (error
// offsets are computed from it), and a BOM is not JSON whitespace, so JSON readers should see it.
const utf8StrictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeBase64urlText(text: string): string {
  return encodeBase64url(utf8Encoder.encode(text));
}

/** UTF-8 text of the bytes, or null when they are not valid UTF-8. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return utf8StrictDecoder.decode(bytes);
  } catch {
    return null;
  }
}

export function utf8Bytes(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}
