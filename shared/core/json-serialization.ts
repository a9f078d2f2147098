/**
 * The JSON serializations: JWS (RFC 7515 §7.2, flattened and general) and JWE (RFC 7516 §7.2). Shape
 * errors point at the offending member in the pasted JSON; the base64url members decode as in compact.
 */
import type { TokenErrorInfo, TokenErrorLocation, TokenSegment } from './errors';
import { formatJsonPath, indexJsonLocations, lineColumnAt, readJson, type JsonLocation } from './json';
import {
  checkBase64url,
  noteNonCanonical,
  decodeHeader,
  decodePayload,
  fail,
  formatValue,
  jweToken,
  memberLocation,
  requireAlg,
  spanOf,
  type Piece,
  type State,
} from './parts';
import type { DecodedToken, JwsSignatureEntry, SegmentSpan } from './token';

/** Reads members of the serialization object and locates them in the token text. */
class JsonSource {
  private readonly locations: Map<string, JsonLocation>;

  constructor(
    readonly token: string,
    readonly tokenOffset: number,
    readonly code: 'jws-json-invalid' | 'jwe-json-invalid',
  ) {
    // Depth 4 reaches `$.signatures[0].header.kid`.
    this.locations = indexJsonLocations(token, 4);
  }

  /** Location of the value at `path` (or of its member name with `name`). */
  at(path: readonly (string | number)[], name = false): TokenErrorLocation {
    const loc = this.locations.get(formatJsonPath(path));
    if (!loc) return { segment: 'input', offset: this.tokenOffset, length: Math.max(1, this.token.length) };
    const start = name && loc.nameStart !== null ? loc.nameStart : loc.valueStart;
    const end = name && loc.nameStart !== null ? this.token.indexOf(':', loc.nameStart) : loc.valueEnd;
    const { line, column } = lineColumnAt(this.token, start);
    return { segment: 'input', offset: this.tokenOffset + start, length: Math.max(1, end - start), line, column };
  }

  invalid(message: string, path: readonly (string | number)[], name = false): never {
    fail(this.code, message, this.at(path, name));
  }

  /** A base64url string member as a piece; its content maps 1:1 unless written with escapes. */
  piece(path: readonly (string | number)[], value: string, segment: TokenSegment): Piece {
    const loc = this.locations.get(formatJsonPath(path));
    const label = formatJsonPath(path, '').replace(/^\./, '');
    if (!loc) return { segment, text: value, start: this.tokenOffset, exact: false, span: this.token.length, label };
    const rawStart = loc.valueStart + 1;
    const rawEnd = loc.valueEnd - 1;
    const exact = rawEnd - rawStart === value.length && this.token.startsWith(value, rawStart);
    return { segment, text: value, start: this.tokenOffset + rawStart, exact, span: rawEnd - rawStart, label };
  }

  /** An optional string member; fails when present with another type. */
  optionalString(obj: Record<string, unknown>, key: string, base: readonly (string | number)[]): string | undefined {
    if (!Object.hasOwn(obj, key)) return undefined;
    const v = obj[key];
    if (typeof v !== 'string') {
      this.invalid(`${memberLabel([...base, key])} must be a string, not ${formatValue(v)}`, [...base, key]);
    }
    return v;
  }

