import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64url, encodeBase64urlText } from '../../shared/core/base64url';
import { decodeToken } from '../../shared/core/decode';
import type { TokenErrorCode, TokenErrorInfo } from '../../shared/core/errors';
import { parseJsonPath, readJson, scanJson } from '../../shared/core/json';
import type { DecodeResult, DecodedToken } from '../../shared/core/token';
import { lintToken } from '../../shared/lint/index';
import { applyEdits, type Edit } from './edits';

const CODES: ReadonlySet<TokenErrorCode> = new Set<TokenErrorCode>([
  'empty-input',
  'segment-count',
  'segment-empty',
  'base64url-invalid-char',
  'base64url-padding',
  'base64url-length',
  'utf8-invalid',
  'json-syntax',
  'header-not-object',
  'header-alg-missing',
  'duplicate-member',
  'jws-json-invalid',
  'jwe-json-invalid',
  'unsupported-format',
  'payload-not-json',
  'payload-not-utf8',
  'payload-detached',
  'base64url-noncanonical',
  'numeric-date-invalid',
  'sd-jwt-invalid',
]);

/** Every location lies inside the pasted text; every failure is one of the documented codes. */
function checkLocation(text: string, info: TokenErrorInfo): void {
  expect(CODES.has(info.code)).toBe(true);
  expect(info.message).not.toMatch(/internal error/);
  if (info.offset === null) return;
  expect(info.offset).toBeGreaterThanOrEqual(0);
  expect(info.offset + (info.length ?? 1)).toBeLessThanOrEqual(text.length);
  if (info.length !== undefined) expect(info.length).toBeGreaterThanOrEqual(1);
  if (info.line !== undefined) {
    expect(info.line).toBeGreaterThanOrEqual(1);
    expect(info.column).toBeGreaterThanOrEqual(1);
  }
}

function checkResult(text: string, r: DecodeResult): void {
  for (const span of r.ok ? r.token.spans : r.spans) {
    expect(0 <= span.start && span.start <= span.end && span.end <= text.length).toBe(true);
  }
  if (!r.ok) {
    checkLocation(text, r.error);
    return;
  }
  const t = r.token;
  expect(text.slice(t.tokenOffset, t.tokenOffset + t.token.length)).toBe(t.token);
  for (const note of t.notes) checkLocation(text, note);
  const findings = lintToken(t, { now: 1_700_000_000 });
  for (const f of findings) {
    expect(f.message).not.toMatch(/could not run/);
    expect(parseJsonPath(f.path)).not.toBeNull();
  }
}

/** Any UTF-16 code unit, lone surrogates included: what a clipboard can hand over. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Characters that matter to the parser, weighted towards the token alphabet. */
const tokenChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') },
  {
    weight: 3,
    arbitrary: fc.constantFrom('.', '=', '+', '/', ' ', '\n', '"', "'", '`', '{', '}', '[', ']', ':', ',', '\\'),
  },
  { weight: 1, arbitrary: codeUnit },
);

