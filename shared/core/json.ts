/**
 * JSON reading for the token core and the editor. The value comes from native JSON.parse (fast and
 * exact); an RFC 8259 scanner adds what JSON.parse hides: member names seen twice in one object (it
 * silently keeps the last, RFC 7515 §5.2), the exact offset / line / column of a syntax error with a
 * human message, and where a given JSON path sits in the text. The scanner is iterative, so it reads any
 * depth; readJson still refuses nesting beyond MAX_JSON_DEPTH, because what is done with a value afterwards
 * (JSON.stringify, structured clone for IPC, String() of an array) recurses in V8 and overflows the
 * stack at a few thousand levels.
 */

export type JsonPathSegment = string | number;

/**
 * The deepest nesting of arrays and objects readJson accepts (RFC 8259 §9 lets a parser set one). Real
 * JOSE headers and claim sets nest a handful of levels (OIDC `address`, RFC 9396 authorization_details);
 * 1,000 is far beyond any of them, yet a third of the ~3,200 levels at which V8's JSON.stringify and
 * structuredClone overflow the stack, so a value read here can be printed, cloned and sent anywhere.
 */
export const MAX_JSON_DEPTH = 1000;

/** Why text could not be read as JSON: a syntax error, or nesting deeper than the limit. */
export interface JsonSyntaxError {
  /** `syntax`: not RFC 8259 JSON; `too-deep`: valid so far, but nested beyond the depth limit. */
  kind: 'syntax' | 'too-deep';
  /** `Unexpected token '}' at line 3, column 5: expected a string for a member name` */
  message: string;
  /** The part after the colon: what the grammar wanted there, or what is wrong. */
  reason: string;
  /** UTF-16 offset in the text; `text.length` when the input ended too early. */
  offset: number;
  /** Characters the offending token spans (0 at the end of the input). */
  length: number;
  /** 1-based; `\n`, `\r\n` and `\r` each end a line. */
  line: number;
  /** 1-based, in UTF-16 code units (as editors count). */
  column: number;
}

export interface JsonDuplicate {
  /** Path of the object holding the name twice (`[]` for the root object). */
  path: JsonPathSegment[];
  name: string;
  /** Offset of the later occurrence's opening quote, and its length with quotes. */
  offset: number;
  length: number;
  /** Offset of the first occurrence's opening quote. */
  firstOffset: number;
}

export type JsonReadResult =
  | { ok: true; value: unknown; duplicates: JsonDuplicate[] }
  | { ok: false; error: JsonSyntaxError };

/** Where a value (and, for an object member, its name) sits in the text: [start, end). */
export interface JsonLocation {
  valueStart: number;
  valueEnd: number;
  /** Offset of the member name's opening quote; null for the root or an array element. */
  nameStart: number | null;
}

export interface JsonScan {
  /** null when the text is valid JSON. */
  error: JsonSyntaxError | null;
  duplicates: JsonDuplicate[];
  /** Set when a target path was asked for and found. */
  location: JsonLocation | null;
  /** With `collectDepth`: every value down to that depth, keyed by formatJsonPath. */
  locations: Map<string, JsonLocation>;
}

export interface JsonScanOptions {
  /** Find where this path's value sits (JsonScan.location). */
  target?: readonly JsonPathSegment[];
  /** Record the location of every value nested at most this deep (0 = the root only). */
  collectDepth?: number;
  /** Fail (`too-deep`) at the bracket that opens level maxDepth + 1; no limit by default. */
  maxDepth?: number;
}

/**
 * Parses `text`; on success also reports duplicate member names, on failure an exact located error:
 * a syntax error, or (`too-deep`) the bracket that nests deeper than `maxDepth`.
 */
export function readJson(text: string, maxDepth = MAX_JSON_DEPTH): JsonReadResult {
  let value: unknown;
  try {
    // V8's JSON.parse is iterative: it reads any depth, so the limit is checked on the text below.
    value = JSON.parse(text);
  } catch (e) {
    const scan = scanJson(text, { maxDepth });
    // The scanner implements the same grammar; the fallback only guards against a disagreement.
    return { ok: false, error: scan.error ?? fallbackError(text, e) };
  }
  if (value === null || typeof value !== 'object') return { ok: true, value, duplicates: [] };
  const shape = measureText(text, maxDepth);
  if (shape.tooDeepAt !== -1) return { ok: false, error: makeTooDeepError(text, shape.tooDeepAt, maxDepth) };
  const duplicates = shape.names !== countProperties(value) ? scanJson(text).duplicates : [];
  return { ok: true, value, duplicates };
}

