import { constants, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, type CliHarness } from './cli-harness';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function signed(alg: string, privateKey: KeyObject, claims: Record<string, unknown>): string {
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${sign(`sha${alg.slice(2)}`, Buffer.from(input), privateKey).toString('base64url')}`;
}

// e = 3: the gcd is of 3,072-bit numbers, so every run here is instant (e = 65537 is in the bench).
const KEY = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 });
const OTHER = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 });
const T1 = signed('RS256', KEY.privateKey, { sub: 'alice', iat: 1_700_000_000 });
const T2 = signed('RS256', KEY.privateKey, { sub: 'bob', iat: 1_700_000_001 });

interface RecoverJson {
  candidates: { e: number; n: string; pem: string; jwk: Record<string, string>; verifies: boolean }[];
}

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 120_000);
afterAll(() => cli.dispose());

describe('jwtdbg recover-key', () => {
  it('prints the recovered key as JSON, exit 0, and the PEM and JWK verify the tokens with jwtdbg verify', async () => {
    const r = await cli.run(['recover-key', T1, T2, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as RecoverJson;
    expect(Object.keys(out)).toEqual(['candidates']);
    expect(out.candidates).toHaveLength(1);
    const [c] = out.candidates;
    expect(Object.keys(c!)).toEqual(['e', 'n', 'pem', 'jwk', 'verifies']);
    expect(c).toMatchObject({ e: 3, n: KEY.publicKey.export({ format: 'jwk' }).n, verifies: true });
    expect(c!.jwk).toEqual({ kty: 'RSA', n: c!.n, e: 'Aw' });
    for (const [name, content] of [
      ['recovered.pem', c!.pem],
      ['recovered.jwk', JSON.stringify(c!.jwk)],
    ] as const) {
      const verified = await cli.run(['verify', T2, '--key', cli.file(name, content), '--json']);
      expect(JSON.parse(verified.stdout), name).toMatchObject({ valid: true, alg: 'RS256' });
    }
  });

  it('prints the PEM and JWK as text without --json', async () => {
    const r = await cli.run(['recover-key', T1, T2]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ RSA public key recovered (about 1024 bits, e = 3): it verifies both tokens');
    expect(r.stdout).toContain('-----BEGIN PUBLIC KEY-----');
    expect(r.stdout).toContain('JWK: {"kty":"RSA"');
  });

  it('exits 1 with no candidate when the tokens come from two keys', async () => {
    const r = await cli.run(['recover-key', T1, signed('RS256', OTHER.privateKey, { sub: 'carol' }), '--exponent', '3', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ candidates: [] });
  });

  it('exits 1 for PS256 tokens, saying why', async () => {
    const ps = (claims: Record<string, unknown>) => {
      const input = `${b64({ alg: 'PS256' })}.${b64(claims)}`;
      return `${input}.${sign('sha256', Buffer.from(input), { key: KEY.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING }).toString('base64url')}`;
    };
    const r = await cli.run(['recover-key', ps({ n: 1 }), ps({ n: 2 }), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({ candidates: [] });
    expect(r.stderr).toMatch(/^jwtdbg recover-key: pss-unrecoverable: PS256 \(RSASSA-PSS\) signatures cannot be used/);
  });

  it.each([
    [[T1], /expected two tokens \(TOKEN1 TOKEN2\), got 1/],
    [[T1, T2, T1], /expected two tokens/],
    [[T1, 'garbage'], /token-invalid: token 2 does not decode/],
    [[T1, `${b64({ alg: 'HS256' })}.${b64({})}.c2ln`], /alg-unsupported/],
    [[T1, signed('RS512', KEY.privateKey, {})], /alg-mismatch/],
    [[T1, T2, '--exponent', 'x'], /--exponent must be a whole number/],
    [[T1, T2, '--exponent', '2'], /exponent-invalid/],
  ])('exits 2 for bad usage: %#', async (args, message) => {
    const r = await cli.run(['recover-key', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toContain(T1);
  });

  it('is listed in the help', async () => {
    const r = await cli.run(['--help']);
    expect(r.stdout).toMatch(/recover-key\s+recover the RSA public key from two RS256\/384\/512 tokens/);
  });
});
