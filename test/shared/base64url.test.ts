import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  decodeBase64url,
  encodeBase64url,
  encodeBase64urlText,
  findBase64urlProblem,
  utf8Bytes,
  utf8OrNull,
} from '../../shared/core/base64url';

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('latin1'));

describe('base64url (RFC 4648 §5, unpadded)', () => {
  // RFC 4648 §10 test vectors, without padding.
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('%j <-> %j', (plain, encoded) => {
    expect(encodeBase64urlText(plain)).toBe(encoded);
    expect(text(decodeBase64url(encoded))).toBe(plain);
  });

  it('uses - and _ where base64 has + and /', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(encodeBase64url(bytes)).toBe('-_-_');
    expect([...decodeBase64url('-_-_')!]).toEqual([0xfb, 0xff, 0xbf]);
    expect(decodeBase64url('+/+/')).toBeNull();
  });

  it('round trips any bytes, and agrees with Node', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = encodeBase64url(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64url'));
        expect([...decodeBase64url(encoded)!]).toEqual([...bytes]);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a length of 4n+1', () => {
    expect(decodeBase64url('Zm9vY')).toBeNull();
    expect(findBase64urlProblem('Zm9vY')).toEqual({ kind: 'length', index: 4 });
  });
});

describe('findBase64urlProblem', () => {
  it.each([
    ['Zm9v', null],
    ['', null],
    ['Zm9=', { kind: 'padding', index: 3 }],
    ['Zm=9v', { kind: 'padding', index: 2 }],
    ['Zm9v+A', { kind: 'invalid-char', index: 4, char: '+' }],
    ['Zm 9v', { kind: 'invalid-char', index: 2, char: ' ' }],
    ['Zm\u00e99v', { kind: 'invalid-char', index: 2, char: '\u00e9' }],
    ['Zm😀', { kind: 'invalid-char', index: 2, char: '😀' }],
  ])('%j', (input, problem) => {
    expect(findBase64urlProblem(input)).toEqual(problem);
  });

  it('reports a problem exactly when decoding fails', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        expect(findBase64urlProblem(s) === null).toBe(decodeBase64url(s) !== null);
      }),
      { numRuns: 500 },
    );
  });
});

describe('decodeBase64 (secrets as users paste them)', () => {
  it('accepts standard and url-safe alphabets, padded or not', () => {
    expect(text(decodeBase64('+/+/'))).toBe(text(new Uint8Array([0xfb, 0xff, 0xbf])));
    expect(text(decodeBase64('Zm9vYg=='))).toBe('foob');
    expect(text(decodeBase64('Zm9vYg'))).toBe('foob');
    expect(text(decodeBase64('Zm9vYmE='))).toBe('fooba');
  });

  it('rejects what is not base64', () => {
    expect(decodeBase64('Zm9v!')).toBeNull();
    expect(decodeBase64('Zm9vY')).toBeNull();
  });
});

describe('UTF-8', () => {
  it('decodes strictly: invalid sequences give null', () => {
    expect(utf8OrNull(new Uint8Array([0x68, 0x69]))).toBe('hi');
    expect(utf8OrNull(new Uint8Array([0xc3, 0x28]))).toBeNull();
    expect(utf8OrNull(new Uint8Array([0xed, 0xa0, 0x80]))).toBeNull(); // an encoded surrogate
  });

  it('keeps a leading byte order mark, so text offsets map onto the bytes', () => {
    expect(utf8OrNull(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('\uFEFF{}');
  });

  it('round trips text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(utf8OrNull(utf8Bytes(s))).toBe(s);
      }),
    );
  });
});