/** Where the value at `path` (e.g. `['exp']`, `['address', 'street']`, `['aud', 0]`) sits in `text`. */
export function locateJsonPath(text: string, path: readonly JsonPathSegment[]): JsonLocation | null {
  return scanJson(text, { target: path }).location;
}

/**
 * Where every value down to `maxDepth` sits, keyed by formatJsonPath (`$`, `$.payload`,
 * `$.signatures[0].protected`): one pass, for texts that need many look-ups.
 */
export function indexJsonLocations(text: string, maxDepth: number): Map<string, JsonLocation> {
  return scanJson(text, { collectDepth: maxDepth }).locations;
}

/** 1-based line and column (UTF-16 code units) of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  const end = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (i + 1 < end && text.charCodeAt(i + 1) === 10) i++;
      else if (i + 1 === end && text.charCodeAt(i + 1) === 10) {
        // offset sits between \r and \n: still the line the \r ends
        return { line, column: i + 1 - lineStart + 1 };
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `$`, `$.address.street`, `$.aud[0]`, `$["http://example.com/is_root"]` */
export function formatJsonPath(path: readonly JsonPathSegment[], root = '$'): string {
  let out = root;
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (IDENTIFIER.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * The inverse of formatJsonPath: `payload.card.number` → root `payload`, segments `['card', 'number']`;
 * `header["x5t#S256"]`, `signatures[1].header.jwk`, `$.aud[0]`. Null when `path` is not of that form.
 * The editor uses it to find a lint finding's text (locateJsonPath on the header or payload text).
 */
export function parseJsonPath(path: string): { root: string; segments: JsonPathSegment[] } | null {
  const head = /^[A-Za-z_$][\w$]*/.exec(path);
  if (!head) return null;
  const segments: JsonPathSegment[] = [];
  let i = head[0].length;
  while (i < path.length) {
    const rest = path.slice(i);
    const m = /^\.([A-Za-z_$][\w$]*)/.exec(rest) ?? /^\[(\d+)\]/.exec(rest) ?? /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (!m) return null;
    const token = m[1]!;
    if (m[0].startsWith('.')) segments.push(token);
    else if (token.startsWith('"')) {
      try {
        segments.push(JSON.parse(token) as string);
      } catch {
        return null;
      }
    } else segments.push(Number(token));
    i += m[0].length;
  }
  return { root: head[0], segments };
}

// ---------------------------------------------------------------------------------------------------
// Depth and duplicate pre-check, one pass over text already known to be valid JSON. JSON.parse collapses
// a repeated name into one property, so a parsed value has fewer properties than the text has member
// names exactly when some object repeats a name. Counting names is cheap: outside strings, every ':'
// separates a name from its value. The exact scanner runs only when the counts differ.

/**
 * Member names (':' outside strings) and the offset of the first bracket that opens level maxDepth + 1
 * (-1 when none does; the count is then incomplete and unused). A plain loop beats indexOf here.
 */
function measureText(text: string, maxDepth: number): { names: number; tooDeepAt: number } {
  let names = 0;
  let depth = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 34) break;
        if (d === 92) i++; // the escaped character cannot end the string
      }
    } else if (c === 58) names++;
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return { names, tooDeepAt: i };
    } else if (c === 125 || c === 93) depth--;
  }
  return { names, tooDeepAt: -1 };
}

function countProperties(root: object): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        if (item !== null && typeof item === 'object') stack.push(item);
      }
    } else {
      // JSON.parse makes `__proto__` an own data property, so keys() counts it like any other name.
      const keys = Object.keys(v);
      count += keys.length;
      for (let i = 0; i < keys.length; i++) {
        const item: unknown = (v as Record<string, unknown>)[keys[i]!];
        if (item !== null && typeof item === 'object') stack.push(item);
      }
    }
  }
  return count;
}

// ---------------------------------------------------------------------------------------------------
// The scanner.

const S_VALUE = 0; // a value must follow
const S_ARRAY_FIRST = 1; // just after '[': a value or ']'
const S_OBJECT_FIRST = 2; // just after '{': a name or '}'
const S_OBJECT_NAME = 3; // after ',' in an object: a name
const S_COLON = 4; // after a member name
const S_AFTER_VALUE = 5; // a value ended: ',' or the closing bracket, or the end at the root

interface Frame {
  isObject: boolean;
  /** name → offset of its first occurrence. */
  names: Map<string, number> | null;
  /** Current member name, or current array index. */
  key: JsonPathSegment;
  /** Offset of the current member name's quote (objects). */
  keyStart: number;
  /** formatJsonPath of this container when it is being collected. */
  collectKey: string | null;
  /** This container is the value at target[0..depth). */
  onPath: boolean;
  isTarget: boolean;
  valueStart: number;
  nameStart: number | null;
}

