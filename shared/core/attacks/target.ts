/**
 * The token an attack starts from, read with the project's decoder (so every pasted form works: Bearer,
 * quotes, a JWS JSON serialization), and the one way attacks edit its header: as text, one member at a
 * time, so every other member keeps its spelling and its place.
 */
import { encodeBase64urlText } from '../base64url';
import { decodeToken } from '../decode';
import { TokenError } from '../errors';
import { locateJsonPath } from '../json';
import { AttackError } from './types';

export interface AttackTarget {
  /** The protected header's JSON text, exactly as it decodes. */
  headerText: string;
  /** The header segment as it stands in the token (null-signature keeps it byte for byte). */
  headerSegment: string;
  /** The payload segment as it stands in the token: every variant carries it byte for byte. */
  payloadSegment: string;
  /** The header's alg (the decoder requires one). */
  alg: string;
  kid: string | null;
}

/**
 * Reads pasted text as the token to attack. A token the decoder refuses throws its TokenError (the decode
 * error code); a token with nothing to forge (a JWE, a detached or unencoded payload) throws an AttackError.
 */
export function readAttackTarget(text: string): AttackTarget {
  const decoded = decodeToken(text);
  if (!decoded.ok) throw new TokenError(decoded.error);
  const token = decoded.token;
  if (token.kind === 'jwe') throw new AttackError('not-a-jws', 'this is a JWE: it is encrypted, not signed, so there is no signature to forge');
  const entry = token.signatures[0];
  if (!entry || token.headerText === '' || entry.header === null) {
    throw new AttackError('header-not-protected', 'the JWS has no protected header: a compact token cannot be made from it');
  }
  if (token.payloadSegment === '') {
    throw new AttackError('payload-detached', 'the payload is detached (RFC 7515 Appendix F): there is no payload in the token to carry over');
  }
  if (entry.header.b64 === false) {
    throw new AttackError('payload-unencoded', 'the payload is unencoded (b64: false, RFC 7797): the attacks carry a base64url payload segment over');
  }
  const alg = token.header.alg as string;
  const kid = typeof token.header.kid === 'string' ? token.header.kid : null;
  // A JWS JSON serialization may keep alg (and kid) in its unprotected header, which a compact token does not
  // have: move them into the header text so the variants stay well-formed tokens.
  let headerText = token.headerText;
  if (entry.header.alg !== alg) headerText = withHeaderMember(headerText, 'alg', alg);
  if (kid !== null && entry.header.kid !== kid) headerText = withHeaderMember(headerText, 'kid', kid);
  return {
    headerText,
    headerSegment: headerText === token.headerText ? entry.protectedB64 : encodeBase64urlText(headerText),
    payloadSegment: token.payloadSegment,
    alg,
    kid,
  };
}

/**
 * The header text with member `name` set to `value`: the old value is replaced where it stands, or the member
 * is added at the end. Everything else stays as written (member order, spacing, numbers beyond 2^53), which
 * re-serializing a parsed header would not guarantee.
 */
export function withHeaderMember(headerText: string, name: string, value: unknown): string {
  const encoded = JSON.stringify(value);
  const location = locateJsonPath(headerText, [name]);
  if (location) return headerText.slice(0, location.valueStart) + encoded + headerText.slice(location.valueEnd);
  const close = headerText.lastIndexOf('}');
  const open = headerText.indexOf('{');
  const empty = headerText.slice(open + 1, close).trim() === '';
  return `${headerText.slice(0, close)}${empty ? '' : ','}${JSON.stringify(name)}:${encoded}${headerText.slice(close)}`;
}

/** withHeaderMember for several members, in order. */
export function withHeaderMembers(headerText: string, members: Record<string, unknown>): string {
  let text = headerText;
  for (const [name, value] of Object.entries(members)) text = withHeaderMember(text, name, value);
  return text;
}
