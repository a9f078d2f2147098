/**
 * The parts of a token and where they sit: base64url runs ("pieces") mapped back onto the pasted text,
 * and the decoding of a protected header and of a payload. Shared by the compact and the JSON
 * serializations (decode.ts, json-serialization.ts).
 */
import { decodeBase64url, findBase64urlProblem, isNonCanonicalBase64url, utf8Bytes, utf8OrNull } from './base64url';
import { TokenError, type TokenErrorCode, type TokenErrorInfo, type TokenErrorLocation, type TokenSegment } from './errors';
import { codePointLabel, formatJsonPath, lineColumnAt, locateJsonPath, readJson, type JsonSyntaxError } from './json';
import { isSpace } from './paste';
import { NUMERIC_DATE_CLAIMS, isNumericDate } from './time';
import type { DecodedToken, DuplicateMember, SegmentSpan, Serialization } from './token';

/** What a decode has learnt so far: kept for the failure result (spans, texts already decoded). */
export interface State {
  spans: SegmentSpan[];
  headerText?: string;
  payloadText?: string;
  /**
   * Recent decodes' payloads, one reused when this payload segment is the very same text (decodeToken's `recent`).
   * Undefined: the caller did not ask, and nothing is recorded.
   */
  reusePayload?: PayloadMemo[];
  /** This decode's payload, for a later decode to reuse (recorded only when the caller passed `recent`). */
  payloadMemo?: PayloadMemo;
}

/**
 * A decoded payload segment, kept with the decode it belongs to: a keystroke in the header or the signature of a
 * 100 KB token leaves the payload's text as it was, and decoding, parsing and locating it again is most of the
 * keystroke's cost. Notes are kept relative to the segment's first character; the parsed payload object is shared,
 * so what reads it (lint, the panes) sees the same object and can skip work of its own.
 */
export interface PayloadMemo {
  readonly text: string;
  readonly unencoded: boolean;
  readonly part: PayloadPart;
  readonly notes: readonly TokenErrorInfo[];
}

/** A run of the token that decodes to bytes, and where its characters sit in the pasted text. */
export interface Piece {
  segment: TokenSegment;
  /** The encoded characters (base64url; the payload itself when `b64` is false, RFC 7797). */
  text: string;
  /** Pasted offset of text[0]. */
  start: number;
  /** False for a JSON string written with escapes: offsets inside it do not map 1:1. */
  exact: boolean;
  /** Characters the piece spans in the pasted text. */
  span: number;
  /** For messages: `header`, `signatures[1].protected`. */
  label: string;
}


export function info(code: TokenErrorCode, message: string, where: TokenErrorLocation): TokenErrorInfo {
  const out: TokenErrorInfo = { code, message, segment: where.segment, offset: where.offset };
  if (where.length !== undefined) out.length = where.length;
  if (where.line !== undefined) {
    out.line = where.line;
    out.column = where.column ?? 1;
  }
  return out;
}

export function fail(code: TokenErrorCode, message: string, where: TokenErrorLocation): never {
  // The decoder throws to unwind to its caller, which keeps the info; the stack is never read, and capturing it
  // was a third of a refused keystroke's decode in the editor.
  const v8 = Error as ErrorConstructor & { stackTraceLimit?: number };
  const limit = v8.stackTraceLimit;
  if (typeof limit !== 'number') throw new TokenError(info(code, message, where));
  v8.stackTraceLimit = 0;
  let error: TokenError;
  try {
    error = new TokenError(info(code, message, where));
  } finally {
    v8.stackTraceLimit = limit;
  }
  throw error;
}

/** Location of `length` characters at `index` inside a piece. */
function pieceLocation(piece: Piece, index: number, length = 1): TokenErrorLocation {
  if (!piece.exact) return { segment: piece.segment, offset: piece.start, length: Math.max(1, piece.span) };
  const at = Math.max(0, Math.min(index, piece.span - 1));
  return {
    segment: piece.segment,
    offset: piece.start + at,
    length: Math.max(1, Math.min(length, piece.span - at)),
  };
}

/** The segment span of a piece, for DecodedToken.spans. */
export function spanOf(piece: Piece): SegmentSpan {
  return { segment: piece.segment, start: piece.start, end: piece.start + piece.span };
}

export function wholePiece(piece: Piece): TokenErrorLocation {
  return piece.span > 0
    ? { segment: piece.segment, offset: piece.start, length: piece.span }
    : { segment: piece.segment, offset: piece.start, length: 1 };
}

/**
 * Location of [textStart, textEnd) of `text`, the decoded form of `piece`, mapped back onto the
 * encoded characters (4 base64url characters carry 3 bytes), with line/column inside `text`.
 */