/**
 * Scans `text` as RFC 8259 JSON: the first syntax error (exactly located), every duplicate member
 * name, and optionally where `target` sits. Never throws.
 */
export function scanJson(text: string, options: JsonScanOptions = {}): JsonScan {
  const n = text.length;
  const target = options.target ?? null;
  const collectDepth = options.collectDepth ?? -1;
  const maxDepth = options.maxDepth ?? Infinity;
  const stack: Frame[] = [];
  const duplicates: JsonDuplicate[] = [];
  const locations = new Map<string, JsonLocation>();
  let location: JsonLocation | null = null;
  let error: JsonSyntaxError | null = null;
  let state = S_VALUE;
  let i = 0;
  // String scanning results (set by scanString).
  let stringHasEscape = false;

  const fail = (at: number, reason: string, token?: { length: number; text: string }): JsonScan => {
    error = makeError(text, at, reason, token);
    return { error, duplicates, location, locations };
  };

  /** Scans the string whose quote is at `start`; returns the offset after its closing quote, or -1. */
  const scanString = (start: number): number => {
    stringHasEscape = false;
    let j = start + 1;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 34) return j + 1;
      if (c === 92) {
        stringHasEscape = true;
        const e = j + 1 < n ? text.charCodeAt(j + 1) : -1;
        if (e === 117 /* u */) {
          let k = 0;
          while (k < 4 && j + 2 + k < n && isHex(text.charCodeAt(j + 2 + k))) k++;
          if (k < 4) {
            if (j + 2 + k >= n) {
              error = makeEndError(text, 'a \\u escape needs 4 hex digits');
            } else {
              error = makeError(text, j, 'a \\u escape needs 4 hex digits', {
                length: k + 3,
                text: `'${text.slice(j, j + k + 3)}'`,
              });
            }
            return -1;
          }
          j += 6;
          continue;
        }
        if (e === -1) {
          error = makeEndError(text, `the string opened at ${where(text, start)} is not closed`);
          return -1;
        }
        if (!isSimpleEscape(e)) {
          const escape = text.slice(j, j + 2 + (isHighSurrogate(e) ? 1 : 0));
          error = makeError(text, j, 'not a JSON escape (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)', {
            length: escape.length,
            text: `'${escape}'`,
          });
          return -1;
        }
        j += 2;
        continue;
      }
      if (c < 32) {
        error = makeError(text, j, `control characters must be escaped in a string (${controlEscape(c)})`, {
          length: 1,
          text: codePointLabel(c),
        });
        return -1;
      }
      j++;
    }
    error = makeEndError(text, `the string opened at ${where(text, start)} is not closed`);
    return -1;
  };

  /** Scans the number starting at `start`; returns the offset after it, or -1. */
  const scanNumber = (start: number): number => {
    let j = start;
    if (text.charCodeAt(j) === 45 /* - */) {
      j++;
      if (j >= n) {
        error = makeEndError(text, "expected a digit after '-'");
        return -1;
      }
      if (!isDigit(text.charCodeAt(j))) {
        error = makeError(text, j, "expected a digit after '-'");
        return -1;
      }
    }
    if (text.charCodeAt(j) === 48 /* 0 */) {
      j++;
      if (j < n && isDigit(text.charCodeAt(j))) {
        error = makeError(text, j, 'a number cannot have leading zeros');
        return -1;
      }
    } else {
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    if (j < n && text.charCodeAt(j) === 46 /* . */) {
      j++;
      if (j >= n) {
        error = makeEndError(text, 'expected a digit after the decimal point');
        return -1;
      }
      if (!isDigit(text.charCodeAt(j))) {
        error = makeError(text, j, 'expected a digit after the decimal point');
        return -1;
      }
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    if (j < n && (text.charCodeAt(j) | 32) === 101 /* e E */) {
      j++;
      if (j < n && (text.charCodeAt(j) === 43 || text.charCodeAt(j) === 45)) j++;
      if (j >= n) {
        error = makeEndError(text, 'expected a digit in the exponent');
        return -1;
      }
      if (!isDigit(text.charCodeAt(j))) {
        error = makeError(text, j, 'expected a digit in the exponent');
        return -1;
      }
      while (j < n && isDigit(text.charCodeAt(j))) j++;
    }
    return j;
  };

  // Target bookkeeping: is a value starting now the one asked for?
  const targetLength = target ? target.length : -1;
  const valueIsTarget = (): boolean => {
    if (target === null) return false;
    const depth = stack.length;
    if (depth !== targetLength) return false;
    if (depth === 0) return true;
    const top = stack[depth - 1]!;
    return top.onPath && top.key === target[depth - 1];
  };
  const childOnPath = (): boolean => {
    if (target === null) return false;
    const depth = stack.length;
    if (depth === 0) return targetLength > 0;
    const top = stack[depth - 1]!;
    return top.onPath && depth < targetLength && top.key === target[depth - 1];
  };

  for (;;) {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }

    if (state === S_VALUE || state === S_ARRAY_FIRST) {
      if (i >= n) return endFail(state === S_ARRAY_FIRST ? "expected a value or ']'" : 'expected a value');
      const c = text.charCodeAt(i);
      if (state === S_ARRAY_FIRST && c === 93 /* ] */) {
        i = closeFrame(i);
        state = S_AFTER_VALUE;
        continue;
      }
      const isTarget = valueIsTarget();
      const collect = stack.length <= collectDepth;
      const parent = stack.length > 0 ? stack[stack.length - 1]! : null;
      const nameStart = (isTarget || collect) && parent !== null && parent.isObject ? parent.keyStart : null;
      const collectKey = collect ? formatJsonPath(stack.map((f) => f.key)) : null;
      if (c === 123 /* { */ || c === 91 /* [ */) {
        if (stack.length >= maxDepth) {
          error = makeTooDeepError(text, i, maxDepth);
          return { error, duplicates, location, locations };
        }
        const isObject = c === 123;
        const onPath = childOnPath(); // against the parent, so before the push
        stack.push({
          isObject,
          names: null,
          key: isObject ? '' : 0,
          keyStart: -1,
          collectKey,
          onPath,
          isTarget,
          valueStart: i,
          nameStart: nameStart,
        });
        i++;
        state = isObject ? S_OBJECT_FIRST : S_ARRAY_FIRST;
        continue;
      }
      const start = i;
      if (c === 34 /* " */) {
        i = scanString(i);
      } else if (c === 45 || isDigit(c)) {
        i = scanNumber(i);
      } else if (c === 116 /* t */ && text.startsWith('true', i)) {
        i += 4;
      } else if (c === 102 /* f */ && text.startsWith('false', i)) {
        i += 5;
      } else if (c === 110 /* n */ && text.startsWith('null', i)) {
        i += 4;
      } else {
        return fail(i, state === S_ARRAY_FIRST ? "expected a value or ']'" : 'expected a value');
      }
      if (i < 0) return { error, duplicates, location, locations };
      if (isTarget) location = { valueStart: start, valueEnd: i, nameStart };
      if (collectKey !== null) locations.set(collectKey, { valueStart: start, valueEnd: i, nameStart });
      state = S_AFTER_VALUE;
      continue;
    }

    if (state === S_OBJECT_FIRST || state === S_OBJECT_NAME) {
      const expected =
        state === S_OBJECT_FIRST ? "expected a string for a member name or '}'" : 'expected a string for a member name';
      if (i >= n) return endFail(expected);
      const c = text.charCodeAt(i);
      if (state === S_OBJECT_FIRST && c === 125 /* } */) {
        i = closeFrame(i);
        state = S_AFTER_VALUE;
        continue;
      }
      if (c !== 34) return fail(i, expected);
      const start = i;
      i = scanString(i);
      if (i < 0) return { error, duplicates, location, locations };
      const raw = text.slice(start + 1, i - 1);
      const name = stringHasEscape ? (JSON.parse(text.slice(start, i)) as string) : raw;
      const frame = stack[stack.length - 1]!;
      if (frame.names === null) frame.names = new Map();
      const first = frame.names.get(name);
      if (first === undefined) frame.names.set(name, start);
      else {
        duplicates.push({
          path: stack.slice(0, -1).map((f) => f.key),
          name,
          offset: start,
          length: i - start,
          firstOffset: first,
        });
      }
      frame.key = name;
      frame.keyStart = start;
      state = S_COLON;
      continue;
    }

    if (state === S_COLON) {
      if (i >= n) return endFail("expected ':' after the member name");
      if (text.charCodeAt(i) !== 58) return fail(i, "expected ':' after the member name");
      i++;
      state = S_VALUE;
      continue;
    }

    // S_AFTER_VALUE
    const top = stack[stack.length - 1];
    if (top === undefined) {
      if (i < n) return fail(i, 'expected the end of the input after the JSON value');
      return { error: null, duplicates, location, locations };
    }
    const expected = top.isObject
      ? "expected ',' or '}' after a member value"
      : "expected ',' or ']' after an array element";
    if (i >= n) return endFail(expected);
    const c = text.charCodeAt(i);
    if (c === 44 /* , */) {
      i++;
      if (top.isObject) state = S_OBJECT_NAME;
      else {
        top.key = (top.key as number) + 1;
        state = S_VALUE;
      }
      continue;
    }
    if ((top.isObject && c === 125) || (!top.isObject && c === 93)) {
      i = closeFrame(i);
      state = S_AFTER_VALUE;
      continue;
    }
    return fail(i, expected);
  }

  function closeFrame(at: number): number {
    const frame = stack.pop()!;
    const loc = { valueStart: frame.valueStart, valueEnd: at + 1, nameStart: frame.nameStart };
    if (frame.isTarget) location = loc;
    if (frame.collectKey !== null) locations.set(frame.collectKey, loc);
    return at + 1;
  }

  function endFail(reason: string): JsonScan {
    error = makeEndError(text, reason);
    return { error, duplicates, location, locations };
  }
}

