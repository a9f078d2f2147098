import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { KeyError, type KeyInput } from '../../shared/core/keys';
import { KeyStoreError } from '../../electron/services/keys/errors';
import { METHOD_ERRORS } from '../../shared/contract/errors';
import type { VerifyOptions } from '../../shared/core/verify-types';
import { createDispatcher, describeErrorForLog } from '../../shared/contract/dispatch';
import { METHOD_NAMES, channelOf, isMethodName } from '../../shared/contract/method-names';
import { LIMITS, keyInputSchema, methods, verifyOptionsSchema } from '../../shared/contract/methods';
import type { Handlers, RequestOf, ResponseOf, ResultOf, SignResponse, WorkbenchApi } from '../../shared/contract/methods';
import { err, isResult, ok } from '../../shared/contract/result';
import type { Result, TransportErrorCode } from '../../shared/contract/result';
import * as s from '../../shared/contract/schema';
import type { StoredKeyInput } from '../../shared/contract/keys';
import type { HostVerifyResult, TokenKeyInput } from '../../shared/contract/key-discovery';

const HS_KEY = { type: 'secret', value: 'your-256-bit-secret', encoding: 'utf8' } as const;

function issueOf<T>(schema: s.Schema<T>, input: unknown): s.SchemaIssue {
  const r = schema.parse(input);
  if (r.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return r.issue;
}

describe('schema', () => {
  const person = s.object({
    name: s.string({ max: 5, min: 1 }),
    age: s.optional(s.number({ min: 0, integer: true })),
    tags: s.optional(s.array(s.string({ max: 3 }), { max: 2 })),
  });

  it('builds a fresh value holding only declared fields, absent optionals left out', () => {
    const input = { name: 'Ada', age: 36 };
    const r = person.parse(input);
    expect(r).toEqual({ ok: true, value: { name: 'Ada', age: 36 } });
    if (r.ok) expect(r.value).not.toBe(input);
    const bare = person.parse({ name: 'Ada', age: undefined });
    expect(bare.ok && Object.keys(bare.value)).toEqual(['name']);
  });

  it('rejects unknown keys by name, including __proto__ from JSON', () => {
    expect(issueOf(person, { name: 'Ada', admin: true })).toEqual({ path: 'admin', message: 'unknown field "admin"' });
    const polluted = JSON.parse('{"name":"Ada","__proto__":{"admin":true}}') as unknown;
    expect(issueOf(person, polluted).path).toBe('__proto__');
  });

  it('names the field and the reason for each kind of refusal', () => {
    expect(issueOf(person, { name: 'Adaline' })).toEqual({ path: 'name', message: 'must be at most 5 characters long (got 7)' });
    expect(issueOf(person, { name: '' })).toEqual({ path: 'name', message: 'must not be empty' });
    expect(issueOf(person, {})).toEqual({ path: 'name', message: 'is required (a string)' });
    expect(issueOf(person, { name: 7 })).toEqual({ path: 'name', message: 'expected a string, got a number' });
    expect(issueOf(person, { name: 'A', age: 1.5 })).toEqual({ path: 'age', message: 'expected an integer, got a number' });
    expect(issueOf(person, { name: 'A', age: -1 })).toEqual({ path: 'age', message: 'must be at least 0 (got -1)' });
    expect(issueOf(person, { name: 'A', age: null })).toEqual({ path: 'age', message: 'expected an integer, got null' });
    expect(issueOf(person, { name: 'A', tags: ['ok', 'long'] })).toEqual({
      path: 'tags[1]',
      message: 'must be at most 3 characters long (got 4)',
    });
    expect(issueOf(person, { name: 'A', tags: ['a', 'b', 'c'] })).toEqual({ path: 'tags', message: 'must have at most 2 items (got 3)' });
    expect(issueOf(person, [])).toEqual({ path: '', message: 'expected an object, got an array' });
  });

  it('refuses non-finite numbers and non-plain objects (structured clone can carry both)', () => {
    expect(issueOf(s.number(), Number.NaN).message).toBe('expected a finite number, got NaN');
    expect(issueOf(s.number(), Infinity).message).toBe('expected a finite number, got Infinity');
    expect(issueOf(person, new Date()).message).toBe('expected an object, got an object');
    expect(person.parse(Object.assign(Object.create(null) as object, { name: 'A' })).ok).toBe(true);
  });

  it('literal, oneOf and boolean', () => {
    expect(s.literal('a').parse('a')).toEqual({ ok: true, value: 'a' });
    expect(issueOf(s.literal('a'), 'b').message).toBe('expected "a", got "b"');
    expect(issueOf(s.oneOf(['x', 'y']), 'z'.repeat(50)).message).toBe(`expected one of "x", "y", got "${'z'.repeat(40)}"…`);
    expect(s.boolean().parse(false)).toEqual({ ok: true, value: false });
    expect(issueOf(s.boolean(), 'true').message).toBe('expected a boolean, got a string');
  });

  it('union reports the member that got furthest, or what it expected', () => {
    const u = s.union([s.string({ max: 3 }), s.array(s.string({ max: 3 }), { max: 4 })]);
    expect(u.parse('abc')).toEqual({ ok: true, value: 'abc' });
    expect(u.parse(['a', 'b'])).toEqual({ ok: true, value: ['a', 'b'] });
    expect(issueOf(u, 5)).toEqual({ path: '', message: 'expected a string or an array of strings, got a number' });
    expect(issueOf(u, ['a', 9])).toEqual({ path: '[1]', message: 'expected a string, got a number' });
  });

  it('discriminated union names the tag, then the chosen member’s field', () => {
    expect(issueOf(keyInputSchema, { type: 'password', value: 'x' })).toEqual({
      path: 'type',
      message: 'expected one of "secret", "pem", "jwk", "jwks", "auto", got "password"',
    });
    expect(issueOf(keyInputSchema, { value: 'x' }).path).toBe('type');
    expect(issueOf(keyInputSchema, { type: 'secret', value: 'x', encoding: 'utf16' })).toEqual({
      path: 'encoding',
      message: 'expected one of "utf8", "base64", "base64url", "hex", got "utf16"',
    });
    expect(issueOf(keyInputSchema, { type: 'pem', value: 'x', encoding: 'utf8' })).toEqual({
      path: 'encoding',
      message: 'unknown field "encoding"',
    });
    expect(keyInputSchema.parse(HS_KEY)).toEqual({ ok: true, value: HS_KEY });
  });

  it('infers the core types exactly (the schemas are the only copy)', () => {
    expectTypeOf<s.Infer<typeof keyInputSchema>>().toEqualTypeOf<KeyInput>();
    expectTypeOf<s.Infer<typeof verifyOptionsSchema>>().toEqualTypeOf<VerifyOptions>();
    expectTypeOf<RequestOf<'crypto.verify'>>().toEqualTypeOf<{ token: string; key: KeyInput | StoredKeyInput | TokenKeyInput; options?: VerifyOptions }>();
    expectTypeOf<ResponseOf<'crypto.verify'>>().toEqualTypeOf<HostVerifyResult>();
    // A token's own key verifies, never signs.
    expectTypeOf<RequestOf<'crypto.sign'>['key']>().toEqualTypeOf<KeyInput | StoredKeyInput>();
    expectTypeOf<ResponseOf<'crypto.sign'>>().toEqualTypeOf<SignResponse>();
    expectTypeOf<WorkbenchApi['app.info']>().returns.toEqualTypeOf<Promise<Result<ResponseOf<'app.info'>, TransportErrorCode>>>();
    // A method's error codes are its declared ones plus the transport's: a check for any other code does not compile.
    expectTypeOf<ResultOf<'history.get'>>().toEqualTypeOf<Result<ResponseOf<'history.get'>, 'history-disabled' | 'history-io' | TransportErrorCode>>();
  });
});

describe('method list', () => {
  it('names exactly the methods of the contract, each on its own prefixed channel', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(methods).sort());
    expect(METHOD_NAMES).toEqual(expect.arrayContaining(['app.info', 'crypto.verify', 'crypto.sign']));
    const channels = METHOD_NAMES.map(channelOf);
    expect(new Set(channels).size).toBe(METHOD_NAMES.length);
    expect(channels.every((c) => c.startsWith('workbench:'))).toBe(true);
    expect(isMethodName('crypto.verify')).toBe(true);
    expect(isMethodName('toString')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });
});

