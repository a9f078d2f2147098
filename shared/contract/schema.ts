/**
 * A small runtime schema language whose TypeScript types are inferred from the schema itself, so the
 * contract's request types have one source. Written in-house rather than taking zod: the contract needs
 * eight combinators, strict objects and length limits, it must run unchanged in every layer (shared/ has
 * no DOM and no Node), and the preload and renderer should not carry a 60 KB dependency for it.
 *
 * Every parse builds a fresh value holding only declared fields, so what reaches a handler is exactly
 * what the schema describes: unknown keys are rejected (not stripped), `__proto__` is just an unknown
 * key, and strings carry an upper bound on their length. Parsing recurses as deep as the schema, never
 * as deep as the input: a request nested 100,000 levels is refused at the first level that does not fit
 * (test/shared/deep-nesting.test.ts), so no combinator may walk an input value beyond what it declares.
 */

/** Why a value was refused: where (a dotted path, `key.type`, `options.algorithms[1]`) and what. */
export interface SchemaIssue {
  path: string;
  message: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issue: SchemaIssue };

export interface Schema<T> {
  /** Reads as the end of "expected …": `a string`, `"secret"`, `an object`. */
  readonly expected: string;
  parse(input: unknown, path?: string): ParseResult<T>;
}

/** A field that may be absent (or `undefined`, which IPC's structured clone can carry). */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
  readonly inner: Schema<T>;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
export type InferShape<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & {
    [K in OptionalKeys<S>]?: S[K] extends OptionalSchema<infer T> ? T : never;
  }
>;

export interface ObjectSchema<S extends Shape> extends Schema<InferShape<S>> {
  readonly shape: S;
}

export interface LiteralSchema<V extends string | number | boolean> extends Schema<V> {
  readonly literal: V;
}

