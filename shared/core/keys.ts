/** How a user hands over a key. `auto` detects PEM / X.509 / JWK / JWKS from the text (CLI `--key`). */
export type SecretEncoding = 'utf8' | 'base64' | 'base64url' | 'hex';

export type KeyInput =
  | { type: 'secret'; value: string; encoding: SecretEncoding }
  | { type: 'pem'; value: string } // SPKI, PKCS#1 RSA public, X.509 certificate, PKCS#8 / PKCS#1 / SEC1 private
  | { type: 'jwk'; value: string }
  | { type: 'jwks'; value: string }
  | { type: 'auto'; value: string };

export const SECRET_ENCODINGS: readonly SecretEncoding[] = ['utf8', 'base64', 'base64url', 'hex'];