describe('request limits', () => {
  const verify = methods['crypto.verify'].request;
  it('accepts a token of exactly 1 MiB and refuses one character more', () => {
    expect(verify.parse({ token: 'a'.repeat(LIMITS.token), key: HS_KEY }).ok).toBe(true);
    expect(issueOf(verify, { token: 'a'.repeat(LIMITS.token + 1), key: HS_KEY })).toEqual({
      path: 'token',
      message: `must be at most ${LIMITS.token} characters long (got ${LIMITS.token + 1})`,
    });
  });
  it('bounds nested option lists and values', () => {
    const many = Array.from({ length: LIMITS.listItems + 1 }, () => 'HS256');
    expect(issueOf(verify, { token: 't', key: HS_KEY, options: { algorithms: many } }).path).toBe('options.algorithms');
    expect(issueOf(verify, { token: 't', key: HS_KEY, options: { audience: ['a', 'x'.repeat(LIMITS.claimValue + 1)] } }).path).toBe(
      'options.audience[1]',
    );
    expect(issueOf(verify, { token: 't', key: HS_KEY, options: { leeway: -5 } }).path).toBe('options.leeway');
    expect(verify.parse({ token: 't', key: HS_KEY, options: { requiredClaims: ['sub', 'tenant'] } }).ok).toBe(true);
    expect(issueOf(verify, { token: 't', key: HS_KEY, options: { requiredClaims: ['sub', ''] } }).path).toBe('options.requiredClaims[1]');
    expect(issueOf(verify, { token: 't', key: HS_KEY, options: { requiredClaims: Array.from({ length: LIMITS.listItems + 1 }, (_, i) => `c${i}`) } }).path).toBe(
      'options.requiredClaims',
    );
    expect(issueOf(methods['crypto.sign'].request, { headerText: '{}', payloadText: '{}', key: HS_KEY, alg: '' }).path).toBe('alg');
  });
});

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers {
  // Methods this file does not exercise answer not-wired, so the fake stays complete as the contract grows.
  const notWired = Object.fromEntries(METHOD_NAMES.map((m) => [m, () => err('not-wired', `${m} is not part of this test`)])) as unknown as Handlers;
  return {
    ...notWired,
    'app.info': (_req, ctx) => ok({ name: 'JWT Workbench', version: '0.0.0-test', transport: ctx.transport, platform: 'test' }),
    'crypto.verify': () => {
      throw new KeyStoreError('not-found', 'no stored key with id k1');
    },
    'crypto.sign': (req) => ok({ token: `${req.headerText}.${req.payloadText}`, alg: req.alg ?? 'HS256', warnings: [], headerText: req.headerText, kid: null }),
    ...overrides,
  };
}

