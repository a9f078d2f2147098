import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

/** `alg: none` (any letter case): no signature, so anyone can write such a token. */
export const algNone: LintRule = {
  id: 'alg-none',
  severity: 'error',
  rfc: 'RFC 8725 §3.1',
  summary:
    'The header says "alg": "none" (in any letter case): the token is unsecured and must never be accepted as verified.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      const alg = view.header.alg;
      if (typeof alg !== 'string' || alg.toLowerCase() !== 'none') continue;
      const variant =
        alg === 'none'
          ? ''
          : ` (${show(alg)} is a letter-case variant of "none", a classic way past verifiers that reject only the exact string)`;
      const signed = view.path === 'header' && token.signature !== '' ? ', yet it carries a signature' : '';
      out.push({
        path: memberPath(view.path, 'alg'),
        message:
          `"alg" is ${show(alg)}${variant}: the token is unsecured${signed}. ` +
          'Anyone can forge it; a verifier must reject it unless its algorithm list explicitly allows "none".',
      });
    }
    return out;
  },
};