function fail(path: string, message: string): { ok: false; issue: SchemaIssue } {
  return { ok: false, issue: { path, message } };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
      return Number.isFinite(value) ? 'a number' : String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const field = (path: string, key: string): string => (path ? `${path}.${key}` : key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export interface StringOptions {
  /** Upper bound in UTF-16 code units: every string crossing the contract has one. */
  max: number;
  min?: number;
}

export function string(options: StringOptions): Schema<string> {
  const { max, min = 0 } = options;
  return {
    expected: 'a string',
    parse(input, path = '') {
      if (typeof input !== 'string') return fail(path, `expected a string, got ${describe(input)}`);
      if (input.length > max) {
        return fail(path, `must be at most ${max} characters long (got ${input.length})`);
      }
      if (input.length < min) {
        return fail(path, min === 1 ? 'must not be empty' : `must be at least ${min} characters long`);
      }
      return { ok: true, value: input };
    },
  };
}

export interface NumberOptions {
  min?: number;
  max?: number;
  integer?: boolean;
}

/** A finite number (structured clone can carry NaN and Infinity; JSON cannot, and neither is a date). */
export function number(options: NumberOptions = {}): Schema<number> {
  const { min, max, integer = false } = options;
  const expected = integer ? 'an integer' : 'a finite number';
  return {
    expected,
    parse(input, path = '') {
      if (typeof input !== 'number' || !Number.isFinite(input) || (integer && !Number.isInteger(input))) {
        return fail(path, `expected ${expected}, got ${describe(input)}`);
      }
      if (min !== undefined && input < min) return fail(path, `must be at least ${min} (got ${input})`);
      if (max !== undefined && input > max) return fail(path, `must be at most ${max} (got ${input})`);
      return { ok: true, value: input };
    },
  };
}

export function boolean(): Schema<boolean> {
  return {
    expected: 'a boolean',
    parse(input, path = '') {
      return typeof input === 'boolean' ? { ok: true, value: input } : fail(path, `expected a boolean, got ${describe(input)}`);
    },
  };
}

export function literal<const V extends string | number | boolean>(value: V): LiteralSchema<V> {
  const expected = JSON.stringify(value);
  return {
    expected,
    literal: value,
    parse(input, path = '') {
      return input === value ? { ok: true, value } : fail(path, `expected ${expected}, got ${describeValue(input)}`);
    },
  };
}

/** One of a fixed list of strings. */
export function oneOf<const V extends string>(values: readonly V[]): Schema<V> {
  const expected = `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  return {
    expected,
    parse(input, path = '') {
      return typeof input === 'string' && (values as readonly string[]).includes(input)
        ? { ok: true, value: input as V }
        : fail(path, `expected ${expected}, got ${describeValue(input)}`);
    },
  };
}

/** A short quote of a refused scalar, so a message can say what was sent (never more than 40 chars). */
function describeValue(input: unknown): string {
  if (typeof input === 'string') {
    return input.length > 40 ? `${JSON.stringify(input.slice(0, 40))}…` : JSON.stringify(input);
  }
  if (typeof input === 'number' || typeof input === 'boolean') return String(input);
  return describe(input);
}

export interface ArrayOptions {
  max: number;
  min?: number;
}

export function array<T>(item: Schema<T>, options: ArrayOptions): Schema<T[]> {
  const { max, min = 0 } = options;
  return {
    expected: /^an? /.test(item.expected) ? `an array of ${item.expected.replace(/^an? /, '')}s` : `an array of items each ${item.expected}`,
    parse(input, path = '') {
      if (!Array.isArray(input)) return fail(path, `expected an array, got ${describe(input)}`);
      if (input.length > max) return fail(path, `must have at most ${max} items (got ${input.length})`);
      if (input.length < min) return fail(path, `must have at least ${min} item${min === 1 ? '' : 's'}`);
      const out: T[] = [];
      for (let i = 0; i < input.length; i++) {
        const r = item.parse(input[i], `${path}[${i}]`);
        if (!r.ok) return r;
        out.push(r.value);
      }
      return { ok: true, value: out };
    },
  };
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return {
    expected: inner.expected,
    optional: true,
    inner,
    parse(input, path = '') {
      return input === undefined ? { ok: true, value: undefined } : inner.parse(input, path);
    },
  };
}

function isOptional(schema: Schema<unknown>): schema is OptionalSchema<unknown> {
  return (schema as Partial<OptionalSchema<unknown>>).optional === true;
}

/** A plain object with exactly these fields; any other key is refused by name. */
export function object<const S extends Shape>(shape: S): ObjectSchema<S> {
  const keys = Object.keys(shape);
  return {
    expected: 'an object',
    shape,
    parse(input, path = '') {
      if (!isPlainObject(input)) return fail(path, `expected an object, got ${describe(input)}`);
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(shape, key)) {
          return fail(field(path, key), `unknown field ${JSON.stringify(key.slice(0, 40))}`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const schema = shape[key] as Schema<unknown>;
        const value = Object.hasOwn(input, key) ? input[key] : undefined;
        if (value === undefined && !isOptional(schema)) {
          return fail(field(path, key), `is required (${schema.expected})`);
        }
        const r = schema.parse(value, field(path, key));
        if (!r.ok) return r;
        if (r.value !== undefined) out[key] = r.value;
      }
      return { ok: true, value: out as InferShape<S> };
    },
  };
}

/** Any of the members, tried in order. */
export function union<const M extends readonly Schema<unknown>[]>(members: M): Schema<Infer<M[number]>> {
  const expected = members.map((m) => m.expected).join(' or ');
  return {
    expected,
    parse(input, path = '') {
      // When a member got past the union's own level (an array of the right kind with one bad item),
      // its issue says more than "expected A or B"; report the one that got furthest.
      let deepest: SchemaIssue | null = null;
      for (const member of members) {
        const r = member.parse(input, path);
        if (r.ok) return r as ParseResult<Infer<M[number]>>;
        if (r.issue.path !== path && (!deepest || r.issue.path.length > deepest.path.length)) deepest = r.issue;
      }
      return deepest ? { ok: false, issue: deepest } : fail(path, `expected ${expected}, got ${describe(input)}`);
    },
  };
}

type TaggedMember<K extends string> = Schema<unknown> & { readonly shape: Record<K, LiteralSchema<string>> };

/**
 * A union of objects told apart by one literal field (`type: 'secret' | 'pem' | …`). Errors name the tag
 * when it is wrong and the chosen member's field otherwise, rather than "matched none of five shapes".
 */
export function discriminated<const K extends string, const M extends readonly TaggedMember<K>[]>(
  tag: K,
  members: M,
): Schema<Infer<M[number]>> {
  const byTag = new Map<unknown, Schema<unknown>>();
  for (const member of members) byTag.set(member.shape[tag].literal, member);
  const tags = `one of ${[...byTag.keys()].map((t) => JSON.stringify(t)).join(', ')}`;
  return {
    expected: 'an object',
    parse(input, path = '') {
      if (!isPlainObject(input)) return fail(path, `expected an object, got ${describe(input)}`);
      const value = Object.hasOwn(input, tag) ? input[tag] : undefined;
      const member = byTag.get(value);
      if (!member) {
        return value === undefined
          ? fail(field(path, tag), `is required (${tags})`)
          : fail(field(path, tag), `expected ${tags}, got ${describeValue(value)}`);
      }
      return member.parse(input, path) as ParseResult<Infer<M[number]>>;
    },
  };
}
