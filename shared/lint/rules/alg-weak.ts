import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

/**
 * Algorithms outside what RFC 8725 §3.2 and the JOSE registry recommend, that no other rule reports:
 * SHA-1 / MD5 based identifiers some libraries still accept (RS1, HS1, "RSA-SHA1", …; the registry has
 * none), and PBES2 with fewer than 1,000 iterations (the minimum RFC 7518 §4.8.1.2 recommends). "none"
 * (alg-none) and RSA1_5 (jwe-rsa1-5) have their own rules and are not repeated here.
 */
const LEGACY_HASH = /^(HS|RS|PS|ES)1$|sha-?1(?!\d)|md5/i;
const PBES2_MIN_ITERATIONS = 1000;

export const algWeak: LintRule = {
  id: 'alg-weak',
  severity: 'warning',
  rfc: 'RFC 8725 §3.2',
  summary:
    'The token uses a weak algorithm: a SHA-1 or MD5 based one (RS1, HS1, …), or PBES2 with fewer than 1,000 iterations.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      for (const name of ['alg', 'enc'] as const) {
        const value = view.header[name];
        if (typeof value !== 'string' || !LEGACY_HASH.test(value)) continue;
        out.push({
          path: memberPath(view.path, name),
          message:
            `"${name}" is ${show(value)}, built on SHA-1 or MD5, whose collisions are practical: it is not a registered JOSE algorithm, ` +
            'and a verifier should not accept it. Use RS256 / ES256 / EdDSA, or HS256 with a strong key.',
        });
      }
      const alg = view.header.alg;
      const p2c = view.header.p2c;
      if (typeof alg === 'string' && alg.startsWith('PBES2-') && typeof p2c === 'number' && p2c < PBES2_MIN_ITERATIONS) {
        out.push({
          path: memberPath(view.path, 'p2c'),
          message:
            `"p2c" is ${show(p2c)} with ${show(alg)}: fewer than the 1,000 PBKDF2 iterations ` +
            'RFC 7518 recommends, so the password behind the key can be guessed quickly offline.',
        });
      }
    }
    return out;
  },
};