// ---------------------------------------------------------------------------------------------------
// Messages.

function makeError(
  text: string,
  at: number,
  reason: string,
  token?: { length: number; text: string },
): JsonSyntaxError {
  const tok = token ?? tokenAt(text, at);
  const { line, column } = lineColumnAt(text, at);
  return {
    kind: 'syntax',
    message: `Unexpected token ${tok.text} at line ${line}, column ${column}: ${reason}`,
    reason,
    offset: at,
    length: tok.length,
    line,
    column,
  };
}

function makeEndError(text: string, reason: string): JsonSyntaxError {
  const { line, column } = lineColumnAt(text, text.length);
  const what = text.length === 0 ? 'Empty input' : 'Unexpected end of input';
  return {
    kind: 'syntax',
    message: `${what} at line ${line}, column ${column}: ${reason}`,
    reason,
    offset: text.length,
    length: 0,
    line,
    column,
  };
}

/** The bracket at `at` opens level maxDepth + 1. */
function makeTooDeepError(text: string, at: number, maxDepth: number): JsonSyntaxError {
  const { line, column } = lineColumnAt(text, at);
  const reason = `nesting deeper than ${maxDepth} levels is not read (RFC 8259 §9 lets a parser limit it)`;
  return {
    kind: 'too-deep',
    message: `'${text[at]!}' at line ${line}, column ${column} opens level ${maxDepth + 1}: ${reason}`,
    reason,
    offset: at,
    length: 1,
    line,
    column,
  };
}

