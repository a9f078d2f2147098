/**
 * What registered header parameters and claims mean, for the editor's hovers. Pure: no Monaco here,
 * so the texts and the time descriptions are tested in jsdom and reused by the schemas.
 */
import {
  describeExpiry,
  describeIssuedAt,
  describeNotBefore,
  formatNumericDate,
  formatRelative,
  isNumericDate,
  looksLikeMilliseconds,
} from '../../../shared/core/time';

export interface ClaimDoc {
  /** Short name, e.g. "Expiration Time". */
  title: string;
  /** One sentence on what it means and how it is checked. */
  description: string;
  /** Where it is defined, e.g. "RFC 7519 §4.1.4". */
  reference: string;
  numericDate?: boolean;
}

export const PAYLOAD_CLAIMS: Readonly<Record<string, ClaimDoc>> = {
  iss: { title: 'Issuer', description: 'Who issued the token. Verifiers compare it with the issuer they trust, exactly (case-sensitive).', reference: 'RFC 7519 §4.1.1' },
  sub: { title: 'Subject', description: 'Whom the token is about, unique within the issuer (often a user id).', reference: 'RFC 7519 §4.1.2' },
  aud: { title: 'Audience', description: 'Who the token is meant for: a string or an array of strings. A recipient must reject a token that does not name it.', reference: 'RFC 7519 §4.1.3' },
  exp: { title: 'Expiration Time', description: 'The token must not be accepted on or after this time (NumericDate: seconds since 1970, UTC).', reference: 'RFC 7519 §4.1.4', numericDate: true },
  nbf: { title: 'Not Before', description: 'The token must not be accepted before this time (NumericDate).', reference: 'RFC 7519 §4.1.5', numericDate: true },
  iat: { title: 'Issued At', description: 'When the token was issued (NumericDate); tells its age.', reference: 'RFC 7519 §4.1.6', numericDate: true },
  jti: { title: 'JWT ID', description: 'A unique identifier of this token, used to prevent replay.', reference: 'RFC 7519 §4.1.7' },
  azp: { title: 'Authorized Party', description: 'The client the ID token was issued to (OpenID Connect).', reference: 'OpenID Connect Core §2' },
  nonce: { title: 'Nonce', description: 'The value the client sent in its authentication request; binds the ID token to that request.', reference: 'OpenID Connect Core §2' },
  auth_time: { title: 'Authentication Time', description: 'When the end-user authenticated (NumericDate).', reference: 'OpenID Connect Core §2', numericDate: true },
  acr: { title: 'Authentication Context Class Reference', description: 'How strongly the end-user was authenticated.', reference: 'OpenID Connect Core §2' },
  amr: { title: 'Authentication Methods References', description: 'The methods used to authenticate (e.g. "pwd", "mfa"), an array of strings.', reference: 'RFC 8176' },
  at_hash: { title: 'Access Token hash', description: 'Left half of the hash of the access token issued with this ID token, base64url.', reference: 'OpenID Connect Core §3.1.3.6' },
  c_hash: { title: 'Code hash', description: 'Left half of the hash of the authorization code, base64url.', reference: 'OpenID Connect Core §3.3.2.11' },
  sid: { title: 'Session ID', description: 'The OpenID Provider session this token belongs to.', reference: 'OpenID Connect Front-Channel Logout §3' },
  scope: { title: 'Scope', description: 'Space-separated scopes granted to the access token.', reference: 'RFC 8693 §4.2' },
  client_id: { title: 'Client ID', description: 'The OAuth client the token was issued to.', reference: 'RFC 8693 §4.3' },
  cnf: { title: 'Confirmation', description: 'The key the presenter must prove possession of (proof-of-possession).', reference: 'RFC 7800 §3.1' },
  name: { title: 'Full name', description: 'The end-user’s full name.', reference: 'OpenID Connect Core §5.1' },
  given_name: { title: 'Given name', description: 'The end-user’s given (first) name.', reference: 'OpenID Connect Core §5.1' },
  family_name: { title: 'Family name', description: 'The end-user’s surname.', reference: 'OpenID Connect Core §5.1' },
  preferred_username: { title: 'Preferred username', description: 'A shorthand name; not unique, never use it as a key.', reference: 'OpenID Connect Core §5.1' },
  email: { title: 'Email', description: 'The end-user’s email address; trust it only together with email_verified.', reference: 'OpenID Connect Core §5.1' },
  email_verified: { title: 'Email verified', description: 'Whether the provider verified the email address.', reference: 'OpenID Connect Core §5.1' },
  updated_at: { title: 'Updated at', description: 'When the end-user’s information was last updated (NumericDate).', reference: 'OpenID Connect Core §5.1', numericDate: true },
};

