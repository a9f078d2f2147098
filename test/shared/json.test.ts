import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatJsonPath,
  indexJsonLocations,
  lineColumnAt,
  locateJsonPath,
  parseJsonPath,
  readJson,
  scanJson,
} from '../../shared/core/json';

function syntaxError(text: string, maxDepth?: number) {
  const r = readJson(text, maxDepth);
  if (r.ok) throw new Error(`expected a syntax error for ${JSON.stringify(text)}`);
  return r.error;
}

describe('readJson', () => {
  it('returns the value JSON.parse gives, with no duplicates for ordinary JSON', () => {
    const text = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';
    const r = readJson(text);
    expect(r).toEqual({ ok: true, value: JSON.parse(text), duplicates: [] });
  });

  it('reads JSON that is not an object', () => {
    expect(readJson(' [1, "a", null] ')).toEqual({ ok: true, value: [1, 'a', null], duplicates: [] });
    expect(readJson('"x"')).toEqual({ ok: true, value: 'x', duplicates: [] });
    expect(readJson('-1.5e3')).toEqual({ ok: true, value: -1500, duplicates: [] });
  });

  it('finds a duplicate member name that JSON.parse silently collapses', () => {
    const text = '{"alg":"HS256","alg":"none"}';
    const r = readJson(text);
    expect(r.ok && r.value).toEqual({ alg: 'none' });
    expect(r.ok && r.duplicates).toEqual([{ path: [], name: 'alg', offset: 15, length: 5, firstOffset: 1 }]);
  });

  it('reports nested duplicates with the JSON path of the object that holds them', () => {
    const text = '{"a":{"b":[0,{"c":1,"c":2}]},"d":{"e":1,"e":2,"e":3}}';
    const r = readJson(text);
    if (!r.ok) throw new Error('expected ok');
    expect(
      r.duplicates.map((d) => [formatJsonPath(d.path), d.name, text.slice(d.offset, d.offset + d.length)]),
    ).toEqual([
      ['$.a.b[1]', 'c', '"c"'],
      ['$.d', 'e', '"e"'],
      ['$.d', 'e', '"e"'],
    ]);
    expect(r.duplicates[2]!.firstOffset).toBe(text.indexOf('"e"'));
  });

  it('compares names after unescaping, as JSON.parse does', () => {
    const text = '{"sub":"alice","s\\u0075b":"mallory"}';
    const r = readJson(text);
    if (!r.ok) throw new Error('expected ok');
    expect(r.value).toEqual({ sub: 'mallory' });
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]).toMatchObject({ name: 'sub', offset: 15, length: 10 });
  });

  it('treats __proto__ as an ordinary member name', () => {
    const r = readJson('{"__proto__":{"admin":true},"__proto__":1}');
    if (!r.ok) throw new Error('expected ok');
    expect(r.duplicates.map((d) => d.name)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });

  it('does not mistake colons and quotes inside strings for structure', () => {
    const r = readJson('{"url":"https://x:8080/\\"a\\":b","n":{"k":"\\\\"}}');
    expect(r.ok && r.duplicates).toEqual([]);
  });

  it('handles any nesting depth without overflowing the stack (without a depth limit)', () => {
    const depth = 50_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    expect(scanJson(deep).error).toBeNull();
    const err = syntaxError('['.repeat(depth), Infinity);
    expect(err.offset).toBe(depth);
    expect(err.reason).toBe("expected a value or ']'");
    // readJson's default limit refuses it at the bracket opening level 1001 (test/shared/deep-nesting.test.ts).
    expect(syntaxError('['.repeat(depth))).toMatchObject({ kind: 'too-deep', offset: 1000 });
  });
});

