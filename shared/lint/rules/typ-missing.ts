import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath } from './token-view';

/**
 * No "typ" at all: nothing tells this kind of JWT apart from the others an issuer makes (ID tokens, access
 * tokens, logout tokens …), so a verifier cannot keep one from being accepted as another. Info only: plain
 * JWTs often omit it, and RFC 8725 §3.11 recommends explicit typing for new kinds of JWT.
 */
export const typMissing: LintRule = {
  id: 'typ-missing',
  severity: 'info',
  rfc: 'RFC 8725 §3.11',
  summary:
    'The header has no "typ": the token does not say what kind of JWT it is (explicit typing such as at+jwt keeps one kind from being accepted as another).',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      if (Object.hasOwn(view.header, 'typ')) continue;
      out.push({
        path: memberPath(view.path, 'typ'),
        message:
          'No "typ" header parameter: the token does not say what kind of JWT it is. Explicit typing ("JWT", or an ' +
          'explicit type such as "at+jwt" for access tokens) lets verifiers refuse a token of another kind.',
      });
    }
    return out;
  },
};