export function textLocation(
  piece: Piece,
  text: string,
  textStart: number,
  textEnd: number,
  raw: boolean,
): TokenErrorLocation {
  const { line, column } = lineColumnAt(text, textStart);
  let first: number;
  let last: number;
  if (raw) {
    first = textStart;
    last = Math.max(textEnd, textStart + 1);
  } else {
    const byteStart = utf8Length(text, 0, textStart);
    const byteEnd = byteStart + Math.max(1, utf8Length(text, textStart, textEnd));
    first = Math.floor((byteStart * 4) / 3);
    last = Math.ceil((byteEnd * 4) / 3);
  }
  return { ...pieceLocation(piece, first, last - first), line, column };
}

function utf8Length(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

function byteLocation(piece: Piece, byteIndex: number): TokenErrorLocation {
  const first = Math.floor((byteIndex * 4) / 3);
  const last = Math.ceil(((byteIndex + 1) * 4) / 3);
  return pieceLocation(piece, first, last - first);
}

const SEGMENT_NAMES: Record<TokenSegment, string> = {
  input: 'The input',
  header: 'The header',
  payload: 'The payload',
  signature: 'The signature',
  encrypted_key: 'The encrypted key',
  iv: 'The IV',
  ciphertext: 'The ciphertext',
  tag: 'The authentication tag',
  disclosure: 'The Disclosure',
  key_binding: 'The key-binding JWT',
};

function describe(piece: Piece): string {
  return piece.label === piece.segment ? SEGMENT_NAMES[piece.segment] : `'${piece.label}'`;
}

/** Fails with the first reason `piece` is not unpadded base64url. */
export function checkBase64url(piece: Piece): void {
  const problem = findBase64urlProblem(piece.text);
  if (problem === null) return;
  const what = describe(piece);
  switch (problem.kind) {
    case 'invalid-char': {
      const cp = problem.char.codePointAt(0) ?? 0;
      const at = piece.start + problem.index;
      const hint =
        cp === 43 || cp === 47
          ? "this is standard base64: JOSE uses base64url ('-' for '+', '_' for '/', RFC 7515 §2)"
          : isSpace(cp)
            ? 'a space or line break inside the token (was it wrapped when copied?)'
            : 'base64url uses only A-Z a-z 0-9 - _ (RFC 7515 §2)';
      fail(
        'base64url-invalid-char',
        `${what} has ${codePointLabel(cp)} at offset ${at}: ${hint}`,
        pieceLocation(piece, problem.index, problem.char.length),
      );
    }
    case 'padding': {
      let count = 0;
      while (piece.text.charCodeAt(problem.index + count) === 61) count++;
      fail(
        'base64url-padding',
        `${what} has '=' padding at offset ${piece.start + problem.index}: JOSE base64url has no padding (RFC 7515 §2)`,
        pieceLocation(piece, problem.index, count),
      );
    }
    case 'length':
      fail(
        'base64url-length',
        `${what} is ${piece.text.length} characters long: base64url text of length 4n+1 is impossible (a character is missing or extra)`,
        pieceLocation(piece, problem.index, 1),
      );
  }
}

/**
 * Notes a base64url piece whose last character has non-zero unused bits. Decoding ignores them, so it is a
 * note, not a failure; verification refuses such a token (`base64url-noncanonical`).
 */
export function noteNonCanonical(piece: Piece, notes: TokenErrorInfo[]): void {
  if (!isNonCanonicalBase64url(piece.text)) return;
  notes.push(
    info(
      'base64url-noncanonical',
      `${describe(piece)} ends in a character whose unused low bits are not zero: the canonical encoding of the same bytes differs (RFC 4648 §3.5), so the token can be altered without changing what it decodes to; strict verifiers refuse it`,
      pieceLocation(piece, piece.text.length - 1, 1),
    ),
  );
}

function decodeBytes(piece: Piece): Uint8Array {
  const bytes = decodeBase64url(piece.text);
  if (bytes !== null) return bytes;
  checkBase64url(piece);
  // Unreachable: decodeBase64url fails only for what checkBase64url reports.
  return fail('unsupported-format', `${describe(piece)} is not base64url`, wholePiece(piece));
}

/** Index of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    if (i + need >= n) return i;
    const second = bytes[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k]!;
      if (c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Decodes a protected header: base64url → UTF-8 → JSON object without duplicate names. */
export function decodeHeader(piece: Piece, state: State, first: boolean): { header: Record<string, unknown>; text: string } {
  const what = describe(piece);
  if (piece.text === '') {
    fail('segment-empty', `${what} is empty: a JOSE header is required (RFC 7515 §5.2)`, wholePiece(piece));
  }
  const bytes = decodeBytes(piece);
  const text = utf8OrNull(bytes);
  if (text === null) {
    const bad = firstInvalidUtf8(bytes);
    fail(
      'utf8-invalid',
      `${what} is not UTF-8 text: byte ${bad} (0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}) starts an invalid sequence (RFC 7515 §5.2)`,
      byteLocation(piece, Math.max(0, bad)),
    );
  }
  if (first) state.headerText = text;
  const read = readJson(text);
  if (!read.ok) {
    if (read.error.kind === 'too-deep') failTooDeep(piece, text, read.error, false);
    fail('json-syntax', `${what} is not valid JSON: ${read.error.message}`, jsonErrorLocation(piece, text, read.error));
  }
  const value = read.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(
      'header-not-object',
      `${what} is JSON but not an object (it is ${jsonKind(value)}): a JOSE header is a JSON object (RFC 7515 §4)`,
      wholePiece(piece),
    );
  }
  const dup = read.duplicates[0];
  if (dup !== undefined) {
    const at = lineColumnAt(text, dup.offset);
    const firstAt = lineColumnAt(text, dup.firstOffset);
    const kept = formatValue(valueAt(value, [...dup.path, dup.name]));
    fail(
      'duplicate-member',
      `${what} has the member "${dup.name}" twice in ${formatJsonPath(dup.path)} (line ${firstAt.line}, column ${firstAt.column} and line ${at.line}, column ${at.column}): ` +
        `names must be unique (RFC 7515 §5.2); JSON.parse would silently keep the last value, ${kept}`,
      textLocation(piece, text, dup.offset, dup.offset + dup.length, false),
    );
  }
  return { header: value as Record<string, unknown>, text };
}