  optionalObject(
    obj: Record<string, unknown>,
    key: string,
    base: readonly (string | number)[],
  ): Record<string, unknown> | undefined {
    if (!Object.hasOwn(obj, key)) return undefined;
    const v = obj[key];
    if (!isPlainObject(v)) {
      this.invalid(`${memberLabel([...base, key])} must be a JSON object, not ${formatValue(v)}`, [...base, key]);
    }
    return v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function memberLabel(path: readonly (string | number)[]): string {
  return `'${formatJsonPath(path, '').replace(/^\./, '')}'`;
}

/** Decodes a token whose text starts with `{`. */
export function decodeJsonSerialization(token: string, tokenOffset: number, state: State): DecodedToken {
  const read = readJson(token);
  if (!read.ok) {
    const e = read.error;
    const [code, what] =
      e.kind === 'too-deep'
        ? (['json-too-deep', 'The JSON serialization is nested too deeply'] as const)
        : (['json-syntax', 'The token looks like a JSON serialization but is not valid JSON'] as const);
    fail(code, `${what}: ${e.message}`, {
      segment: 'input',
      offset: tokenOffset + Math.min(e.offset, token.length - 1),
      length: Math.max(1, e.length),
      line: e.line,
      column: e.column,
    });
  }
  const dup = read.duplicates[0];
  if (dup !== undefined) {
    const { line, column } = lineColumnAt(token, dup.offset);
    fail(
      'duplicate-member',
      `The JSON serialization has the member "${dup.name}" twice in ${formatJsonPath(dup.path)} (line ${line}, column ${column}): ` +
        'names must be unique (RFC 7515 §5.2); parsers disagree on which value wins',
      { segment: 'input', offset: tokenOffset + dup.offset, length: dup.length, line, column },
    );
  }
  const obj = read.value as Record<string, unknown>; // '{' first, valid JSON: an object
  if (Object.hasOwn(obj, 'ciphertext')) {
    return decodeJweJson(obj, new JsonSource(token, tokenOffset, 'jwe-json-invalid'), state);
  }
  if (Object.hasOwn(obj, 'signatures') || Object.hasOwn(obj, 'signature')) {
    return decodeJwsJson(obj, new JsonSource(token, tokenOffset, 'jws-json-invalid'), state);
  }
  // A token response or a cookie jar pasted whole: point at the member that holds a compact token.
  const holder = Object.keys(obj).find((k) => typeof obj[k] === 'string' && COMPACT.test(obj[k] as string));
  if (holder !== undefined) {
    const src = new JsonSource(token, tokenOffset, 'jws-json-invalid');
    src.invalid(
      `This JSON object is not a JWS or JWE JSON serialization, but its member "${holder}" holds a compact token: paste that value`,
      [holder],
    );
  }
  const { line, column } = lineColumnAt(token, 0);
  fail(
    'jws-json-invalid',
    "This JSON object is not a JWS or JWE JSON serialization: it has no 'signatures', 'signature' or 'ciphertext' member" +
      ' (a bare claims set or header is not a token)',
    { segment: 'input', offset: tokenOffset, length: token.length, line, column },
  );
}

/** A compact JWS or JWE: `eyJ…` and 3 or 5 base64url parts. */
const COMPACT = /^eyJ[\w-]*(?:\.[\w-]*){2}(?:(?:\.[\w-]*){2})?$/;

/** Joins protected and unprotected header members, which must be disjoint (RFC 7515 §7.2.1). */
function joinHeaders(
  src: JsonSource,
  parts: ReadonlyArray<{ header: Record<string, unknown> | undefined; path: readonly (string | number)[] }>,
): Record<string, unknown> {
  const joined: Record<string, unknown> = {};
  const origin = new Map<string, readonly (string | number)[]>();
  for (const { header, path } of parts) {
    if (!header) continue;
    for (const key of Object.keys(header)) {
      const before = origin.get(key);
      if (before) {
        src.invalid(
          `The header parameter "${key}" is in both ${memberLabel(before)} and ${memberLabel(path)}: they must be disjoint (RFC 7515 §7.2.1)`,
          [...path, key],
          true,
        );
      }
      origin.set(key, path);
      // defineProperty rather than assignment: a "__proto__" member stays a plain member.
      Object.defineProperty(joined, key, { value: header[key], enumerable: true, writable: true, configurable: true });
    }
  }
  return joined;
}

/** One element of a general JSON syntax's list, with its path. */
type JsonEntry = { base: (string | number)[]; member: Record<string, unknown> };

/**
 * The elements of a general JSON syntax's list (a JWS's `signatures`, a JWE's `recipients`): a non-empty
 * array of objects, with the members that belong inside each element not beside the list.
 */
function generalEntries(
  obj: Record<string, unknown>,
  src: JsonSource,
  list: 'signatures' | 'recipients',
  perEntry: readonly string[],
  syntax: 'JWS' | 'JWE',
  rfc: string,
): JsonEntry[] {
  for (const key of perEntry) {
    if (Object.hasOwn(obj, key)) {
      src.invalid(`In the general ${syntax} JSON syntax '${key}' belongs inside each element of '${list}' (${rfc})`, [key], true);
    }
  }
  const value = obj[list];
  if (!Array.isArray(value) || value.length === 0) {
    src.invalid(`'${list}' must be a non-empty array, not ${Array.isArray(value) ? 'an empty array' : formatValue(value)} (${rfc})`, [list]);
  }
  return value.map((member: unknown, i: number) => {
    if (!isPlainObject(member)) {
      src.invalid(`'${list}[${i}]' must be a JSON object, not ${formatValue(member)}`, [list, i]);
    }
    return { base: [list, i], member };
  });
}

function decodeJwsJson(obj: Record<string, unknown>, src: JsonSource, state: State): DecodedToken {
  const general = Object.hasOwn(obj, 'signatures');
  let entries: JsonEntry[];
  if (general) {
    if (Object.hasOwn(obj, 'signature')) {
      src.invalid(
        "The JWS JSON has both 'signatures' (general syntax) and 'signature' (flattened syntax) (RFC 7515 §7.2)",
        ['signature'],
        true,
      );
    }
    entries = generalEntries(obj, src, 'signatures', ['protected', 'header'], 'JWS', 'RFC 7515 §7.2.1');
  } else {
    entries = [{ base: [], member: obj }];
  }

  const payloadValue = src.optionalString(obj, 'payload', []);
  const signatures: JwsSignatureEntry[] = [];
  const encodedPieces: Piece[] = [];
  let first: {
    header: Record<string, unknown>;
    headerText: string;
    protectedPiece: Piece | null;
    signaturePiece: Piece;
  } | null = null;

  for (const { base, member } of entries) {
    const protectedB64 = src.optionalString(member, 'protected', base);
    const unprotected = src.optionalObject(member, 'header', base);
    if (!Object.hasOwn(member, 'signature')) {
      src.invalid(`${memberLabel(base.length ? base : ['(root)'])} has no 'signature' member (RFC 7515 §7.2)`, base);
    }
    const signatureB64 = src.optionalString(member, 'signature', base)!;
    const signaturePiece = src.piece([...base, 'signature'], signatureB64, 'signature');
    if (protectedB64 === undefined && unprotected === undefined) {
      src.invalid(
        `${base.length ? memberLabel(base) : 'The JWS JSON'} has neither 'protected' nor 'header': its algorithm is unknown (RFC 7515 §7.2.1)`,
        base.length ? base : ['signature'],
        !base.length,
      );
    }
    let protectedHeader: Record<string, unknown> | null = null;
    let protectedText = '';
    let protectedPiece: Piece | null = null;
    if (protectedB64 !== undefined) {
      protectedPiece = src.piece([...base, 'protected'], protectedB64, 'header');
      if (protectedB64 === '') {
        src.invalid(
          `${memberLabel([...base, 'protected'])} is empty: omit it when there is no protected header (RFC 7515 §7.2.1)`,
          [...base, 'protected'],
        );
      }
      if (first === null) state.spans = [spanOf(protectedPiece)];
      const decoded = decodeHeader(protectedPiece, state, first === null);
      protectedHeader = decoded.header;
      protectedText = decoded.text;
    }
    const header = joinHeaders(src, [
      { header: protectedHeader ?? undefined, path: [...base, 'protected'] },
      { header: unprotected, path: [...base, 'header'] },
    ]);
    requireAlg(header, () =>
      protectedPiece && protectedHeader && Object.hasOwn(protectedHeader, 'alg')
        ? memberLocation(protectedPiece, protectedText, 'alg')
        : unprotected && Object.hasOwn(unprotected, 'alg')
          ? src.at([...base, 'header', 'alg'])
          : src.at(base),
    );
    checkBase64url(signaturePiece);
    if (protectedPiece) encodedPieces.push(protectedPiece);
    encodedPieces.push(signaturePiece);
    signatures.push({
      protectedB64: protectedB64 ?? '',
      header: protectedHeader,
      unprotected: unprotected ?? null,
      signatureB64,
    });
    if (first === null) first = { header, headerText: protectedText, protectedPiece, signaturePiece };
  }
  const head = first!;

  const notes: TokenErrorInfo[] = [];
  const payloadPiece: Piece =
    payloadValue === undefined
      ? { segment: 'payload', text: '', start: src.tokenOffset, exact: false, span: src.token.length, label: 'payload' }
      : src.piece(['payload'], payloadValue, 'payload');
  const spans: SegmentSpan[] = [];
  if (head.protectedPiece) spans.push(spanOf(head.protectedPiece));
  if (payloadValue !== undefined) spans.push(spanOf(payloadPiece));
  spans.push(spanOf(head.signaturePiece));
  state.spans = spans;

  // "b64" must be protected (RFC 7797 §3); the first signature's protected header decides.
  const unencoded = signatures[0]!.header?.b64 === false;
  const payload = decodePayload(payloadPiece, unencoded, state, notes);
  if (!unencoded && payloadValue !== undefined) encodedPieces.push(payloadPiece);
  for (const piece of encodedPieces) noteNonCanonical(piece, notes);
  const signature = signatures[0]!.signatureB64;
  return {
    kind: head.header.alg === 'none' && signature === '' ? 'unsecured' : 'jws',
    serialization: general ? 'json-general' : 'json-flattened',
    token: src.token,
    tokenOffset: src.tokenOffset,
    spans,
    header: head.header,
    headerText: head.headerText,
    ...payload,
    signature,
    signatures,
    signingInput: `${signatures[0]!.protectedB64}.${payloadValue ?? ''}`,
    payloadSegment: payloadValue ?? '',
    notes,
  };
}

function decodeJweJson(obj: Record<string, unknown>, src: JsonSource, state: State): DecodedToken {
  const general = Object.hasOwn(obj, 'recipients');
  let recipient: JsonEntry;
  if (general) {
    recipient = generalEntries(obj, src, 'recipients', ['header', 'encrypted_key'], 'JWE', 'RFC 7516 §7.2.1')[0]!;
  } else {
    recipient = { base: [], member: obj };
  }

  const protectedB64 = src.optionalString(obj, 'protected', []);
  const unprotected = src.optionalObject(obj, 'unprotected', []);
  const perRecipient = src.optionalObject(recipient.member, 'header', recipient.base);
  const spans: SegmentSpan[] = [];
  let protectedHeader: Record<string, unknown> | undefined;
  let headerText = '';
  if (protectedB64 !== undefined) {
    const piece = src.piece(['protected'], protectedB64, 'header');
    spans.push(spanOf(piece));
    state.spans = spans;
    const decoded = decodeHeader(piece, state, true);
    protectedHeader = decoded.header;
    headerText = decoded.text;
  }
  const pieces: [string, (string | number)[], TokenSegment, boolean][] = [
    ['encrypted_key', recipient.base, 'encrypted_key', false],
    ['iv', [], 'iv', false],
    ['ciphertext', [], 'ciphertext', true],
    ['tag', [], 'tag', false],
  ];
  for (const [key, base, segment, required] of pieces) {
    const owner = base.length ? recipient.member : obj;
    const value = src.optionalString(owner, key, base);
    if (value === undefined) {
      if (required) src.invalid(`The JWE JSON has no '${key}' (RFC 7516 §7.2.1)`, []);
      continue;
    }
    const piece = src.piece([...base, key], value, segment);
    spans.push(spanOf(piece));
    checkBase64url(piece);
  }
  const aad = src.optionalString(obj, 'aad', []);
  if (aad !== undefined) checkBase64url(src.piece(['aad'], aad, 'input'));
  state.spans = spans;

  if (protectedHeader === undefined && unprotected === undefined && perRecipient === undefined) {
    src.invalid(
      "The JWE JSON has no 'protected', 'unprotected' or recipient 'header': its algorithms are unknown (RFC 7516 §7.2.1)",
      [],
    );
  }
  const header = joinHeaders(src, [
    { header: protectedHeader, path: ['protected'] },
    { header: unprotected, path: ['unprotected'] },
    { header: perRecipient, path: [...recipient.base, 'header'] },
  ]);
  requireAlg(header, () => src.at([]));
  return jweToken(src.token, src.tokenOffset, general ? 'json-general' : 'json-flattened', spans, header, headerText);
}
