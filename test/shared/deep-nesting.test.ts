// Nesting of any depth, anywhere in the token core, is a clear error or is handled; never a stack overflow.
// V8's JSON.parse reads any depth, but JSON.stringify, structuredClone and String() of an array recurse and
// overflow at a few thousand levels: 5,000, 100,000 and 1,000,000 levels are all past that.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/contract/dispatch';
import { METHOD_NAMES } from '../../shared/contract/method-names';
import { methods, type Handlers } from '../../shared/contract/methods';
import { err } from '../../shared/contract/result';
import { validateClaims } from '../../shared/core/claims';
import { decodeToken } from '../../shared/core/decode';
import type { TokenErrorInfo } from '../../shared/core/errors';
import { locateJsonPath, MAX_JSON_DEPTH, readJson, scanJson } from '../../shared/core/json';
import { signToken } from '../../shared/core/sign';
import type { DecodedToken } from '../../shared/core/token';
import { lintToken } from '../../shared/lint/index';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const nested = (open: string, close: string, levels: number, inner = '1') => open.repeat(levels) + inner + close.repeat(levels);

const LEVELS = [5_000, 100_000, 1_000_000];
/** Each shape: how to nest `levels` deep, and where the bracket opening level `depth` sits in that text. */
const SHAPES = [
  { name: 'arrays', open: '[', close: ']', bracketAt: (depth: number) => depth - 1 },
  { name: 'objects', open: '{"a":', close: '}', bracketAt: (depth: number) => (depth - 1) * 5 },
] as const;

