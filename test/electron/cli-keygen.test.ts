// `jwtdbg keygen` (issue 4) through the built CLI: its exact output shape, and the round trip
// keygen → sign --key (the private JWK / PEM it wrote) → verify --key (the public one), per algorithm family.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, type CliHarness } from './cli-harness';

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

const PAYLOAD = '{"sub":"keygen","iat":1700000000}';

async function roundTrip(privateFile: string, publicFile: string, alg: string): Promise<void> {
  const signed = await cli.run(['sign', '--payload', PAYLOAD, '--key', privateFile, '--json']);
  expect(signed.stderr).toBe('');
  expect(signed.code).toBe(0);
  const { token, alg: used } = JSON.parse(signed.stdout) as { token: string; alg: string };
  expect(used).toBe(alg);
  const verified = await cli.run(['verify', token, '--key', publicFile, '--json']);
  expect(verified.code).toBe(0);
  expect(JSON.parse(verified.stdout)).toMatchObject({ valid: true, alg });
  // A key of another pair must not verify it: the check is real.
  const other = JSON.parse((await cli.run(['keygen', alg])).stdout) as { public: unknown; private: unknown };
  const otherFile = cli.file(`other-${alg}.json`, JSON.stringify(other.public ?? other.private));
  expect((await cli.run(['verify', token, '--key', otherFile, '--json'])).code).not.toBe(0);
}

describe('jwtdbg keygen', () => {
  it.each(['ES256', 'EdDSA', 'PS256', 'ES512'])('%s: prints {kid, alg, public, private} JWKs that sign and verify', async (alg) => {
    const r = await cli.run(['keygen', alg]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { kid: string; alg: string; public: Record<string, unknown>; private: Record<string, unknown> };
    expect(Object.keys(out)).toEqual(['kid', 'alg', 'public', 'private']);
    expect(out.alg).toBe(alg);
    expect(out.public).toMatchObject({ kid: out.kid, alg, use: 'sig' });
    expect(out.public.d).toBeUndefined();
    expect(out.private).toMatchObject({ kid: out.kid, alg, d: expect.any(String) });
    await roundTrip(cli.file(`${alg}.private.jwk`, JSON.stringify(out.private)), cli.file(`${alg}.public.jwk`, JSON.stringify(out.public)), alg);
  });

  it('--format pem prints PEM strings that sign and verify; --kid is kept', async () => {
    const r = await cli.run(['keygen', 'RS384', '--format', 'pem', '--kid', 'rsa-1', '--bits', '3072']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { kid: string; alg: string; public: string; private: string };
    expect(out).toMatchObject({ kid: 'rsa-1', alg: 'RS384' });
    expect(out.private).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(out.public).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const signed = await cli.run(['sign', '--payload', PAYLOAD, '--alg', 'RS384', '--key', cli.file('rs.private.pem', out.private), '--json']);
    expect(signed.code).toBe(0);
    const { token } = JSON.parse(signed.stdout) as { token: string };
    expect(JSON.parse((await cli.run(['verify', token, '--key', cli.file('rs.public.pem', out.public), '--json'])).stdout)).toMatchObject({ valid: true });
  });

  it('--out writes the files (private 0600), prints no private part, and never overwrites', async () => {
    const dir = path.join(cli.dir, 'out');
    fs.mkdirSync(dir);
    const r = await cli.run(['keygen', 'ES384', '--kid', 'k/1', '--out', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/"d"|PRIVATE KEY/);
    const out = JSON.parse(r.stdout) as { files: { private: string; public: string } };
    expect(out.files).toEqual({ private: path.join(dir, 'k_1.private.jwk'), public: path.join(dir, 'k_1.public.jwk') });
    expect(fs.statSync(out.files.private).mode & 0o777).toBe(0o600);
    await roundTrip(out.files.private, out.files.public, 'ES384');
    const again = await cli.run(['keygen', 'ES384', '--kid', 'k/1', '--out', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });

  it('HS256 prints public null; its JWK signs and verifies', async () => {
    const out = JSON.parse((await cli.run(['keygen', 'HS256'])).stdout) as { public: null; private: { k: string } };
    expect(out.public).toBeNull();
    expect(Buffer.from(out.private.k, 'base64url')).toHaveLength(32);
    const file = cli.file('hs.jwk', JSON.stringify(out.private));
    const signed = JSON.parse((await cli.run(['sign', '--payload', PAYLOAD, '--key', file, '--json'])).stdout) as { token: string };
    expect(JSON.parse((await cli.run(['verify', signed.token, '--key', file, '--json'])).stdout)).toMatchObject({ valid: true, alg: 'HS256' });
  });

  it('bad usage names what is wrong (exit 2)', async () => {
    for (const [args, message] of [
      [['keygen'], 'ALG is required'],
      [['keygen', 'ES257'], 'cannot generate a key for "ES257"; ALG is one of RS256'],
      [['keygen', 'RS256', '--bits', '1024'], '1024'],
      [['keygen', 'ES256', '--bits', '384'], 'ES256 keys have 256 bits; --bits 384 does not apply'],
      [['keygen', 'HS256', '--format', 'pem'], 'HS256 secrets have no PEM form'],
      [['keygen', 'ES256', '--format', 'der'], '--format must be jwk or pem'],
    ] as const) {
      const r = await cli.run([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });
});

describe('jwtdbg keys', () => {
  it('generates into, imports into, lists and exports a passphrase store; the wrong passphrase opens nothing', async () => {
    const data = path.join(cli.dir, 'store');
    const pass = cli.file('pass.txt', 'a passphrase for the cli\n');
    const withPass = ['--data', data, '--passphrase-file', pass];
    const generated = await cli.run(['keys', 'generate', 'ES256', '--kid', 'cli-es', '--label', 'from the cli', ...withPass]);
    expect(generated.code).toBe(0);
    expect(JSON.parse(generated.stdout)).toMatchObject({ kid: 'cli-es', label: 'from the cli', hasPrivate: true, description: 'EC P-256' });
    expect(generated.stdout).not.toMatch(/"d"/);

    const pair = JSON.parse((await cli.run(['keygen', 'EdDSA', '--kid', 'ed'])).stdout) as { private: unknown };
    const imported = await cli.run(['keys', 'import', cli.file('ed.jwk', JSON.stringify(pair.private)), ...withPass]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: [{ kid: 'ed', kty: 'OKP' }], existing: [] });
    expect(imported.stdout).not.toMatch(/"d"/);

    const listed = JSON.parse((await cli.run(['keys', 'list', '--json', ...withPass])).stdout) as { kid: string }[];
    expect(listed.map((k) => k.kid)).toEqual(['cli-es', 'ed']);
    const jwks = JSON.parse((await cli.run(['keys', 'export', 'cli-es', 'ed', ...withPass])).stdout) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['cli-es', 'ed']);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
    expect((await cli.run(['keys', 'export', 'cli-es', '--format', 'pem', ...withPass])).stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);

    const wrong = await cli.run(['keys', 'list', '--data', data, '--passphrase-file', cli.file('wrong.txt', 'not it')]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong-passphrase: the passphrase does not open this key store');
    const none = await cli.run(['keys', 'list', '--data', data]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('the key store needs a passphrase');
    const missing = await cli.run(['keys', 'export', 'nope', ...withPass]);
    expect(missing.stderr).toContain('no key has id or kid "nope"');
  });
});