/**
 * A header or payload nested beyond MAX_JSON_DEPTH. Refused even for a payload (where broken JSON is only
 * a note): it is valid JSON, but printing, cloning or linting a value that deep would overflow the stack.
 */
function failTooDeep(piece: Piece, text: string, error: JsonSyntaxError, raw: boolean): never {
  fail(
    'json-too-deep',
    `${describe(piece)} is JSON nested too deeply: ${error.message}`,
    textLocation(piece, text, error.offset, error.offset + 1, raw),
  );
}

function jsonErrorLocation(piece: Piece, text: string, error: JsonSyntaxError): TokenErrorLocation {
  const loc = textLocation(piece, text, error.offset, error.offset + Math.max(1, error.length), false);
  return { ...loc, line: error.line, column: error.column };
}

/** `alg` must be a non-empty string (RFC 7515 §4.1.1, RFC 7516 §4.1.1); `locate` finds where to point. */
export function requireAlg(header: Record<string, unknown>, locate: () => TokenErrorLocation): void {
  const alg = header.alg;
  if (typeof alg === 'string' && alg !== '') return;
  const where = locate();
  if (alg === undefined) {
    fail(
      'header-alg-missing',
      'The header has no "alg": every JWS and JWE names its algorithm (RFC 7515 §4.1.1)',
      where,
    );
  }
  fail(
    'header-alg-missing',
    `The header "alg" must be a non-empty string, not ${formatValue(alg)} (RFC 7515 §4.1.1)`,
    where,
  );
}

/** Location of a member's value inside a decoded header, or the whole piece. */
export function memberLocation(piece: Piece, text: string, name: string): TokenErrorLocation {
  const loc = locateJsonPath(text, [name]);
  return loc ? textLocation(piece, text, loc.valueStart, loc.valueEnd, false) : wholePiece(piece);
}

export interface PayloadPart {
  payload: unknown;
  payloadIsJson: boolean;
  payloadText: string | null;
  payloadBytes: Uint8Array;
  duplicates: DuplicateMember[];
}

/** Decodes a JWS payload. It may be any bytes: not being JSON or UTF-8 is a note, not a failure. */
export function decodePayload(piece: Piece, unencoded: boolean, state: State, notes: TokenErrorInfo[]): PayloadPart {
  // Only an exact piece (a compact segment, an unescaped JSON string) maps its offsets by a plain shift.
  const reuse = piece.exact ? state.reusePayload?.find((memo) => memo.unencoded === unencoded && memo.text === piece.text) : undefined;
  if (reuse) {
    for (const note of reuse.notes) notes.push(note.offset === null ? note : { ...note, offset: note.offset + piece.start });
    if (reuse.part.payloadText !== null) state.payloadText = reuse.part.payloadText;
    state.payloadMemo = reuse;
    return reuse.part;
  }
  const first = notes.length;
  const part = readPayload(piece, unencoded, state, notes);
  if (piece.exact && state.reusePayload !== undefined) {
    const relative = notes.slice(first).map((note) => (note.offset === null ? note : { ...note, offset: note.offset - piece.start }));
    state.payloadMemo = { text: piece.text, unencoded, part, notes: relative };
  }
  return part;
}