const header = fc.record(
  {
    alg: fc.constantFrom('HS256', 'RS256', 'ES256', 'none', 'EdDSA', 'dir'),
    typ: fc.constantFrom('JWT', 'at+jwt', 'weird'),
    kid: fc.string(),
    crit: fc.array(fc.string(), { maxLength: 2 }),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['alg'] },
);
const claims = fc.oneof(
  fc.record(
    {
      iss: fc.string(),
      aud: fc.oneof(fc.string(), fc.array(fc.string())),
      exp: fc.oneof(fc.integer(), fc.double(), fc.string()),
      iat: fc.oneof(fc.integer({ min: 0, max: 2e12 }), fc.constant(null)),
      nbf: fc.integer(),
      scope: fc.string(),
      password: fc.string(),
      nested: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);

const compact = fc
  .tuple(header, claims, fc.uint8Array({ maxLength: 64 }))
  .map(
    ([h, p, sig]) =>
      `${encodeBase64urlText(JSON.stringify(h))}.${encodeBase64urlText(JSON.stringify(p))}.${encodeBase64url(sig)}`,
  );

const jsonSerialization = fc.tuple(header, claims, fc.boolean()).map(([h, p, general]) => {
  const sig = { protected: encodeBase64urlText(JSON.stringify(h)), header: { kid2: 'x' }, signature: 'c2ln' };
  const payload = encodeBase64urlText(JSON.stringify(p));
  return JSON.stringify(general ? { payload, signatures: [sig, sig] } : { payload, ...sig });
});

const edits = fc.array(
  fc.record({ kind: fc.constantFrom<Edit['kind']>('insert', 'delete', 'replace'), at: fc.nat(), char: tokenChar }),
  { minLength: 1, maxLength: 4 },
);

const wrap = fc.constantFrom(
  (t: string) => t,
  (t: string) => `Bearer ${t}`,
  (t: string) => `  "${t}"\n`,
  (t: string) => `Authorization: Bearer ${t}`,
);

describe('decodeToken and lintToken never throw', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string(), (text) => checkResult(text, decodeToken(text))),
      { numRuns: 500 },
    );
  });

  it('on arbitrary unicode, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => checkResult(text, decodeToken(text))),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: codeUnit }), (text) => checkResult(text, decodeToken(text))),
      { numRuns: 300 },
    );
  });

  it('on strings built from the token alphabet and its separators', () => {
    fc.assert(
      fc.property(fc.string({ unit: tokenChar, maxLength: 80 }), (text) => checkResult(text, decodeToken(text))),
      {
        numRuns: 500,
      },
    );
  });

  it('on mutated valid compact tokens (insert / delete / replace characters)', () => {
    fc.assert(
      fc.property(compact, edits, wrap, (token, list, w) => {
        const text = w(applyEdits(token, list));
        checkResult(text, decodeToken(text));
      }),
      { numRuns: 500 },
    );
  });

  it('on mutated JWS JSON serializations', () => {
    fc.assert(
      fc.property(jsonSerialization, edits, (json, list) => {
        const text = applyEdits(json, list);
        checkResult(text, decodeToken(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on non-strings passed by mistake', () => {
    for (const v of [undefined, null, 42, {}, []]) {
      expect(() => decodeToken(v as unknown as string)).not.toThrow();
    }
  });
});

describe('decode(encode(x)) round trips', () => {
  it('compact JWS: header and payload come back equal, offsets are exact', () => {
    fc.assert(
      fc.property(header, claims, fc.uint8Array({ maxLength: 64 }), (h, p, sig) => {
        const hb = encodeBase64urlText(JSON.stringify(h));
        const pb = encodeBase64urlText(JSON.stringify(p));
        const sb = encodeBase64url(sig);
        const r = decodeToken(`Bearer ${hb}.${pb}.${sb}`);
        if (!r.ok) throw new Error(r.error.message);
        expect(r.token.header).toEqual(JSON.parse(JSON.stringify(h)));
        expect(r.token.payload).toEqual(JSON.parse(JSON.stringify(p)));
        expect(r.token.payloadText).toBe(JSON.stringify(p));
        expect(r.token.signature).toBe(sb);
        expect(r.token.signingInput).toBe(`${hb}.${pb}`);
        expect(r.token.spans.map((s) => [s.start, s.end])).toEqual([
          [7, 7 + hb.length],
          [8 + hb.length, 8 + hb.length + pb.length],
          [9 + hb.length + pb.length, 9 + hb.length + pb.length + sb.length],
        ]);
        expect(r.token.kind).toBe(h.alg === 'none' && sb === '' ? 'unsecured' : 'jws');
      }),
      { numRuns: 300 },
    );
  });

  it('any payload bytes come back byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const r = decodeToken(`${encodeBase64urlText('{"alg":"HS256"}')}.${encodeBase64url(bytes)}.c2ln`);
        if (!r.ok) throw new Error(r.error.message);
        expect([...r.token.payloadBytes]).toEqual([...bytes]);
        const text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
        const isUtf8 = Buffer.from(text, 'utf8').equals(Buffer.from(bytes));
        expect(r.token.payloadText).toBe(isUtf8 ? text : null);
      }),
      { numRuns: 300 },
    );
  });

  it('flattened and general JWS JSON', () => {
    fc.assert(
      fc.property(header, claims, fc.boolean(), (h, p, general) => {
        const sig = { protected: encodeBase64urlText(JSON.stringify(h)), signature: 'c2ln' };
        const payload = encodeBase64urlText(JSON.stringify(p));
        const r = decodeToken(JSON.stringify(general ? { payload, signatures: [sig] } : { payload, ...sig }, null, 2));
        if (!r.ok) throw new Error(r.error.message);
        expect(r.token.serialization).toBe(general ? 'json-general' : 'json-flattened');
        expect(r.token.header).toEqual(JSON.parse(JSON.stringify(h)));
        expect(r.token.payload).toEqual(JSON.parse(JSON.stringify(p)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('the JSON scanner agrees with JSON.parse', () => {
  function parses(text: string): boolean {
    try {
      JSON.parse(text);
      return true;
    } catch {
      return false;
    }
  }

  it('on valid JSON, mutated JSON and arbitrary text', () => {
    const texts = fc.oneof(
      fc.json(),
      fc.tuple(fc.json(), edits).map(([j, list]) => applyEdits(j, list)),
      fc.string({ unit: tokenChar, maxLength: 40 }),
    );
    fc.assert(
      fc.property(texts, (text) => {
        const scan = scanJson(text);
        expect(scan.error === null).toBe(parses(text));
        if (scan.error) {
          expect(scan.error.offset).toBeGreaterThanOrEqual(0);
          expect(scan.error.offset + scan.error.length).toBeLessThanOrEqual(text.length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('finds exactly the repeated names of an object written with repeats', () => {
    const entries = fc.array(
      fc.tuple(fc.constantFrom('a', 'b', 'c', '__proto__', 'd\u00e9', 'e"f'), fc.jsonValue({ maxDepth: 1 })),
      {
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(entries, (list) => {
        const text = `{${list.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
        const r = readJson(text);
        if (!r.ok) throw new Error(r.error.message);
        const repeats = list.length - new Set(list.map(([k]) => k)).size;
        expect(r.duplicates).toHaveLength(repeats);
      }),
      { numRuns: 300 },
    );
  });
});

describe('decoding with the previous decode (the editor decodes at every keystroke)', () => {
  const enc = (value: unknown) => encodeBase64urlText(JSON.stringify(value));
  /** Payload segments with notes of their own (duplicates, bad dates, not JSON, not UTF-8), whose offsets must follow the segment. */
  const payloadSegment = fc.oneof(
    claims.map(enc),
    fc
      .constantFrom('{"a":1,"a":{"b":2,"b":3}}', '{"exp":"tomorrow","nbf":true,"iat":1}', 'plain text', '{"x":', '[1,2', '')
      .map(encodeBase64urlText),
    fc.uint8Array({ maxLength: 40 }).map(encodeBase64url),
  );

  it('gives what a fresh decode gives, and shares the payload when its segment is unchanged', () => {
    fc.assert(
      fc.property(header, header, payloadSegment, fc.uint8Array({ maxLength: 64 }), wrap, wrap, edits, fc.boolean(), (h1, h2, pb, sig, w1, w2, list, mutate) => {
        const previous = decodeToken(w1(`${enc(h1)}.${pb}.${encodeBase64url(sig)}`), { recent: [] });
        const unmutated = w2(`${enc(h2)}.${pb}.${encodeBase64url(sig.slice(1))}`);
        const text = mutate ? applyEdits(unmutated, list) : unmutated;
        const reused = decodeToken(text, { recent: previous.ok ? [previous.token] : [] });
        expect(reused).toEqual(decodeToken(text));
        if (!mutate && previous.ok && reused.ok) expect(reused.token.payloadBytes).toBe(previous.token.payloadBytes);
      }),
      { numRuns: 400 },
    );
  });

  it('along a run of keystrokes, each decode made with the last two good ones (compact and JSON serializations)', () => {
    fc.assert(
      fc.property(fc.oneof(compact, jsonSerialization), fc.array(edits, { minLength: 1, maxLength: 8 }), (start, steps) => {
        let text = start;
        let recent: DecodedToken[] = [];
        for (const list of [[], ...steps]) {
          text = applyEdits(text, list);
          const result = decodeToken(text, { recent });
          expect(result).toEqual(decodeToken(text));
          if (result.ok) recent = [result.token, ...recent.slice(0, 1)];
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a payload two decodes back is reused (a typo that breaks the bytes, then its Backspace)', () => {
    // A payload segment of 4n+2 characters: with one more it still decodes, to other bytes.
    let sub = 'u';
    while (enc({ sub, exp: 'soon', list: ['a', 'b'] }).length % 4 !== 2) sub += 'u';
    const token = `${enc({ alg: 'HS256' })}.${enc({ sub, exp: 'soon', list: ['a', 'b'] })}.c2ln`;
    const dot = token.indexOf('.') + 2;
    const typo = `${token.slice(0, dot)}x${token.slice(dot)}`;
    const first = decodeToken(token, { recent: [] });
    if (!first.ok) throw new Error(first.error.message);
    const broken = decodeToken(typo, { recent: [first.token] });
    if (!broken.ok) throw new Error(broken.error.message);
    expect(broken.token.payloadIsJson).toBe(false);
    const mended = decodeToken(`  ${token}`, { recent: [broken.token, first.token] });
    expect(mended).toEqual(decodeToken(`  ${token}`));
    if (!mended.ok) throw new Error(mended.error.message);
    expect(mended.token.payload).toBe(first.token.payload);
    expect(mended.token.notes.find((n) => n.code === 'numeric-date-invalid')?.offset).toBe(first.token.notes.find((n) => n.code === 'numeric-date-invalid')!.offset! + 2);
  });

  it('does not reuse an encoded payload for an unencoded one with the same characters (RFC 7797 b64)', () => {
    const unencoded = enc({ alg: 'HS256', b64: false, crit: ['b64'] });
    const previous = decodeToken(`${enc({ alg: 'HS256' })}.e30.c2ln`, { recent: [] });
    if (!previous.ok) throw new Error(previous.error.message);
    expect(previous.token.payload).toEqual({}); // e30 is {} in base64url
    const result = decodeToken(`${unencoded}.e30.c2ln`, { recent: [previous.token] });
    expect(result).toEqual(decodeToken(`${unencoded}.e30.c2ln`));
    if (!result.ok) throw new Error(result.error.message);
    expect(result.token.payloadText).toBe('e30');
    expect(result.token.payloadIsJson).toBe(false);
  });
});
