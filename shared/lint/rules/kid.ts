import type { LintRule, RuleFinding } from '../types';
import { headersOf, kindOf, memberPath, show } from './token-view';

interface Check {
  test: (kid: string) => boolean;
  reason: string;
}

// Each check names what a key lookup built from the kid (file path, SQL, shell, URL) would do with it.
const CHECKS: readonly Check[] = [
  { test: (k) => /(^|[\\/])\.\.([\\/]|$)/.test(k), reason: 'a ".." path segment (path traversal)' },
  { test: (k) => /%2e%2e|%2f|%5c/i.test(k), reason: 'URL-encoded dots or slashes (encoded path traversal)' },
  {
    test: (k) => /^(\/(dev|etc|proc|sys|tmp|var|usr|home|root|bin|opt)(\/|$)|[a-z]:[\\/]|file:)/i.test(k),
    reason: 'a file system path (e.g. "/dev/null" makes some verifiers use an empty key)',
  },
  { test: (k) => /[\u0000-\u001f\u007f]/.test(k), reason: 'control characters (NUL, line breaks)' },
  { test: (k) => /['"`]/.test(k), reason: 'quote characters (SQL or command injection)' },
  { test: (k) => /[;|&<>]|\$\(|\$\{/.test(k), reason: 'shell or SQL metacharacters (; | & < > $( ${)' },
  { test: (k) => /--(\s|$)|\/\*|\*\//.test(k), reason: 'SQL comment markers' },
  {
    test: (k) =>
      /\b(union\s+(all\s+)?select|select\s.+\sfrom|insert\s+into|drop\s+table|or\s+\d+\s*=\s*\d+|sleep\s*\(|waitfor\s+delay)\b/i.test(
        k,
      ),
    reason: 'SQL keywords',
  },
];

/** The kid feeds a key lookup; values shaped like injection payloads are a red flag (RFC 8725 §3.10). */
export const kidSuspicious: LintRule = {
  id: 'kid-suspicious',
  severity: 'warning',
  rfc: 'RFC 8725 §3.10',
  summary:
    '"kid" contains path traversal, quotes, control characters or SQL / shell metacharacters, or is not a string.',
  target: 'header',
  check(token) {
    const out: RuleFinding[] = [];
    for (const view of headersOf(token)) {
      if (!Object.hasOwn(view.header, 'kid')) continue;
      const kid = view.header.kid;
      const path = memberPath(view.path, 'kid');
      if (typeof kid !== 'string') {
        out.push({
          path,
          message: `"kid" is ${kindOf(kid)} (${show(kid)}); it must be a string. Key lookups that coerce it behave unpredictably.`,
        });
        continue;
      }
      const reasons = CHECKS.filter((c) => c.test(kid)).map((c) => c.reason);
      if (reasons.length === 0) continue;
      out.push({
        path,
        message:
          `"kid" ${show(kid)} contains ${reasons.join(', ')}: if it reaches a file, database or shell lookup unchecked, ` +
          'the sender controls which key verifies the token. Look kids up in a fixed key set only.',
      });
    }
    return out;
  },
};
