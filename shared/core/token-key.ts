/**
 * The key a token names about itself (RFC 7515 §4.1.2–4.1.6: `jwk`, `x5c`, `jku`, `x5u`). A verifier that
 * uses it lets the sender choose the key — anyone can sign with a key of their own and embed it — so it
 * proves only that the token was not altered after signing, never who signed it (RFC 8725 §3.10 / the
 * embedded-jwk attack). The app shows these keys with a warning and uses one only when the user says
 * "trust the token's own key"; the verdict then says the key is self-asserted.
 */
import type { KeyInput } from './keys';
import type { DecodedToken } from './token';

export type EmbeddedKeyKind = 'jwk' | 'x5c' | 'jku' | 'x5u';

export type EmbeddedKey =
  /** Carried in the header itself: usable as is. */
  | { kind: 'jwk' | 'x5c'; input: KeyInput }
  /** A URL: the host fetches it, on request only. */
  | { kind: 'jku' | 'x5u'; url: string };

/** What each header member means, for warnings. */
export const EMBEDDED_KEY_LABEL: Record<EmbeddedKeyKind, string> = {
  jwk: 'a public key in the header (jwk)',
  x5c: 'a certificate chain in the header (x5c)',
  jku: 'a JWKS URL in the header (jku)',
  x5u: 'a certificate URL in the header (x5u)',
};

/**
 * Every key the header names, in the order a naive verifier would use them: the embedded ones first.
 * Members of the wrong type are skipped (lint reports them).
 */
export function embeddedKeys(token: DecodedToken): EmbeddedKey[] {
  const header = token.header;
  const keys: EmbeddedKey[] = [];
  const jwk = header.jwk;
  if (typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk)) keys.push({ kind: 'jwk', input: { type: 'jwk', value: JSON.stringify(jwk) } });
  const x5c = header.x5c;
  // RFC 7515 §4.1.6: base64 (not base64url) DER, the signer's certificate first.
  if (Array.isArray(x5c) && typeof x5c[0] === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(x5c[0])) {
    keys.push({ kind: 'x5c', input: { type: 'pem', value: certificatePem(x5c[0]) } });
  }
  for (const kind of ['jku', 'x5u'] as const) {
    const url = header[kind];
    if (typeof url === 'string' && url !== '') keys.push({ kind, url });
  }
  return keys;
}

/** A PEM certificate around base64 DER, 64 characters a line (RFC 7468 §2). */
export function certificatePem(base64Der: string): string {
  const lines = base64Der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The first PEM certificate in a text (an x5u answer is a PEM chain, RFC 7515 §4.1.5), or null. */
export function firstCertificate(pemChain: string): string | null {
  const match = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pemChain);
  return match ? `${match[0]}\n` : null;
}
