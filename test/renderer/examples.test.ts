// @vitest-environment node
// The committed examples are real: each decodes as its label says, and each signed one verifies with
// the key it carries (through the same shared core the host uses).
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import { verifyToken } from '../../shared/core/verify';
import type { KeyInput } from '../../shared/core/keys';
import { EXAMPLES } from '../../renderer/src/panels/examples';
import type { Example } from '../../renderer/src/panels/examples';

function keyOf(example: Example): KeyInput {
  const key = example.key!;
  switch (key.source) {
    case 'secret':
      return { type: 'secret', value: key.value, encoding: key.encoding ?? 'utf8' };
    case 'pem':
    case 'jwk':
    case 'jwks':
      return { type: key.source, value: key.value };
    default:
      throw new Error(`an example cannot use a ${key.source} key`);
  }
}

describe('examples menu', () => {
  it('has the promised set', () => {
    expect(EXAMPLES.map((e) => e.id)).toEqual(['hs256', 'rs256', 'es256', 'eddsa', 'expired', 'none', 'jwe']);
  });

  it.each(EXAMPLES.filter((e) => e.key !== null).map((e) => [e.id, e] as const))('%s verifies with its key', async (_id, example) => {
    const input = keyOf(example);
    const result = await verifyToken(example.token, input, { now: 1_800_000_000 });
    expect(result.valid, result.message).toBe(true);
    const tampered = example.token.replace(/\.([^.]+)\./, (_m, p: string) => `.${p.slice(0, -2)}${p.slice(-2) === 'fQ' ? 'fX' : 'fQ'}.`);
    expect((await verifyToken(tampered, input, { now: 1_800_000_000 })).valid).toBe(false);
  });

  it('the expired one is expired and the others are not (at 2027-01-15)', async () => {
    for (const example of EXAMPLES.filter((e) => e.key)) {
      const result = await verifyToken(example.token, keyOf(example), { now: 1_800_000_000 });
      expect(result.ok, example.id).toBe(example.id !== 'expired');
    }
  });

  it('alg none and JWE decode as what they are', () => {
    const kinds = Object.fromEntries(EXAMPLES.map((e) => [e.id, (decodeToken(e.token) as { ok: true; token: { kind: string } }).token.kind]));
    expect(kinds).toMatchObject({ none: 'unsecured', jwe: 'jwe', hs256: 'jws', eddsa: 'jws' });
  });
});
