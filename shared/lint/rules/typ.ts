import type { LintRule, RuleFinding } from '../types';
import { headersOf, kindOf, memberPath, show } from './token-view';

/** A media type's subtype without the optional `application/` (RFC 7515 §4.1.9), lower-cased. */
function subtype(typ: string): string {
  const t = typ.trim().toLowerCase();
  return t.startsWith('application/') ? t.slice('application/'.length) : t;
}

// `JWT` (RFC 7519 §5.1), `JOSE` / `JOSE+JSON` (RFC 7515 §9.2), and explicit types `<kind>+jwt`
// (RFC 8725 §3.11: at+jwt, secevent+jwt, logout+jwt, dpop+jwt, token-introspection+jwt, …).
const PLAIN = new Set(['jwt', 'jose', 'jose+json']);
const EXPLICIT = /^[a-z0-9][a-z0-9!#$&^_.-]*\+jwt$/;

export const typUnexpected: LintRule = {
  id: 'typ-unexpected',
  severity: 'warning',
  rfc: 'RFC 8725 §3.11',
  summary: '"typ" is present but is not JWT, JOSE or an explicit "…+jwt" media type (at+jwt, secevent+jwt, …).',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      if (!Object.hasOwn(view.header, 'typ')) continue;
      const typ = view.header.typ;
      const path = memberPath(view.path, 'typ');
      if (typeof typ !== 'string') {
        out.push({
          path,
          message: `"typ" is ${kindOf(typ)} (${show(typ)}); it must be a media type string such as "JWT".`,
        });
        continue;
      }
      const sub = subtype(typ);
      if (PLAIN.has(sub) || EXPLICIT.test(sub)) continue;
      out.push({
        path,
        message:
          `"typ" is ${show(typ)}, not a JWT media type: expected "JWT", "at+jwt" or another explicit "…+jwt" type. ` +
          'Explicit typing is what stops one kind of JWT being accepted as another.',
      });
    }
    return out;
  },
};
