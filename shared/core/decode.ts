/**
 * Decodes what a person pastes into a JOSE object: JWS compact, unsecured JWS, JWE compact (protected
 * header only), JWS JSON serialization (flattened and general) and JWE JSON serialization. No key is
 * involved: this is reading, not verifying. Every failure is located in the text as pasted.
 */
import { TokenError, type TokenErrorInfo, type TokenSegment } from './errors';
import { decodeJsonSerialization } from './json-serialization';
import {
  checkBase64url,
  decodeHeader,
  decodePayload,
  fail,
  info,
  jweToken,
  memberLocation,
  noteNonCanonical,
  requireAlg,
  spanOf,
  type PayloadMemo,
  type Piece,
  type State,
} from './parts';
import { isBarePrefix, unwrapToken } from './paste';
import { readDisclosure, resolveSdJwt, sdJwtNotes, type RawDisclosure } from './sd-jwt';
import type { DecodeResult, DecodedToken } from './token';

export { unwrapToken } from './paste';

export interface DecodeOptions {
  /**
   * Decodes of the texts this one replaces, newest first (an editor decodes at every keystroke, and a typo and
   * its Backspace bring a payload back): when the payload segment is the same text as one of theirs, its decoded
   * payload is reused, the same object, rather than decoded, parsed and located again. The result is the one a
   * fresh decode gives.
   */
  recent?: readonly DecodedToken[];
}

// Payloads of decodes made with `options`, by decode: collected with the decode (no size, no expiry to manage).
const payloadMemos = new WeakMap<DecodedToken, PayloadMemo>();

/** Decodes pasted text into a token, or says exactly what is wrong and where. Never throws. */
export function decodeToken(text: string, options?: DecodeOptions): DecodeResult {
  const state: State = { spans: [] };
  if (options) {
    state.reusePayload = [];
    for (const token of options.recent ?? []) {
      const memo = payloadMemos.get(token);
      if (memo) state.reusePayload.push(memo);
    }
  }
  try {
    const input = typeof text === 'string' ? text : String(text);
    const token = decode(input, state);
    if (state.payloadMemo) payloadMemos.set(token, state.payloadMemo);
    return { ok: true, token };
  } catch (e) {
    const error =
      e instanceof TokenError
        ? e.info
        : // A bug, not bad input: still a typed answer rather than an exception across the contract.
          info('unsupported-format', `Could not decode the token (internal error: ${String(e)})`, {
            segment: null,
            offset: null,
          });
    return {
      ok: false,
      error,
      spans: state.spans,
      ...(state.headerText !== undefined && { headerText: state.headerText }),
      ...(state.payloadText !== undefined && { payloadText: state.payloadText }),
    };
  }
}

function decode(input: string, state: State): DecodedToken {
  const { start, end } = unwrapToken(input);
  if (start >= end) {
    fail(
      'empty-input',
      input.length === 0
        ? 'Nothing to decode: the input is empty'
        : 'Nothing to decode: the input is only whitespace, quotes or a "Bearer" prefix',
      {
        segment: 'input',
        offset: null,
      },
    );
  }
  const token = input.slice(start, end);
  if (isBarePrefix(token)) {
    fail('empty-input', `Nothing to decode: only "${token}", no token after it`, {
      segment: 'input',
      offset: start,
      length: token.length,
    });
  }
  if (token.charCodeAt(0) === 123 /* { */) return decodeJsonSerialization(token, start, state);
  // An SD-JWT starts with a compact JWS; anything else with a '~' in it gets the compact reader's errors.
  const tilde = token.indexOf('~');
  return tilde > 0 && token.lastIndexOf('.', tilde) > 0 ? decodeSdJwt(token, start, state) : decodeCompact(token, start, state);
}

/**
 * An SD-JWT (RFC 9901): the issuer-signed JWT is decoded as any compact JWS, then each Disclosure and the
 * optional KB-JWT (shared/core/sd-jwt.ts places the Disclosures). The token stays the whole presentation.
 */