describe('syntax errors: exact offset, line, column and message', () => {
  it('points at a trailing comma in an object', () => {
    const text = '{\n  "a": 1,\n    }';
    expect(syntaxError(text)).toEqual({
      kind: 'syntax',
      message: "Unexpected token '}' at line 3, column 5: expected a string for a member name",
      reason: 'expected a string for a member name',
      offset: 16,
      length: 1,
      line: 3,
      column: 5,
    });
  });

  it.each([
    ['{"a" 1}', 5, 1, 6, "Unexpected token '1' at line 1, column 6: expected ':' after the member name"],
    ['{"a":1 "b":2}', 7, 1, 8, "Unexpected token '\"' at line 1, column 8: expected ',' or '}' after a member value"],
    ['[1 2]', 3, 1, 4, "Unexpected token '2' at line 1, column 4: expected ',' or ']' after an array element"],
    ['[1,]', 3, 1, 4, "Unexpected token ']' at line 1, column 4: expected a value"],
    ["{'a':1}", 1, 1, 2, "Unexpected token ''' at line 1, column 2: expected a string for a member name or '}'"],
    ['{"a":undefined}', 5, 1, 6, "Unexpected token 'undefined' at line 1, column 6: expected a value"],
    ['{"a":tru}', 5, 1, 6, "Unexpected token 'tru' at line 1, column 6: expected a value"],
    ['{"a":01}', 6, 1, 7, "Unexpected token '1' at line 1, column 7: a number cannot have leading zeros"],
    ['{"a":-x}', 6, 1, 7, "Unexpected token 'x' at line 1, column 7: expected a digit after '-'"],
    ['{"a":1.e5}', 7, 1, 8, "Unexpected token 'e5' at line 1, column 8: expected a digit after the decimal point"],
    ['{"a":1e+}', 8, 1, 9, "Unexpected token '}' at line 1, column 9: expected a digit in the exponent"],
    [
      '{"a":"x\ty"}',
      7,
      1,
      8,
      'Unexpected token U+0009 (tab) at line 1, column 8: control characters must be escaped in a string (write \\t)',
    ],
    [
      '{"a":"\\x"}',
      6,
      1,
      7,
      "Unexpected token '\\x' at line 1, column 7: not a JSON escape (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)",
    ],
    ['{"a":"\\u12G4"}', 6, 1, 7, "Unexpected token '\\u12G' at line 1, column 7: a \\u escape needs 4 hex digits"],
    [
      '{"a":1}}',
      7,
      1,
      8,
      "Unexpected token '}' at line 1, column 8: expected the end of the input after the JSON value",
    ],
    ['\uFEFF{}', 0, 1, 1, 'Unexpected token U+FEFF (byte order mark) at line 1, column 1: expected a value'],
    ['{"a":\u00a01}', 5, 1, 6, 'Unexpected token U+00A0 (no-break space) at line 1, column 6: expected a value'],
    [
      '{"a":1,\r\n"b":2,\r\n}',
      17,
      3,
      1,
      "Unexpected token '}' at line 3, column 1: expected a string for a member name",
    ],
    ['{"a":1,\r"b":}', 12, 2, 5, "Unexpected token '}' at line 2, column 5: expected a value"],
  ])('%j', (text, offset, line, column, message) => {
    const e = syntaxError(text);
    expect({ offset: e.offset, line: e.line, column: e.column, message: e.message }).toEqual({
      offset,
      line,
      column,
      message,
    });
  });

  it.each([
    ['', 0, 'Empty input at line 1, column 1: expected a value'],
    ['  \n ', 4, 'Unexpected end of input at line 2, column 2: expected a value'],
    ['{"a":1', 6, "Unexpected end of input at line 1, column 7: expected ',' or '}' after a member value"],
    ['{"a', 3, 'Unexpected end of input at line 1, column 4: the string opened at line 1, column 2 is not closed'],
    ['{"a":', 5, 'Unexpected end of input at line 1, column 6: expected a value'],
    ['[', 1, "Unexpected end of input at line 1, column 2: expected a value or ']'"],
  ])('end of input: %j', (text, offset, message) => {
    const e = syntaxError(text);
    expect(e.offset).toBe(offset);
    expect(e.length).toBe(0);
    expect(e.message).toBe(message);
  });

  it('counts columns in UTF-16 code units, as editors do', () => {
    // '😀' is two code units: the '}' after it is column 10 on its line.
    const e = syntaxError('{"a":"😀",}');
    expect(e).toMatchObject({ offset: 10, line: 1, column: 11 });
  });
});

