/**
 * The Signature pane's text: what a token carries besides its header and payload, as read-only JSON —
 * for a JWS each signature's algorithm, key id, value and its bytes in hex; for a JWE the five parts.
 * Whether a signature is valid is the Verification panel's business, never guessed here.
 */
import { decodeBase64url } from '../../shared/core/base64url';
import type { SdJwtInfo } from '../../shared/core/sd-jwt';
import type { DecodedToken, JwsSignatureEntry } from '../../shared/core/token';
import { hex } from './format';

export function signatureView(token: DecodedToken): string {
  return JSON.stringify(token.kind === 'jwe' ? jweParts(token) : jwsSignatures(token), null, 2);
}

function jwsSignatures(token: DecodedToken): object {
  if (token.kind === 'unsecured') return { alg: 'none', signature: '', note: 'Not signed: anyone can make this token.' };
  // A JWS always has at least one; each is read from its own protected and unprotected header.
  const described = token.signatures.map(describeSignature);
  const signatures = described.length === 1 ? described[0]! : { signatures: described };
  return token.sdJwt ? { ...signatures, sd_jwt: sdJwtView(token.sdJwt) } : signatures;
}

/**
 * An SD-JWT's other parts (RFC 9901): each Disclosure where it lands, the claims as disclosed (what a
 * verifier reads once the digests check out), and the key-binding JWT. The Payload pane keeps the issuer's
 * signed payload, with its digests, since that is what re-signing edits.
 */
function sdJwtView(sd: SdJwtInfo): object {
  const kb = sd.keyBinding;
  return {
    hash: sd.hashAlg,
    disclosures: sd.disclosures.map((d) => ({
      path: d.path ?? '(matches no digest)',
      ...(d.name !== null && { name: d.name }),
      value: d.value,
      salt: d.salt,
      digest: d.digest,
    })),
    undisclosed_digests: sd.undisclosed,
    ...(sd.problems.length > 0 && { problems: sd.problems }),
    claims_as_disclosed: sd.claims,
    key_binding_jwt: kb ? { header: kb.header, payload: kb.payload } : null,
  };
}

function describeSignature(entry: JwsSignatureEntry): object {
  const header: Record<string, unknown> = { ...entry.header, ...entry.unprotected };
  const bytes = decodeBase64url(entry.signatureB64);
  return {
    alg: header.alg ?? null,
    ...(header.kid !== undefined && { kid: header.kid }),
    signature: entry.signatureB64,
    ...(bytes && { bytes: bytes.length, hex: hex(bytes) }),
  };
}

/** One part of a JWE as the Signature pane lists it (a JWE is encrypted, not signed: RFC 7516 §7.1). */
export interface JwePart {
  name: string;
  /** base64url, or for the ciphertext its size (it may be large). */
  value: string;
}

/** The parts a JWE carries besides its protected header, by their RFC 7516 names; empty for a JWS. */
export function jwePartList(token: DecodedToken): JwePart[] {
  if (token.kind !== 'jwe') return [];
  const parts = jweSegments(token.token);
  const ciphertext = decodeBase64url(parts.ciphertext);
  return [
    { name: 'Encrypted key', value: parts.encrypted_key === '' ? '(empty: direct encryption)' : parts.encrypted_key },
    { name: 'Initialization vector', value: parts.iv },
    { name: 'Ciphertext', value: ciphertext ? `${ciphertext.length} bytes` : parts.ciphertext },
    { name: 'Authentication tag', value: parts.tag },
  ];
}

/** The JWE's parts in base64url, the ciphertext counted rather than shown (it may be large). */
function jweParts(token: DecodedToken): object {
  const parts = jweSegments(token.token);
  const ciphertext = decodeBase64url(parts.ciphertext);
  return {
    alg: token.header.alg ?? null,
    enc: token.header.enc ?? null,
    encrypted_key: parts.encrypted_key,
    iv: parts.iv,
    ciphertext: ciphertext ? `${ciphertext.length} bytes` : parts.ciphertext,
    tag: parts.tag,
    note: 'Encrypted: the payload needs the recipient’s key.',
  };
}

function jweSegments(text: string): Record<'encrypted_key' | 'iv' | 'ciphertext' | 'tag', string> {
  if (!text.startsWith('{')) {
    const [, encryptedKey = '', iv = '', ciphertext = '', tag = ''] = text.split('.');
    return { encrypted_key: encryptedKey, iv, ciphertext, tag };
  }
  // The JSON serialization (it decoded, so it parses); general form: the first recipient's key.
  const json = JSON.parse(text) as Record<string, unknown>;
  const recipients = Array.isArray(json.recipients) ? (json.recipients as Array<Record<string, unknown>>) : [];
  const field = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    encrypted_key: field(json.encrypted_key ?? recipients[0]?.encrypted_key),
    iv: field(json.iv),
    ciphertext: field(json.ciphertext),
    tag: field(json.tag),
  };
}
