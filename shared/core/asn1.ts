/**
 * The little DER (X.690) the key importer needs: walk SEQUENCEs, read OIDs and strings, and wrap PKCS#1 /
 * SEC1 keys into SPKI / PKCS#8, which is all WebCrypto (and so jose) accepts. Definite lengths only, as DER
 * requires.
 */
import { WorkbenchError } from './errors';

/** Broken or unexpected DER. The key importer turns it into a KeyError naming the block. */
export class DerError extends WorkbenchError<'der-invalid'> {
  override readonly name = 'DerError';

  constructor(message: string) {
    super('der-invalid', message);
  }
}

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  T61_STRING: 0x14,
  IA5_STRING: 0x16,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0, // [0] EXPLICIT, constructed
  CONTEXT_1: 0xa1,
} as const;

/** One TLV inside `bytes`: the tag, and where its content starts and ends. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new DerError(`DER ends early at byte ${offset}`);
  const tag = bytes[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`multi-byte DER tag at byte ${offset} is not supported`);
  let length = bytes[offset + 1] as number;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError(`indefinite length at byte ${offset} is not DER`);
    if (count > 4) throw new DerError(`DER length at byte ${offset} is too large`);
    if (contentStart + count > limit) throw new DerError(`DER ends early at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] as number);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`DER element at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** The children of a constructed element (SEQUENCE, [0], …). */
export function readChildren(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const children: Tlv[] = [];
  let at = parent.contentStart;
  while (at < parent.end) {
    const child = readTlv(bytes, at, parent.end);
    children.push(child);
    at = child.end;
  }
  return children;
}

/** Reads the single top-level element and checks nothing trails it. */
export function readRoot(bytes: Uint8Array, expectedTag: number): Tlv {
  const root = readTlv(bytes, 0);
  if (root.tag !== expectedTag) {
    throw new DerError(`expected DER tag 0x${expectedTag.toString(16)}, found 0x${root.tag.toString(16)}`);
  }
  if (root.end !== bytes.length) throw new DerError(`${bytes.length - root.end} stray bytes after the DER structure`);
  return root;
}

export function expectTag(tlv: Tlv | undefined, tag: number, what: string): Tlv {
  if (!tlv) throw new DerError(`${what} is missing`);
  if (tlv.tag !== tag) throw new DerError(`${what}: expected DER tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  return tlv;
}

export function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

export function whole(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/** Dotted form of an OBJECT IDENTIFIER's content bytes. */
export function decodeOid(body: Uint8Array): string {
  if (body.length === 0) throw new DerError('empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (let i = 0; i < body.length; i++) {
    const b = body[i] as number;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER arc too large');
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        arcs.push(first, value - first * 40);
      } else {
        arcs.push(value);
      }
      value = 0;
    } else if (i === body.length - 1) {
      throw new DerError('truncated OBJECT IDENTIFIER');
    }
  }
  return arcs.join('.');
}

/** Bytes per character of the single-width and fixed-width string types. */
const CHARACTER_WIDTH = new Map<number, number>([
  [TAG.PRINTABLE_STRING, 1],
  [TAG.IA5_STRING, 1],
  [TAG.T61_STRING, 1],
  [TAG.BMP_STRING, 2],
  [TAG.UNIVERSAL_STRING, 4],
]);

/**
 * The text of a DirectoryString (RFC 5280 §4.1.2.4): UTF8String, PrintableString, IA5String, T61String
 * (read as Latin-1, as most software does), BMPString (UTF-16BE) or UniversalString (UTF-32BE).
 */
export function decodeDirectoryString(bytes: Uint8Array, tlv: Tlv): string {
  const body = content(bytes, tlv);
  if (tlv.tag === TAG.UTF8_STRING) return new TextDecoder('utf-8', { fatal: true }).decode(body);
  const width = CHARACTER_WIDTH.get(tlv.tag);
  if (width === undefined) throw new DerError(`expected a string, found DER tag 0x${tlv.tag.toString(16)}`);
  if (body.length % width !== 0) throw new DerError('string length does not fit its character width');
  let text = '';
  for (let i = 0; i < body.length; i += width) {
    let point = 0;
    for (let j = 0; j < width; j++) point = point * 256 + (body[i + j] as number);
    if (point > 0x10ffff) throw new DerError('string holds an invalid character');
    text += String.fromCodePoint(point);
  }
  return text;
}

export function encodeOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (n: number) => {
    const groups = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) groups.unshift((n & 0x7f) | 0x80);
    out.push(...groups);
  };
  push((arcs[0] as number) * 40 + (arcs[1] as number));
  for (const arc of arcs.slice(2)) push(arc);
  return encodeTlv(TAG.OID, Uint8Array.from(out));
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

export function encodeTlv(tag: number, body: Uint8Array): Uint8Array {
  const header = [tag, ...encodeLength(body.length)];
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sequence(...parts: Uint8Array[]): Uint8Array {
  return encodeTlv(TAG.SEQUENCE, concatBytes(...parts));
}

export const DER_NULL = Uint8Array.of(TAG.NULL, 0);
export const DER_INTEGER_ZERO = Uint8Array.of(TAG.INTEGER, 1, 0);
