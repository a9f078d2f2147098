/**
 * Turning edited Header / Payload text into a new compact token, without a key: the pure half of
 * re-signing. The text is encoded exactly as typed (spacing, member order, `1.0`), as the host's signer
 * and `jwtdbg sign` do, so the new token decodes back to the panes' text byte for byte. It must still
 * be JSON (an object for the header) to make a JWT: what cannot be built is a located error for the editor.
 */
import { encodeBase64urlText } from '../../../shared/core/base64url';
import { readJson } from '../../../shared/core/json';
import type { DecodedToken } from '../../../shared/core/token';
import { hexDump } from '../format';

export const PAYLOAD_HEX_PREVIEW_BYTES = 1024;

export interface DraftError {
  pane: 'header' | 'payload';
  message: string;
  /** Offset in that pane's text, and how many characters the problem spans. */
  offset: number;
  length: number;
}

export interface ComposedToken {
  /** The header and payload text exactly as typed: what the token carries and the host signs. */
  headerText: string;
  payloadText: string;
  alg: string | null;
  /** `header.payload.` with the original signature appended: what the edit yields before any re-signing. */
  unsigned: string;
  /**
   * What follows the signed JWT: an SD-JWT's `~Disclosure~…~` (RFC 9901), kept so an edited issuer JWT still
   * carries them. A KB-JWT is dropped: its sd_hash covers the old issuer JWT and could not match. '' otherwise.
   */
  suffix: string;
}

export type ComposeResult = { ok: true; value: ComposedToken } | { ok: false; error: DraftError };

/** The payload's bytes when they are not UTF-8 text (the panes show a hex dump of them), else null. */
export function binaryPayload(token: DecodedToken): Uint8Array | null {
  return token.kind !== 'jwe' && token.payloadText === null ? token.payloadBytes : null;
}

/**
 * Header and payload text as the panes show them for a loaded token: its JSON pretty-printed, which reads
 * better than a compact token's own bytes. Once the user edits a pane the token carries exactly the panes'
 * text, and the panes are never re-printed under them (the token slice keeps them while it re-encodes).
 */
export function paneTexts(token: DecodedToken): { headerText: string; payloadText: string; payloadEditable: boolean } {
  const headerText = JSON.stringify(token.header, null, 2);
  if (token.kind === 'jwe') return { headerText, payloadText: '', payloadEditable: false };
  if (token.payloadIsJson) return { headerText, payloadText: JSON.stringify(token.payload, null, 2), payloadEditable: true };
  if (token.payloadText !== null) return { headerText, payloadText: token.payloadText, payloadEditable: true };
  // A preview: 1 KB of bytes is 64 lines, several panes full. A keystroke that breaks a large payload's UTF-8
  // lays this text out (16 KB of it cost more than the rest of such a keystroke); the rest on request.
  return { headerText, payloadText: hexDump(token.payloadBytes, PAYLOAD_HEX_PREVIEW_BYTES), payloadEditable: false };
}

export function composeToken(base: DecodedToken, headerText: string, payloadText: string): ComposeResult {
  const header = readJson(headerText);
  if (!header.ok) return { ok: false, error: located('header', 'Header is not valid JSON', header.error) };
  if (typeof header.value !== 'object' || header.value === null || Array.isArray(header.value)) {
    return { ok: false, error: { pane: 'header', message: 'The header must be a JSON object', offset: 0, length: Math.max(1, headerText.length) } };
  }
  // The text is sent as typed, so a repeated member is not resolved away: decode would refuse the token.
  const duplicate = header.duplicates[0];
  if (duplicate) {
    return { ok: false, error: { pane: 'header', message: `The header has the member "${duplicate.name}" twice: names must be unique (RFC 7515 §5.2)`, offset: duplicate.offset, length: Math.max(1, duplicate.length) } };
  }
  if (binaryPayload(base)) {
    // The panes hold a hex dump of such a payload, and the signer takes the payload as text.
    return { ok: false, error: { pane: 'header', message: 'The payload is not UTF-8 text: this token cannot be re-encoded from the panes', offset: 0, length: Math.max(1, headerText.length) } };
  }
  // A payload that was text, not JSON, stays text; a JSON payload must stay JSON.
  if (base.kind === 'jwe' || base.payloadIsJson || base.payloadText === null) {
    const payload = readJson(payloadText);
    if (!payload.ok) return { ok: false, error: located('payload', 'Payload is not valid JSON', payload.error) };
  }
  const headerOut = headerText;
  const payloadOut = payloadText;
  const alg = (header.value as Record<string, unknown>).alg;
  const signature = alg === 'none' ? '' : base.signature;
  const suffix = base.sdJwt ? `~${base.sdJwt.disclosures.map((d) => `${d.encoded}~`).join('')}` : '';
  return {
    ok: true,
    value: {
      headerText: headerOut,
      payloadText: payloadOut,
      alg: typeof alg === 'string' ? alg : null,
      unsigned: `${encodeBase64urlText(headerOut)}.${encodeBase64urlText(payloadOut)}.${signature}${suffix}`,
      suffix,
    },
  };
}

function located(pane: DraftError['pane'], what: string, error: { reason: string; offset: number; length: number; line: number; column: number }): DraftError {
  return { pane, message: `${what}: ${error.reason} (line ${error.line}, column ${error.column})`, offset: error.offset, length: Math.max(1, error.length) };
}