describe('lineColumnAt', () => {
  it('treats \\n, \\r\\n and \\r as one line break each', () => {
    const text = 'ab\ncd\r\nef\rgh';
    expect(lineColumnAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumnAt(text, 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumnAt(text, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumnAt(text, 10)).toEqual({ line: 4, column: 1 });
    expect(lineColumnAt(text, 11)).toEqual({ line: 4, column: 2 });
  });

  it('keeps an offset between \\r and \\n on the line the pair ends', () => {
    expect(lineColumnAt('ab\r\ncd', 3)).toEqual({ line: 1, column: 4 });
  });

  it('clamps offsets outside the text', () => {
    expect(lineColumnAt('ab', 99)).toEqual({ line: 1, column: 3 });
    expect(lineColumnAt('ab', -5)).toEqual({ line: 1, column: 1 });
  });
});

describe('locating values', () => {
  const text = '{"iss":"joe",\r\n "exp":1300819380,\r\n "a":{"b":[1,{"c":"x"}]}}';

  it.each([
    [['exp'], '1300819380', '"exp"'],
    [['a', 'b', 1, 'c'], '"x"', '"c"'],
    [['a', 'b'], '[1,{"c":"x"}]', '"b"'],
    [['a', 'b', 0], '1', null],
    [[], text, null],
  ] as const)('%j', (path, value, name) => {
    const loc = locateJsonPath(text, path);
    if (!loc) throw new Error('not found');
    expect(text.slice(loc.valueStart, loc.valueEnd)).toBe(value);
    expect(loc.nameStart === null ? null : text.slice(loc.nameStart, loc.nameStart + (name?.length ?? 0))).toBe(name);
  });

  it('returns null for a path that is not there', () => {
    expect(locateJsonPath(text, ['zz'])).toBeNull();
    expect(locateJsonPath(text, ['a', 'b', 5])).toBeNull();
    expect(locateJsonPath(text, ['iss', 'x'])).toBeNull();
  });

  it('indexes every value down to a depth in one pass', () => {
    const index = indexJsonLocations(text, 1);
    expect([...index.keys()].sort()).toEqual(['$', '$.a', '$.exp', '$.iss']);
    const a = index.get('$.a')!;
    expect(text.slice(a.valueStart, a.valueEnd)).toBe('{"b":[1,{"c":"x"}]}');
  });
});

describe('formatJsonPath', () => {
  it('uses dots for identifiers and brackets otherwise', () => {
    expect(formatJsonPath([])).toBe('$');
    expect(formatJsonPath(['address', 'street'])).toBe('$.address.street');
    expect(formatJsonPath(['aud', 0])).toBe('$.aud[0]');
    expect(formatJsonPath(['http://example.com/is_root'], 'payload')).toBe('payload["http://example.com/is_root"]');
    expect(formatJsonPath(['a b', '"q"'], 'header')).toBe('header["a b"]["\\"q\\""]');
  });

  it('parseJsonPath reads back what formatJsonPath writes', () => {
    expect(parseJsonPath('payload.card.number')).toEqual({ root: 'payload', segments: ['card', 'number'] });
    expect(parseJsonPath('signatures[1].header.jwk')).toEqual({ root: 'signatures', segments: [1, 'header', 'jwk'] });
    expect(parseJsonPath('header["x5t#S256"]')).toEqual({ root: 'header', segments: ['x5t#S256'] });
    expect(parseJsonPath('$')).toEqual({ root: '$', segments: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.nat())), (segments) => {
        expect(parseJsonPath(formatJsonPath(segments, 'payload'))).toEqual({ root: 'payload', segments });
      }),
    );
  });

  it('parseJsonPath rejects what is not a path', () => {
    for (const bad of ['', '.a', 'a.', 'a[x]', 'a["x]', 'a b', 'a[-1]']) expect(parseJsonPath(bad)).toBeNull();
  });
});
