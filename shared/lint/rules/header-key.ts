import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

/** A key, or where to fetch one, carried by the token itself: trusting it lets the sender pick the key. */
export const headerKeyEmbedded: LintRule = {
  id: 'header-key-embedded',
  severity: 'warning',
  rfc: 'RFC 8725 §3.10',
  summary:
    'The header carries a key or key URL (jwk, jku, x5u, x5c): a verifier that trusts it lets the sender choose the key.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      const h = view.header;
      if (Object.hasOwn(h, 'jwk')) {
        out.push({
          path: memberPath(view.path, 'jwk'),
          message:
            'The header embeds its own verification key ("jwk"): a verifier that uses it accepts tokens signed by anyone ' +
            '(key injection, e.g. CVE-2018-0114). Verify with keys you configured, never with this one.',
        });
      }
      for (const name of ['jku', 'x5u'] as const) {
        if (!Object.hasOwn(h, name)) continue;
        out.push({
          path: memberPath(view.path, name),
          message:
            `"${name}" points at ${show(h[name])}: fetching keys from a URL the token chooses lets the sender pick the key, ` +
            'and is a server-side request forgery vector. Accept only URLs on an allow-list, or ignore it.',
        });
      }
      if (Object.hasOwn(h, 'x5c')) {
        out.push({
          severity: 'info',
          path: memberPath(view.path, 'x5c'),
          message:
            'The header carries a certificate chain ("x5c"): its key is only as trustworthy as the chain, ' +
            'so validate it to a trust anchor you configured before using it.',
        });
      }
    }
    return out;
  },
};
