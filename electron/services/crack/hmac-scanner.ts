/**
 * HMAC (RFC 2104) of one candidate key after another over a fixed message, as fast as node:crypto allows:
 * per candidate, K⊕ipad and K⊕opad are written into two preallocated blocks — the inner one already
 * followed by the message, the outer one with room for the inner digest — and each is hashed by one
 * one-shot `crypto.hash` call: inner = H((K⊕ipad) ‖ m), tag = H((K⊕opad) ‖ inner). A key longer than the
 * hash's block is hashed first (RFC 2104 §2); SHA-384/512 have a 128-byte block, SHA-256 a 64-byte one.
 *
 * Why not createHmac: it builds a key object and an Hmac per call, ~4 µs; the two one-shot hashes are ~1 µs.
 * Why 'binary' (latin1: one character per byte, exact) output and not 'buffer': a Buffer result is allocated
 * per call, which made each call about three times slower (~1.5 µs against ~0.5 µs on the development
 * machine); the inner digest is written back into the outer block from the string, and the tag is compared
 * as a string with the signature.
 *
 * Self-contained on purpose: worker.ts serializes createHmacScanner into the workers' source, so nothing in
 * its body may refer to anything outside it (`hash` comes in as a parameter; Buffer and Atomics are globals).
 */

/** node:crypto's names of the SHA-2 hashes HS256/384/512 use. */
export type HashName = 'sha256' | 'sha384' | 'sha512';

/** `crypto.hash`, as the scanner calls it. */
export type OneShotHash = (algorithm: string, data: Uint8Array, outputEncoding: 'binary') => string;

/** The outcome of scanning lines: how many were tried, and the matching line's bytes [start, end) or -1. */
export interface LineScan {
  tried: number;
  matchStart: number;
  matchEnd: number;
}

export interface HmacScanner {
  /** The HMAC of the message under the key bytes [start, end) of `bytes`, by the scan's own construction. */
  mac(bytes: Uint8Array, start: number, end: number): Uint8Array;
  /** Whether the key bytes [start, end) of `bytes` give the signature. */
  matches(bytes: Uint8Array, start: number, end: number): boolean;
  /**
   * Tries every line of bytes [start, end) as a key: lines end with LF, a CR before it is dropped, the
   * empty line is a candidate (the empty secret), and text after the last LF is a line too. Stops at the
   * first match, or soon after `stop[0]` becomes non-zero (checked every few hundred lines).
   */
  scanLines(bytes: Uint8Array, start: number, end: number, stop: Int32Array | null): LineScan;
}

export function createHmacScanner(hash: OneShotHash, hashName: HashName, message: Uint8Array, signature: Uint8Array): HmacScanner {
  const block = hashName === 'sha256' ? 64 : 128;
  const digestLength = hashName === 'sha256' ? 32 : hashName === 'sha384' ? 48 : 64;
  const IPAD = 0x36;
  const OPAD = 0x5c;
  const LF = 10;
  const CR = 13;
  // How often (in lines) a scan looks at the stop flag: rare enough to cost nothing, often enough to stop in well under a millisecond.
  const STOP_CHECK_MASK = 255;

  const inner = Buffer.alloc(block + message.length, IPAD);
  inner.set(message, block);
  const outer = Buffer.alloc(block + digestLength, OPAD);
  // A key longer than the block, once hashed.
  const hashedKey = Buffer.alloc(digestLength);
  const expected = Buffer.from(signature.buffer, signature.byteOffset, signature.byteLength).toString('binary');
  // Bytes of the pads the previous key overwrote: only those need restoring for the next key.
  let dirty = 0;

  function tag(bytes: Uint8Array, start: number, end: number): string {
    let key = bytes;
    let from = start;
    let length = end - start;
    if (length > block) {
      hashedKey.write(hash(hashName, bytes.subarray(start, end), 'binary'), 0, 'latin1');
      key = hashedKey;
      from = 0;
      length = digestLength;
    }
    for (let i = 0; i < length; i++) {
      const b = key[from + i]!;
      inner[i] = b ^ IPAD;
      outer[i] = b ^ OPAD;
    }
    for (let i = length; i < dirty; i++) {
      inner[i] = IPAD;
      outer[i] = OPAD;
    }
    dirty = length;
    outer.write(hash(hashName, inner, 'binary'), block, 'latin1');
    return hash(hashName, outer, 'binary');
  }

  return {
    mac(bytes, start, end) {
      return new Uint8Array(Buffer.from(tag(bytes, start, end), 'latin1'));
    },
    matches(bytes, start, end) {
      return tag(bytes, start, end) === expected;
    },
    scanLines(bytes, start, end, stop) {
      let tried = 0;
      let from = start;
      while (from < end) {
        let lf = bytes.indexOf(LF, from);
        if (lf === -1 || lf >= end) lf = end;
        const lineEnd = lf > from && bytes[lf - 1] === CR ? lf - 1 : lf;
        tried++;
        if (tag(bytes, from, lineEnd) === expected) return { tried, matchStart: from, matchEnd: lineEnd };
        from = lf + 1;
        if ((tried & STOP_CHECK_MASK) === 0 && stop !== null && Atomics.load(stop, 0) !== 0) break;
      }
      return { tried, matchStart: -1, matchEnd: -1 };
    },
  };
}
