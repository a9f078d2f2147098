/**
 * What a pasted key text looks like, from its shape alone (no parsing, no crypto): the Verification panel
 * uses it to notice a key pasted under the wrong key type ("This looks like a PEM public key — switch to
 * PEM?"), and the importer to say so instead of a JSON grammar error. Small and dependency-free: the
 * renderer bundles it.
 */
export type KeyTextKind =
  | 'empty'
  | 'pem-public'
  | 'pem-private'
  | 'pem-encrypted'
  | 'pem-certificate'
  | 'pem-other'
  | 'jwk'
  | 'jwks'
  | 'json-other'
  | 'ssh'
  | 'secret';

/** The key type (the Verification panel's source) a kind of text belongs under. */
export type KeyTextSource = 'secret' | 'pem' | 'jwk' | 'jwks';

export interface KeyTextClass {
  kind: KeyTextKind;
  /** Where it belongs; null for empty text or JSON that is neither a JWK nor a JWKS. */
  source: KeyTextSource | null;
  /** "a PEM public key", "a JWKS", … for a sentence. */
  description: string;
}

const PEM_BEGIN = /-----BEGIN ([A-Z0-9 ]+)-----/;

export function classifyKeyText(text: string): KeyTextClass {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty', source: null, description: 'nothing' };
  const pem = PEM_BEGIN.exec(trimmed);
  if (pem) {
    const label = pem[1]!;
    // The first key block decides; an "EC PARAMETERS" block before an EC key is skipped.
    const key = label === 'EC PARAMETERS' ? (PEM_BEGIN.exec(trimmed.slice(pem.index + pem[0].length))?.[1] ?? label) : label;
    if (key === 'ENCRYPTED PRIVATE KEY' || (key.endsWith('PRIVATE KEY') && /Proc-Type:\s*4,ENCRYPTED/.test(trimmed))) {
      return { kind: 'pem-encrypted', source: 'pem', description: 'an encrypted PEM private key' };
    }
    if (key.endsWith('PRIVATE KEY')) return { kind: 'pem-private', source: 'pem', description: 'a PEM private key' };
    if (key.endsWith('PUBLIC KEY')) return { kind: 'pem-public', source: 'pem', description: 'a PEM public key' };
    if (key === 'CERTIFICATE' || key === 'X509 CERTIFICATE' || key === 'TRUSTED CERTIFICATE') {
      return { kind: 'pem-certificate', source: 'pem', description: 'an X.509 certificate (PEM)' };
    }
    return { kind: 'pem-other', source: 'pem', description: 'PEM text' };
  }
  if (trimmed.startsWith('{')) {
    // Member names only, so a half-pasted or slightly broken JSON object is still recognised.
    if (/"keys"\s*:\s*\[/.test(trimmed)) return { kind: 'jwks', source: 'jwks', description: 'a JWKS' };
    if (/"kty"\s*:/.test(trimmed)) return { kind: 'jwk', source: 'jwk', description: 'a JWK' };
    return { kind: 'json-other', source: null, description: 'a JSON object' };
  }
  // OpenSSH's own formats are not JOSE keys of any type (convert with ssh-keygen -e -m PKCS8).
  if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]/.test(trimmed)) {
    return { kind: 'ssh', source: null, description: 'an OpenSSH public key' };
  }
  return { kind: 'secret', source: 'secret', description: 'a shared secret' };
}

/**
 * How every message and view names a member of a JWKS: "JWKS key #1" for `keys[0]` — 1-based, as a person
 * counts, and one form everywhere (CLI, key messages, the Verification panel).
 */
export function jwksKeyName(index: number): string {
  return `JWKS key #${index + 1}`;
}