function readPayload(piece: Piece, unencoded: boolean, state: State, notes: TokenErrorInfo[]): PayloadPart {
  const out: PayloadPart = {
    payload: null,
    payloadIsJson: false,
    payloadText: null,
    payloadBytes: EMPTY,
    duplicates: [],
  };
  if (piece.text === '') {
    out.payloadText = '';
    state.payloadText = '';
    notes.push(
      info(
        'payload-detached',
        'The payload is empty: detached content (RFC 7515 Appendix F); verification needs the payload supplied separately',
        wholePiece(piece),
      ),
    );
    return out;
  }
  let text: string | null;
  if (unencoded) {
    // RFC 7797 "b64": false — the payload travels as is, not base64url-encoded.
    text = piece.text;
    out.payloadBytes = utf8Bytes(text);
  } else {
    const bytes = decodeBytes(piece);
    out.payloadBytes = bytes;
    text = utf8OrNull(bytes);
    if (text === null) {
      const bad = firstInvalidUtf8(bytes);
      notes.push(
        info(
          'payload-not-utf8',
          `The payload is ${bytes.length} bytes that are not UTF-8 text (byte ${bad} starts an invalid sequence): shown as bytes`,
          byteLocation(piece, Math.max(0, bad)),
        ),
      );
      return out;
    }
  }
  out.payloadText = text;
  state.payloadText = text;

  const lead = firstNonSpace(text);
  if (!mayBeJson(lead)) {
    notes.push(
      info(
        'payload-not-json',
        'The payload is not JSON: shown as text (a JWS payload may be any bytes)',
        wholePiece(piece),
      ),
    );
    return out;
  }
  const read = readJson(text);
  if (!read.ok) {
    if (read.error.kind === 'too-deep') failTooDeep(piece, text, read.error, unencoded);
    const structured = lead === 123 || lead === 91; // '{' '[': meant to be JSON, so say where it breaks
    notes.push(
      structured
        ? info(
            'payload-not-json',
            `The payload is not valid JSON: ${read.error.message}; shown as text`,
            textLocation(piece, text, read.error.offset, read.error.offset + Math.max(1, read.error.length), unencoded),
          )
        : info(
            'payload-not-json',
            'The payload is not JSON: shown as text (a JWS payload may be any bytes)',
            wholePiece(piece),
          ),
    );
    return out;
  }
  out.payload = read.value;
  out.payloadIsJson = true;
  for (const dup of read.duplicates) {
    const path = formatJsonPath(dup.path);
    out.duplicates.push({
      segment: 'payload',
      path,
      pathSegments: dup.path,
      name: dup.name,
      textOffset: dup.offset,
      firstTextOffset: dup.firstOffset,
    });
    const at = lineColumnAt(text, dup.offset);
    const firstAt = lineColumnAt(text, dup.firstOffset);
    notes.push(
      info(
        'duplicate-member',
        `The payload has the member "${dup.name}" twice in ${path} (line ${firstAt.line}, column ${firstAt.column} and line ${at.line}, column ${at.column}): ` +
          'claim names must be unique (RFC 7519 §4); parsers disagree on which value wins',
        textLocation(piece, text, dup.offset, dup.offset + dup.length, unencoded),
      ),
    );
  }
  if (read.value !== null && typeof read.value === 'object' && !Array.isArray(read.value)) {
    checkNumericDates(read.value as Record<string, unknown>, text, piece, unencoded, notes);
  }
  return out;
}

function checkNumericDates(
  claims: Record<string, unknown>,
  text: string,
  piece: Piece,
  raw: boolean,
  notes: TokenErrorInfo[],
): void {
  for (const name of NUMERIC_DATE_CLAIMS) {
    if (!Object.hasOwn(claims, name)) continue;
    const value = claims[name];
    if (isNumericDate(value)) continue;
    const loc = locateJsonPath(text, [name]);
    const where = loc ? textLocation(piece, text, loc.valueStart, loc.valueEnd, raw) : wholePiece(piece);
    notes.push(
      info(
        'numeric-date-invalid',
        `"${name}" must be a NumericDate (a number of seconds since 1970, RFC 7519 §2), not ${formatValue(value)}`,
        where,
      ),
    );
  }
}

const EMPTY = new Uint8Array(0);

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

function mayBeJson(c: number): boolean {
  // { [ " - 0-9 t f n
  return c === 123 || c === 91 || c === 34 || c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110;
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A short rendering of a JSON value for messages. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  return `${typeof value} ${String(value)}`;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

export function jweToken(
  token: string,
  tokenOffset: number,
  serialization: Serialization,
  spans: SegmentSpan[],
  header: Record<string, unknown>,
  headerText: string,
): DecodedToken {
  return {
    kind: 'jwe',
    serialization,
    token,
    tokenOffset,
    spans,
    header,
    headerText,
    payload: null,
    payloadIsJson: false,
    payloadText: null,
    payloadBytes: EMPTY,
    signature: '',
    signatures: [],
    signingInput: '',
    payloadSegment: '',
    duplicates: [],
    notes: [],
  };
}
