/**
 * `jwtdbg decode` and `jwtdbg verify` read a token the same way: over one stdin batch of malformed and
 * well-formed inputs (the verification scenarios' tokens, wrapped as people paste them, and seeded random
 * mutations of them), line by line, decode's error is verify's malformed-token error, and a token decode
 * accepts is never malformed to verify.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, jsonLines, type CliHarness } from './cli-harness';
import { makeKeys } from '../shared/crypto-fixtures';
import { scenarios } from '../shared/verify-scenarios';

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

interface DecodeLine {
  error: { code: string; message: string; offset: number | null } | null;
}
interface VerifyLine {
  reason: string | null;
  error: { code: string; message: string; offset: number | null } | null;
}

const WRAPS = [(t: string) => t, (t: string) => `Authorization: Bearer ${t}`, (t: string) => `"${t}"`, (t: string) => `id_token=${t}`];

function inputs(): string[] {
  const base = scenarios(makeKeys()).map((s) => s.token);
  const edit = fc.record({ at: fc.nat(), char: fc.constantFrom('.', '=', '+', '!', 'A', '_', '{', '"', 'é') });
  const mutated = fc.sample(
    fc.tuple(fc.constantFrom(...base), fc.array(edit, { minLength: 1, maxLength: 3 })).map(([t, edits]) =>
      edits.reduce((s, e) => {
        const at = e.at % (s.length + 1);
        return s.slice(0, at) + e.char + s.slice(at + 1);
      }, t),
    ),
    { numRuns: 300, seed: 20261203 },
  );
  const all = [...base.flatMap((t) => WRAPS.map((w) => w(t))), ...mutated, 'eyJhbGciOiJIUzI1NiJ9', 'Bearer', 'a.b.c', '{"payload":1}'];
  // One token per line: an input with a line break would be two lines of a batch.
  return all.filter((t) => !/[\r\n]/.test(t) && t.trim() !== '');
}

describe('jwtdbg decode and verify agree', () => {
  it('on every input of one batch, line by line', async () => {
    const batch = inputs();
    expect(batch.length).toBeGreaterThan(400);
    const input = `${batch.join('\n')}\n`;
    const [decoded, verified] = await Promise.all([
      cli.run(['decode', '--json'], { input }),
      cli.run(['verify', '--json', '--secret', 'a-secret-of-thirty-two-bytes-or-more!!'], { input }),
    ]);
    const d = jsonLines(decoded.stdout) as DecodeLine[];
    const v = jsonLines(verified.stdout) as VerifyLine[];
    expect([d.length, v.length]).toEqual([batch.length, batch.length]);
    let malformed = 0;
    batch.forEach((text, i) => {
      const decodeError = d[i]!.error;
      if (decodeError) {
        malformed++;
        expect({ text, reason: v[i]!.reason, error: v[i]!.error }).toEqual({ text, reason: 'malformed-token', error: decodeError });
      } else {
        expect({ text, reason: v[i]!.reason }).not.toEqual({ text, reason: 'malformed-token' });
      }
    });
    // The batch really exercises both sides.
    expect(malformed).toBeGreaterThan(50);
    expect(batch.length - malformed).toBeGreaterThan(50);
  });
});