describe('dispatcher', () => {
  it('passes the validated request and the transport to the handler', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    expect(await dispatch('app.info', {}, { transport: 'http' })).toEqual({
      ok: true,
      value: { name: 'JWT Workbench', version: '0.0.0-test', transport: 'http', platform: 'test' },
    });
    const signed = await dispatch('crypto.sign', { headerText: 'h', payloadText: 'p', key: HS_KEY, alg: 'HS384' }, { transport: 'electron' });
    expect(signed).toEqual({ ok: true, value: { token: 'h.p', alg: 'HS384', warnings: [], headerText: 'h', kid: null } });
  });

  it('refuses an unknown method without calling anything', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    const r = await dispatch('constructor', {}, { transport: 'http' });
    expect(r).toEqual({ ok: false, error: { code: 'unknown-method', message: 'Unknown method "constructor"' } });
  });

  it('bad-request names the field and the reason, and the handler never runs', async () => {
    const sign = vi.fn(() => ok({ token: 't', alg: 'HS256', warnings: [], headerText: '{}', kid: null }));
    const dispatch = createDispatcher(fakeHandlers({ 'crypto.sign': sign }));
    const r = await dispatch('crypto.sign', { headerText: '{}', payloadText: '{}', key: { type: 'secret', value: 's' } }, { transport: 'http' });
    expect(r).toEqual({
      ok: false,
      error: { code: 'bad-request', message: 'key.encoding: is required (one of "utf8", "base64", "base64url", "hex")', details: { path: 'key.encoding' } },
    });
    expect(await dispatch('crypto.sign', null, { transport: 'http' })).toMatchObject({
      error: { code: 'bad-request', message: 'request: expected an object, got null' },
    });
    expect(sign).not.toHaveBeenCalled();
  });

  it('a handler that throws becomes a generic internal error that leaks nothing of the request', async () => {
    const secret = 'super-secret-key-material-0123456789';
    const logged: unknown[] = [];
    const dispatch = createDispatcher(
      fakeHandlers({
        'crypto.sign': (req) => {
          throw new SyntaxError(`cannot use ${'value' in req.key ? req.key.value : req.key.id}`);
        },
      }),
      { onInternalError: (method, error) => logged.push([method, describeErrorForLog(error)]) },
    );
    const r = await dispatch('crypto.sign', { headerText: '{}', payloadText: '{}', key: { ...HS_KEY, value: secret } }, { transport: 'electron' });
    expect(r).toEqual({ ok: false, error: { code: 'internal', message: 'crypto.sign failed unexpectedly; see the host\'s log' } });
    expect(JSON.stringify(r)).not.toContain(secret);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toEqual(['crypto.sign', expect.stringMatching(/^SyntaxError\n\s+at /)]);
    expect(JSON.stringify(logged)).not.toContain(secret);
  });

  it('a handler that resolves to something other than a Result is an internal error too', async () => {
    const dispatch = createDispatcher(fakeHandlers({ 'app.info': (() => ({ name: 'x' })) as unknown as Handlers['app.info'] }));
    expect(await dispatch('app.info', {}, { transport: 'http' })).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('a typed error the method declares is answered as data: thrown or returned, with its details', async () => {
    const dispatch = createDispatcher(fakeHandlers());
    expect(await dispatch('crypto.verify', { token: 't', key: HS_KEY }, { transport: 'http' })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'no stored key with id k1' },
    });
    const withDetails = createDispatcher(
      fakeHandlers({
        'crypto.sign': () => {
          throw new KeyError('secret-encoding', 'not hex at offset 3', 3);
        },
        'history.get': () => err('history-io', 'cannot read history.json'),
      }),
    );
    expect(await withDetails('crypto.sign', { headerText: '{}', payloadText: '{}', key: HS_KEY }, { transport: 'http' })).toEqual({
      ok: false,
      error: { code: 'secret-encoding', message: 'not hex at offset 3', details: { offset: 3 } },
    });
    expect(await withDetails('history.get', {}, { transport: 'http' })).toEqual({ ok: false, error: { code: 'history-io', message: 'cannot read history.json' } });
  });

  it('a code the method does not declare is a defect: answered internal and logged, thrown or returned', async () => {
    const logged: string[] = [];
    const dispatch = createDispatcher(
      fakeHandlers({
        // History answers history-* codes only: a key-store code from it is a bug, not an answer.
        'history.get': () => {
          throw new KeyStoreError('wrong-passphrase', 'secret detail');
        },
        'history.clear': () => err('signature-mismatch', 'secret detail') as never,
      }),
      { onInternalError: (method) => logged.push(method) },
    );
    for (const method of ['history.get', 'history.clear'] as const) {
      const result = await dispatch(method, {}, { transport: 'http' });
      expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
      expect(JSON.stringify(result)).not.toContain('secret detail');
    }
    expect(logged).toEqual(['history.get', 'history.clear']);
  });

  it('declares codes for every method, and each declared list only holds stable kebab-case codes', () => {
    expect(Object.keys(METHOD_ERRORS).sort()).toEqual([...METHOD_NAMES].sort());
    for (const codes of Object.values(METHOD_ERRORS)) for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

describe('isResult', () => {
  it('tells Results from other values', () => {
    expect(isResult(ok(1))).toBe(true);
    expect(isResult(err('x', 'y'))).toBe(true);
    expect(isResult({ ok: true })).toBe(false);
    expect(isResult({ ok: false, error: { code: 1, message: 'm' } })).toBe(false);
    expect(isResult(null)).toBe(false);
  });
});