/** The token at `at` for a message: a word (`undefined`, `True`), or one character, quoted. */
function tokenAt(text: string, at: number): { length: number; text: string } {
  const c = text.charCodeAt(at);
  if (isWordChar(c)) {
    let end = at + 1;
    while (end < text.length && end - at < 24 && isWordChar(text.charCodeAt(end))) end++;
    return { length: end - at, text: `'${text.slice(at, end)}'` };
  }
  const cp = text.codePointAt(at) ?? c;
  const length = cp > 0xffff ? 2 : 1;
  return { length, text: codePointLabel(cp) };
}

const NAMED: Record<number, string> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0xa0: 'no-break space',
  0x200b: 'zero width space',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0xfeff: 'byte order mark',
};

/** A character for a message: `'x'`, or `U+00A0 (no-break space)` for what cannot be seen. */
export function codePointLabel(cp: number): string {
  const hex = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMED[cp];
  if (name) return `${hex} (${name})`;
  if (cp < 32 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff)) return hex;
  return `'${String.fromCodePoint(cp)}'`;
}

function controlEscape(c: number): string {
  switch (c) {
    case 10:
      return 'write \\n';
    case 13:
      return 'write \\r';
    case 9:
      return 'write \\t';
    case 8:
      return 'write \\b';
    case 12:
      return 'write \\f';
    default:
      return `write \\u${c.toString(16).padStart(4, '0')}`;
  }
}

function where(text: string, offset: number): string {
  const { line, column } = lineColumnAt(text, offset);
  return `line ${line}, column ${column}`;
}

function fallbackError(text: string, e: unknown): JsonSyntaxError {
  const message = e instanceof Error ? e.message : String(e);
  return { kind: 'syntax', message, reason: message, offset: 0, length: Math.min(1, text.length), line: 1, column: 1 };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 102);
}

function isSimpleEscape(c: number): boolean {
  // " \ / b f n r t
  return c === 34 || c === 92 || c === 47 || c === 98 || c === 102 || c === 110 || c === 114 || c === 116;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95 || c === 36;
}
