import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

/**
 * `cty: JWT`: the payload (or plaintext) is itself a JWT. Verifying the outer layer says nothing about the
 * inner token, whose own signature and claims must be checked too.
 */
export const nestedJwt: LintRule = {
  id: 'nested-jwt',
  severity: 'info',
  rfc: 'RFC 7519 §5.2',
  summary: 'The header says "cty": "JWT": the content is a nested JWT, which must be verified in its own right.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      const cty = view.header.cty;
      if (typeof cty !== 'string') continue;
      const t = cty.trim().toLowerCase();
      if (t !== 'jwt' && t !== 'application/jwt') continue;
      out.push({
        path: memberPath(view.path, 'cty'),
        message:
          `"cty" is ${show(cty)}: the ${token.kind === 'jwe' ? 'plaintext' : 'payload'} is another JWT. ` +
          'Checking this layer does not check it: verify the inner token\'s signature and claims as well, with the same care.',
      });
    }
    return out;
  },
};
