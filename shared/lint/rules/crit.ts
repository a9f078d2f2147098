import type { LintRule, RuleFinding } from '../types';
import { headersOf, memberPath, show } from './token-view';

/** Extensions this tool implements: RFC 7797 unencoded payloads (the decoder honours "b64": false). */
const UNDERSTOOD = new Set(['b64']);

// Header parameters defined by JWS, JWE and JWA: "crit" must not list them (RFC 7515 §4.1.11).
const REGISTERED = new Set([
  ...['alg', 'jku', 'jwk', 'kid', 'x5u', 'x5c', 'x5t', 'x5t#S256', 'typ', 'cty', 'crit'], // RFC 7515 §4.1
  ...['enc', 'zip', 'epk', 'apu', 'apv', 'iv', 'tag', 'p2s', 'p2c'], // RFC 7516 §4.1, RFC 7518 §4
]);

export const critUnknown: LintRule = {
  id: 'crit-unknown',
  severity: 'error',
  rfc: 'RFC 7515 §4.1.11',
  summary:
    '"crit" names an extension this tool does not understand, or is malformed: recipients must then reject the token.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      if (!Object.hasOwn(view.header, 'crit')) continue;
      const path = memberPath(view.path, 'crit');
      const crit = view.header.crit;
      if (view.unprotected && Object.hasOwn(view.unprotected, 'crit')) {
        out.push({
          path,
          message: '"crit" is in the unprotected header: it must be integrity protected (in the protected header).',
        });
      }
      if (!Array.isArray(crit)) {
        out.push({ path, message: `"crit" is ${show(crit)}: it must be a non-empty array of header parameter names.` });
        continue;
      }
      if (crit.length === 0) {
        out.push({ path, message: '"crit" is an empty array: when present it must list at least one extension.' });
        continue;
      }
      const problems: string[] = [];
      const unknown: string[] = [];
      const seen = new Set<string>();
      for (const name of crit) {
        if (typeof name !== 'string' || name === '') {
          problems.push(`${show(name)} is not a header parameter name`);
        } else if (seen.has(name)) {
          problems.push(`"${name}" is listed twice`);
        } else if (REGISTERED.has(name)) {
          problems.push(`"${name}" is defined by JWS/JWE itself and must not be listed`);
        } else if (!Object.hasOwn(view.header, name)) {
          problems.push(`"${name}" is listed but not present in the header`);
        } else if (!UNDERSTOOD.has(name)) {
          unknown.push(name);
        }
        if (typeof name === 'string') seen.add(name);
      }
      if (unknown.length > 0) {
        out.push({
          path,
          message:
            `"crit" marks ${unknown.map((n) => `"${n}"`).join(', ')} as critical, an extension this tool does not understand: ` +
            'a recipient that does not implement a critical extension must reject the token.',
        });
      }
      if (problems.length > 0) out.push({ path, message: `"crit" is malformed: ${problems.join('; ')}.` });
    }
    return out;
  },
};