export const HEADER_PARAMETERS: Readonly<Record<string, ClaimDoc>> = {
  alg: { title: 'Algorithm', description: 'The algorithm that secures the token. A verifier must pin the algorithms it accepts, never trust this value alone.', reference: 'RFC 7515 §4.1.1' },
  typ: { title: 'Type', description: 'The media type of the whole token, e.g. "JWT" or "at+jwt".', reference: 'RFC 7515 §4.1.9' },
  cty: { title: 'Content Type', description: 'The media type of the payload; "JWT" for a nested token.', reference: 'RFC 7515 §4.1.10' },
  kid: { title: 'Key ID', description: 'A hint which key signed the token, matched against a JWKS. Not authenticated on its own.', reference: 'RFC 7515 §4.1.4' },
  jku: { title: 'JWK Set URL', description: 'A URL of the signer’s keys. Never fetch keys from a URL the token names unless it is allow-listed.', reference: 'RFC 7515 §4.1.2' },
  jwk: { title: 'JSON Web Key', description: 'The signer’s public key, embedded. Trusting it lets anyone sign tokens.', reference: 'RFC 7515 §4.1.3' },
  x5u: { title: 'X.509 URL', description: 'A URL of the signer’s certificate chain.', reference: 'RFC 7515 §4.1.5' },
  x5c: { title: 'X.509 Certificate Chain', description: 'The signer’s certificate chain (base64 DER), leaf first.', reference: 'RFC 7515 §4.1.6' },
  x5t: { title: 'X.509 SHA-1 Thumbprint', description: 'SHA-1 thumbprint of the signer’s certificate.', reference: 'RFC 7515 §4.1.7' },
  'x5t#S256': { title: 'X.509 SHA-256 Thumbprint', description: 'SHA-256 thumbprint of the signer’s certificate.', reference: 'RFC 7515 §4.1.8' },
  crit: { title: 'Critical', description: 'Extensions the recipient must understand, or reject the token.', reference: 'RFC 7515 §4.1.11' },
  b64: { title: 'Base64url-encode payload', description: 'false means the payload is not base64url-encoded (RFC 7797); must be listed in crit.', reference: 'RFC 7797 §3' },
  enc: { title: 'Encryption Algorithm', description: 'The content encryption algorithm of a JWE.', reference: 'RFC 7516 §4.1.2' },
  zip: { title: 'Compression Algorithm', description: 'Compression applied before encryption ("DEF").', reference: 'RFC 7516 §4.1.3' },
  epk: { title: 'Ephemeral Public Key', description: 'The sender’s ephemeral key for ECDH-ES key agreement.', reference: 'RFC 7518 §4.6.1.1' },
};

/**
 * Markdown for a hover on `name` (with its current value), or null when the name is not registered.
 * NumericDates also show as UTC, local time and relative to `now` ("expires in 12 min").
 */
export function describeMember(
  section: 'header' | 'payload',
  name: string,
  value: unknown,
  now: number,
  formatLocal: (seconds: number) => string = defaultLocal,
): string | null {
  const doc = (section === 'header' ? HEADER_PARAMETERS : PAYLOAD_CLAIMS)[name];
  if (!doc) return null;
  const lines = [`**${name}** — ${doc.title}`, '', doc.description, '', `_${doc.reference}_`];
  if (doc.numericDate && isNumericDate(value)) lines.push('', ...describeTime(name, value, now, formatLocal));
  return lines.join('\n');
}

function describeTime(name: string, value: number, now: number, formatLocal: (s: number) => string): string[] {
  const iso = formatNumericDate(value);
  if (iso === null) return ['Out of the range a date can represent.'];
  const relative =
    name === 'exp' ? describeExpiry(value, now) : name === 'nbf' ? describeNotBefore(value, now) : name === 'iat' ? describeIssuedAt(value, now) : formatRelative(value, now);
  const lines = [`- UTC: \`${iso}\``, `- Local: \`${formatLocal(value)}\``, `- ${relative}`];
  if (looksLikeMilliseconds(value)) lines.push('', '⚠ This looks like milliseconds; NumericDates are seconds.');
  return lines;
}

function defaultLocal(seconds: number): string {
  const date = new Date(seconds * 1000);
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offset) % 60).padStart(2, '0');
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} UTC${sign}${hh}:${mm}`;
}
