/** JWE header parameters with known pitfalls: compression, RSA1_5 key management, PBES2 iteration counts. */
import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

export const jweZip: LintRule = {
  id: 'jwe-zip',
  severity: 'warning',
  rfc: 'RFC 8725 §3.6',
  summary:
    'A JWE compresses its plaintext before encryption ("zip"): the ciphertext length can leak secrets (CRIME / BREACH-style attacks).',
  target: 'header',
  check(token) {
    if (token.kind !== 'jwe' || !Object.hasOwn(token.header, 'zip')) return [];
    return [
      {
        path: memberPath('header', 'zip'),
        message:
          `"zip" is ${show(token.header.zip)}: the plaintext is compressed before it is encrypted, so the ciphertext length depends on ` +
          'its content. An attacker who can put text next to a secret in the plaintext learns the secret from the lengths. Encrypt uncompressed data.',
      },
    ];
  },
};

export const jweRsa15: LintRule = {
  // RFC 7518 spells the algorithm RSA1_5; rule ids are kebab-case.
  id: 'jwe-rsa1-5',
  severity: 'warning',
  rfc: 'RFC 8725 §3.2',
  summary:
    'The JWE key is wrapped with RSA1_5 (RSAES-PKCS1-v1_5): open to Bleichenbacher padding-oracle attacks; use RSA-OAEP-256 or ECDH-ES.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      if (view.header.alg !== 'RSA1_5') continue;
      out.push({
        path: memberPath(view.path, 'alg'),
        message:
          '"alg" is "RSA1_5" (RSAES-PKCS1-v1_5 key encryption): a recipient whose errors or timing reveal whether the padding was valid ' +
          'lets an attacker decrypt the content key (Bleichenbacher). Use RSA-OAEP-256 or ECDH-ES key management instead.',
      });
    }
    return out;
  },
};

/** Iterations above this make one token cost a verifier seconds of PBKDF2 (a denial of service). */
export const P2C_CAP = 1_000_000;
const P2C_CAP_TEXT = '1,000,000';

export const jweP2cLarge: LintRule = {
  id: 'jwe-p2c-large',
  severity: 'warning',
  rfc: 'RFC 7518 §4.8.1.2',
  summary: `The PBES2 iteration count "p2c" is above ${P2C_CAP_TEXT}: each decryption attempt burns that many PBKDF2 rounds (denial of service).`,
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      const p2c = view.header.p2c;
      if (typeof p2c !== 'number' || !(p2c > P2C_CAP)) continue;
      out.push({
        path: memberPath(view.path, 'p2c'),
        message:
          `"p2c" is ${show(p2c)} PBKDF2 iterations, above ${P2C_CAP_TEXT}: the sender chooses the count, so a token like this ` +
          'makes a recipient spend seconds (or hours) before it can even reject it. Recipients should refuse counts above a cap.',
      });
    }
    return out;
  },
};