/** A value nested `levels` arrays deep, built without recursion, with `inner` at the bottom. */
function deepArray(levels: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

function deepObject(levels: number, inner: unknown = 1): unknown {
  let v = inner;
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

function decodeError(text: string): TokenErrorInfo {
  const r = decodeToken(text);
  if (r.ok) throw new Error('expected the token not to decode');
  // The failure result itself can be printed and cloned (it crosses the contract and the CLI).
  expect(() => JSON.stringify(r)).not.toThrow();
  expect(() => structuredClone(r)).not.toThrow();
  return r.error;
}

describe('readJson', () => {
  for (const shape of SHAPES) {
    for (const levels of LEVELS) {
      it(`refuses ${levels} levels of ${shape.name} as too-deep, at the bracket that opens level ${MAX_JSON_DEPTH + 1}`, () => {
        const r = readJson(nested(shape.open, shape.close, levels));
        expect(r.ok).toBe(false);
        if (r.ok) return;
        const at = shape.bracketAt(MAX_JSON_DEPTH + 1);
        expect(r.error).toMatchObject({ kind: 'too-deep', offset: at, length: 1, line: 1, column: at + 1 });
        expect(r.error.message).toContain(`opens level ${MAX_JSON_DEPTH + 1}`);
      });
    }

    it(`reads exactly ${MAX_JSON_DEPTH} levels of ${shape.name}`, () => {
      const r = readJson(nested(shape.open, shape.close, MAX_JSON_DEPTH));
      expect(r.ok).toBe(true);
      if (r.ok) expect(JSON.stringify(r.value)).toBe(nested(shape.open, shape.close, MAX_JSON_DEPTH));
    });
  }

  it('says too-deep for deep text that is also broken further on (the scanner path), and syntax for shallow broken text', () => {
    const unclosed = readJson('['.repeat(100_000));
    expect(unclosed.ok ? null : unclosed.error).toMatchObject({ kind: 'too-deep', offset: MAX_JSON_DEPTH });
    const broken = readJson(`${'['.repeat(10)}}`);
    expect(broken.ok ? null : broken.error).toMatchObject({ kind: 'syntax', offset: 10 });
  });

  it('counts brackets only outside strings, and takes a depth limit', () => {
    const inString = readJson(JSON.stringify({ s: '['.repeat(100_000) }));
    expect(inString.ok).toBe(true);
    expect(readJson('[[[1]]]', 3).ok).toBe(true);
    const over = readJson('[[[[1]]]]', 3);
    expect(over.ok ? null : over.error).toMatchObject({ kind: 'too-deep', offset: 3 });
  });

  it('still reports duplicate member names below the limit', () => {
    const r = readJson(`{"x":${nested('{"a":', '}', 900, '{"d":1,"d":2}')}}`);
    expect(r.ok && r.duplicates.map((d) => d.name)).toEqual(['d']);
  });

  it('the scanner itself reads any depth (iterative): locating a path in 1,000,000 levels', () => {
    const text = `{"k":${nested('[', ']', 1_000_000)},"exp":5}`;
    expect(scanJson(text).error).toBeNull();
    expect(locateJsonPath(text, ['exp'])).toMatchObject({ valueStart: text.length - 2, valueEnd: text.length - 1 });
  });
});

describe('decodeToken', () => {
  const HEADER = '{"alg":"HS256"}';
  // The header's level-1001 bracket: after `{"alg":"HS256","x":` (19 characters) the arrays start at level 2.
  const HEADER_PREFIX = '{"alg":"HS256","x":';

  for (const shape of SHAPES) {
    for (const levels of LEVELS) {
      it(`a payload of ${levels} levels of ${shape.name}: json-too-deep, located in the payload`, () => {
        const headerB64 = b64(HEADER);
        const error = decodeError(`${headerB64}.${b64(nested(shape.open, shape.close, levels))}.c2ln`);
        const at = shape.bracketAt(MAX_JSON_DEPTH + 1);
        // As other JSON errors: the offset maps the byte onto its base64url characters; line/column inside the JSON.
        expect(error).toMatchObject({
          code: 'json-too-deep',
          segment: 'payload',
          offset: headerB64.length + 1 + Math.floor((at * 4) / 3),
          line: 1,
          column: at + 1,
        });
        expect(error.message).toMatch(/^The payload is JSON nested too deeply: /);
      });

      it(`a header member of ${levels} levels of ${shape.name}: json-too-deep, located in the header`, () => {
        const error = decodeError(`${b64(`${HEADER_PREFIX}${nested(shape.open, shape.close, levels)}}`)}.e30.c2ln`);
        const at = HEADER_PREFIX.length + shape.bracketAt(MAX_JSON_DEPTH);
        expect(error).toMatchObject({ code: 'json-too-deep', segment: 'header', offset: Math.floor((at * 4) / 3), line: 1, column: at + 1 });
      });

      it(`a JWS JSON serialization ${levels} levels of ${shape.name} deep: json-too-deep, located in the pasted text`, () => {
        const prefix = `{"payload":"e30","protected":"${b64(HEADER)}","signature":"c2ln","header":{"x":`;
        const json = `${prefix}${nested(shape.open, shape.close, levels)}}}`;
        // Two levels (the serialization and its header) come before the member's own.
        const at = prefix.length + shape.bracketAt(MAX_JSON_DEPTH - 1);
        const error = decodeError(`  ${json}\n`);
        expect(error).toMatchObject({ code: 'json-too-deep', segment: 'input', offset: 2 + at, line: 1, column: at + 1 });
      });
    }
  }

  it('a JWS JSON serialization whose payload member nests too deeply: json-too-deep in the payload', () => {
    const error = decodeError(`{"payload":"${b64(nested('[', ']', 5000))}","protected":"${b64(HEADER)}","signature":"c2ln"}`);
    expect(error).toMatchObject({ code: 'json-too-deep', segment: 'payload' });
  });

  it('a payload under the limit decodes, and the token can be printed, cloned and linted', () => {
    const r = decodeToken(`${b64(HEADER)}.${b64(`{"x":${nested('[', ']', MAX_JSON_DEPTH - 1)}}`)}.c2ln`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(() => JSON.stringify(r.token)).not.toThrow();
    expect(() => structuredClone(r.token)).not.toThrow();
    expect(lintToken(r.token, { now: 0 }).filter((f) => /could not run/.test(f.message))).toEqual([]);
  });

  it('broken JSON under the limit in the payload is still only a note (shown as text)', () => {
    const r = decodeToken(`${b64(HEADER)}.${b64(`${'['.repeat(500)}x`)}.c2ln`);
    expect(r.ok && r.token.notes.map((n) => n.code)).toEqual(['payload-not-json']);
  });
});

describe('lint on values nested far deeper than decode allows (a token built elsewhere)', () => {
  const base = decodeToken(`${b64('{"alg":"HS256","typ":"JWT"}')}.${b64('{"sub":"u1"}')}.c2ln`);
  if (!base.ok) throw new Error(base.error.message);
  const deep = deepArray(100_000, 'x');
  const token: DecodedToken = {
    ...base.token,
    header: { ...base.token.header, typ: deep, kid: deep, crit: deep, jku: deep },
    payload: {
      password: deepArray(100_000, 'hunter2'),
      card: deepObject(100_000, '4111 1111 1111 1111'),
      aud: deep,
      iss: deep,
      exp: deep,
      nbf: deepObject(100_000),
    },
    payloadIsJson: true,
  };

  it('every rule runs to completion; values too deep to show are described by kind', () => {
    const findings = lintToken(token, { now: 0 });
    expect(findings.filter((f) => /could not run|call stack/i.test(f.message))).toEqual([]);
    expect(findings.find((f) => f.rule === 'typ-unexpected')?.message).toContain('an array');
    expect(findings.find((f) => f.rule === 'numeric-date-invalid' && f.path === 'payload.exp')?.message).toContain('an array');
    expect(() => JSON.stringify(findings)).not.toThrow();
  });

  it('sensitive-data walks the whole depth and points at what it found', () => {
    const found = lintToken(token, { now: 0 }).filter((f) => f.rule === 'sensitive-data');
    expect(found.map((f) => f.path)).toEqual(
      expect.arrayContaining([`payload.password${'[0]'.repeat(100_000)}`, `payload.card${'.a'.repeat(100_000)}`]),
    );
    expect(found.find((f) => f.path.startsWith('payload.card'))?.message).toContain('Visa card number ending 1111');
  });
});

describe('claims', () => {
  it('checks deeply nested registered claims without walking them', () => {
    const checks = validateClaims({ exp: deepArray(1_000_000), nbf: deepObject(1_000_000), aud: deepArray(1_000_000, 'api'), iss: deepArray(1_000_000) }, { audience: 'api', issuer: 'me', now: 0 });
    expect(checks.map((c) => [c.claim, c.ok])).toEqual([
      ['exp', false],
      ['nbf', false],
      ['aud', false],
      ['iss', false],
    ]);
    expect(checks.find((c) => c.claim === 'aud')?.message).toBe('aud must be a string or an array of strings');
  });
});

describe('signToken', () => {
  it('signs a deeply nested header member and payload as the exact text (nothing re-serialized)', async () => {
    const secret = 'k'.repeat(32);
    const headerText = `{"alg":"HS256","x":${nested('[', ']', 100_000)}}`;
    const payloadText = nested('{"a":', '}', 100_000);
    const result = await signToken({ headerText, payloadText, key: { type: 'secret', value: secret, encoding: 'utf8' } });
    const [h, p, s] = result.token.split('.') as [string, string, string];
    expect(Buffer.from(h, 'base64url').toString('utf8')).toBe(headerText);
    expect(Buffer.from(p, 'base64url').toString('utf8')).toBe(payloadText);
    expect(s).toBe(createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'));
    // The token is signed as asked; reading it back is refused by the depth limit, with its code.
    expect(decodeError(result.token).code).toBe('json-too-deep');
  });
});

describe('the contract dispatcher', () => {
  const called: string[] = [];
  const handlers = Object.fromEntries(
    METHOD_NAMES.map((m) => [
      m,
      () => {
        called.push(m);
        return err('not-wired', m);
      },
    ]),
  ) as unknown as Handlers;
  const dispatch = createDispatcher(handlers, { onInternalError: (m) => called.push(`internal ${m}`) });
  const KEY = { type: 'secret', value: 'x'.repeat(32), encoding: 'utf8' };
  // As JSON.parse builds them from a request body (it reads any depth).
  const DEEP = [JSON.parse(nested('[', ']', 100_000)) as unknown, JSON.parse(nested('{"a":', '}', 100_000)) as unknown];

  it('answers bad-request to a deeply nested request, or one in any top-level field, for every method', async () => {
    for (const method of METHOD_NAMES) {
      const shape = (methods[method].request as { shape?: Record<string, unknown> }).shape ?? {};
      for (const deep of DEEP) {
        const requests = [deep, ...Object.keys(shape).map((field) => ({ [field]: deep }))];
        for (const request of requests) {
          const r = await dispatch(method, request, { transport: 'http' });
          expect(r, method).toMatchObject({ ok: false, error: { code: 'bad-request' } });
        }
      }
    }
    expect(called).toEqual([]);
  });

  it('answers bad-request to deep values inside nested fields', async () => {
    const [deepArr, deepObj] = DEEP;
    const cases: [unknown, string][] = [
      [{ token: 'a.b.c', key: { ...KEY, value: deepArr } }, 'key.value'],
      [{ token: 'a.b.c', key: deepObj }, 'key.type'],
      [{ token: 'a.b.c', key: KEY, options: { algorithms: deepArr } }, 'options.algorithms[0]'],
      [{ token: 'a.b.c', key: KEY, options: { audience: deepArr } }, 'options.audience[0]'],
      [{ token: 'a.b.c', key: KEY, options: deepObj }, 'options.a'],
    ];
    for (const [request, path] of cases) {
      expect(await dispatch('crypto.verify', request, { transport: 'electron' })).toMatchObject({ ok: false, error: { code: 'bad-request', details: { path } } });
    }
    expect(called).toEqual([]);
  });
});
