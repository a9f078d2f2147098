// The page's CSP <meta> must be the contract's policy (which the hosts send as a header), less the
// directives a <meta> cannot carry: two copies of one policy, kept in step here.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';

const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

function directives(policy: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values.join(' '));
  }
  return map;
}

const html = fs.readFileSync(path.join(import.meta.dirname, '../../renderer/index.html'), 'utf8');

describe('index.html Content-Security-Policy', () => {
  const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);

  it('is present', () => {
    expect(meta).not.toBeNull();
  });

  it("equals the contract's policy without header-only directives", () => {
    const expected = new Map([...directives(CONTENT_SECURITY_POLICY)].filter(([name]) => !HEADER_ONLY.has(name)));
    expect(directives(meta![1]!)).toEqual(expected);
  });

  it('allows no eval and no inline script', () => {
    const scriptSrc = directives(meta![1]!).get('script-src');
    expect(scriptSrc).toBe("'self'");
    expect(meta![1]).not.toContain('unsafe-eval');
  });

  it('comes before any script', () => {
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });
});