function decodeSdJwt(token: string, tokenOffset: number, state: State): DecodedToken {
  const parts = token.split('~');
  const issuerJwt = parts[0]!;
  const issuer = decodeCompact(issuerJwt, tokenOffset, state);
  if (issuer.kind !== 'jws') {
    fail('sd-jwt-invalid', `An SD-JWT's issuer-signed JWT must be a signed JWS (RFC 9901 §4), not ${issuer.kind === 'jwe' ? 'a JWE' : 'unsecured'}`, {
      segment: 'header',
      offset: tokenOffset,
      length: Math.max(1, issuerJwt.length),
    });
  }
  const spans = [...state.spans];
  const raw: RawDisclosure[] = [];
  const read: Array<{ salt: string; name: string | null; value: unknown }> = [];
  let offset = tokenOffset + issuerJwt.length + 1;
  for (let i = 1; i < parts.length - 1; i++) {
    const encoded = parts[i]!;
    const where = { segment: 'disclosure' as const, offset, length: Math.max(1, encoded.length) };
    if (encoded === '') fail('sd-jwt-invalid', `Disclosure ${i} is empty ('~~'): RFC 9901 §4 separates Disclosures by a single '~'`, where);
    const disclosure = readDisclosure(encoded);
    if (typeof disclosure === 'string') fail('sd-jwt-invalid', `Disclosure ${i} ${disclosure}`, where);
    spans.push({ segment: 'disclosure', start: offset, end: offset + encoded.length });
    raw.push({ encoded, offset });
    read.push(disclosure);
    offset += encoded.length + 1;
  }
  const last = parts[parts.length - 1]!;
  let keyBinding: DecodedToken | null = null;
  if (last !== '') {
    const kbState: State = { spans: [] };
    try {
      keyBinding = decodeCompact(last, offset, kbState);
    } catch (e) {
      if (!(e instanceof TokenError)) throw e;
      const why = e.info;
      fail('sd-jwt-invalid', `The key-binding JWT after the last '~' does not decode: ${why.message}`, {
        segment: 'key_binding',
        offset: why.offset ?? offset,
        length: why.length ?? Math.max(1, last.length),
      });
    }
    if (keyBinding.kind !== 'jws') {
      fail('sd-jwt-invalid', 'The key-binding JWT must be a signed JWS (RFC 9901 §4.3)', { segment: 'key_binding', offset, length: last.length });
    }
    spans.push({ segment: 'key_binding', start: offset, end: offset + last.length });
  }
  state.spans = spans;
  const sdJwt = resolveSdJwt(issuer.payload, issuerJwt, raw, read, keyBinding);
  return {
    ...issuer,
    token,
    spans,
    notes: [...issuer.notes, ...sdJwtNotes(sdJwt, tokenOffset, token.length)],
    sdJwt,
  };
}

const JWS_SEGMENTS: readonly TokenSegment[] = ['header', 'payload', 'signature'];
const JWE_SEGMENTS: readonly TokenSegment[] = ['header', 'encrypted_key', 'iv', 'ciphertext', 'tag'];

function decodeCompact(token: string, tokenOffset: number, state: State): DecodedToken {
  const dots: number[] = [];
  for (let i = token.indexOf('.'); i !== -1; i = token.indexOf('.', i + 1)) dots.push(i);
  const parts = dots.length + 1;
  if (parts !== 3 && parts !== 5) segmentCountFailure(token, tokenOffset, dots);

  const names = parts === 3 ? JWS_SEGMENTS : JWE_SEGMENTS;
  const pieces: Piece[] = [];
  let from = 0;
  for (let k = 0; k < parts; k++) {
    const to = k < dots.length ? dots[k]! : token.length;
    const segment = names[k]!;
    pieces.push({
      segment,
      text: token.slice(from, to),
      start: tokenOffset + from,
      exact: true,
      span: to - from,
      label: segment,
    });
    from = to + 1;
  }
  state.spans = pieces.map(spanOf);

  const headerPiece = pieces[0]!;
  const { header, text: headerText } = decodeHeader(headerPiece, state, true);
  requireAlg(header, () => memberLocation(headerPiece, headerText, 'alg'));

  if (parts === 5) {
    for (let k = 1; k < 5; k++) checkBase64url(pieces[k]!);
    const jwe = jweToken(token, tokenOffset, 'compact', state.spans, header, headerText);
    for (const piece of pieces) noteNonCanonical(piece, jwe.notes);
    return jwe;
  }

  const payloadPiece = pieces[1]!;
  const signaturePiece = pieces[2]!;
  const notes: TokenErrorInfo[] = [];
  const unencoded = header.b64 === false;
  const payload = decodePayload(payloadPiece, unencoded, state, notes);
  checkBase64url(signaturePiece);
  noteNonCanonical(headerPiece, notes);
  if (!unencoded) noteNonCanonical(payloadPiece, notes);
  noteNonCanonical(signaturePiece, notes);
  return {
    kind: header.alg === 'none' && signaturePiece.text === '' ? 'unsecured' : 'jws',
    serialization: 'compact',
    token,
    tokenOffset,
    spans: state.spans,
    header,
    headerText,
    ...payload,
    signature: signaturePiece.text,
    signatures: [{ protectedB64: headerPiece.text, header, unprotected: null, signatureB64: signaturePiece.text }],
    signingInput: token.slice(0, dots[1]),
    payloadSegment: payloadPiece.text,
    notes,
  };
}

function segmentCountFailure(token: string, tokenOffset: number, dots: number[]): never {
  const parts = dots.length + 1;
  const shape = 'a JWS has 3 parts (header.payload.signature), a JWE 5';
  if (dots.length === 0) {
    fail('segment-count', `The token has no '.': ${shape}`, {
      segment: 'input',
      offset: tokenOffset,
      length: token.length,
    });
  }
  if (parts < 3) {
    // The part after the last '.' is where the next '.' is missing.
    const dot = dots[dots.length - 1]!;
    fail(
      'segment-count',
      `The token has ${parts} parts: ${shape}. A part is missing after the '.' at offset ${tokenOffset + dot}` +
        " (an unsecured JWS still ends with '.')",
      { segment: 'input', offset: tokenOffset + dot, length: token.length - dot },
    );
  }
  // 4 parts: one too many for a JWS; 6 or more: too many for a JWE. Point at the first surplus '.'.
  const surplus = parts === 4 ? dots[2]! : dots[4]!;
  fail(
    'segment-count',
    `The token has ${parts} parts: ${shape}. The '.' at offset ${tokenOffset + surplus} starts part ${parts === 4 ? 4 : 6}`,
    { segment: 'input', offset: tokenOffset + surplus, length: token.length - surplus },
  );
}
