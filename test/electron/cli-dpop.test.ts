// `jwtdbg dpop create|verify` through the built CLI: the JSON contract, exit codes, usage errors, and a proof
// made by node:crypto (not by the code under test) verifying.
import crypto, { type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64u, nodeToken } from '../shared/crypto-fixtures';
import { buildCliHarness, type CliHarness, type RunResult } from './cli-harness';

let cli: CliHarness;
let p256: { privateKey: KeyObject; publicKey: KeyObject };
const files: Record<string, string> = {};

beforeAll(async () => {
  cli = await buildCliHarness();
  p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = crypto.generateKeyPairSync('ed25519');
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  files.ES256 = cli.file('p256.jwk', JSON.stringify(p256.privateKey.export({ format: 'jwk' })));
  files.EdDSA = cli.file('ed.pem', ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  files.RS256 = cli.file('rsa.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  files.public = cli.file('p256-public.pem', p256.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  files.jwks = cli.file('two.jwks', JSON.stringify({ keys: [{ ...p256.privateKey.export({ format: 'jwk' }), kid: 'a' }, { ...ed.privateKey.export({ format: 'jwk' }), kid: 'b' }] }));
}, 60_000);
afterAll(() => cli?.dispose());

const HTU = 'https://api.example.com/resource';

function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const required = jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : jwk.kty === 'OKP' ? ['crv', 'kty', 'x'] : ['e', 'kty', 'n'];
  return b64u(crypto.createHash('sha256').update(`{${required.map((m) => `"${m}":${JSON.stringify(jwk[m])}`).join(',')}}`).digest());
}

interface VerifyJson {
  valid: boolean;
  reason: string | null;
  jkt: string | null;
  checks: { check: string; ok: boolean; message: string }[];
}

function expectUsage(r: RunResult): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^jwtdbg dpop: /);
}

describe('jwtdbg dpop create → verify', () => {
  it.each(['ES256', 'EdDSA', 'RS256'])('round trips with %s', async (alg) => {
    const created = await cli.run(['dpop', 'create', '--key', files[alg] as string, '--htm', 'POST', '--htu', `${HTU}?q=1`, '--access-token', 'tok', '--nonce', 'n1', '--json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const made = JSON.parse(created.stdout) as { proof: string; jkt: string };
    expect(Object.keys(made).sort()).toEqual(['jkt', 'proof']);
    const header = JSON.parse(Buffer.from(made.proof.split('.')[0] as string, 'base64url').toString()) as { alg: string; typ: string; jwk: Record<string, unknown> };
    expect(header.alg).toBe(alg);
    expect(header.typ).toBe('dpop+jwt');
    expect(header.jwk).not.toHaveProperty('d');

    const verified = await cli.run(['dpop', 'verify', made.proof, '--htm', 'POST', '--htu', HTU, '--access-token', 'tok', '--nonce', 'n1', '--json']);
    expect(verified.code).toBe(0);
    const result = JSON.parse(verified.stdout) as VerifyJson;
    expect(Object.keys(result)).toEqual(['valid', 'reason', 'jkt', 'checks']);
    expect(result).toMatchObject({ valid: true, reason: null, jkt: made.jkt });
    for (const c of result.checks) expect(Object.keys(c)).toEqual(['check', 'ok', 'message']);

    // Another method: exit 1 with the htm check as the reason.
    const wrong = await cli.run(['dpop', 'verify', made.proof, '--htm', 'GET', '--htu', HTU, '--access-token', 'tok', '--nonce', 'n1', '--json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ valid: false, reason: 'htm' });
  });

  it('prints the proof alone without --json', async () => {
    const r = await cli.run(['dpop', 'create', '--key', files.ES256 as string, '--htm', 'GET', '--htu', HTU]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });
});

describe('jwtdbg dpop verify', () => {
  const nodeProof = (claims: object = {}) =>
    nodeToken('ES256', p256.privateKey, { typ: 'dpop+jwt', jwk: p256.publicKey.export({ format: 'jwk' }) }, { jti: 'j1', htm: 'GET', htu: HTU, iat: 1_700_000_000, ...claims });

  it('verifies a proof made with node:crypto at --now, with its thumbprint', async () => {
    const r = await cli.run(['dpop', 'verify', nodeProof(), '--htm', 'GET', '--htu', 'HTTPS://API.example.com:443/resource', '--now', '1700000100', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, reason: null, jkt: thumbprint(p256.publicKey) });
  });

  it('applies --max-age to iat', async () => {
    const r = await cli.run(['dpop', 'verify', nodeProof(), '--htm', 'GET', '--htu', HTU, '--now', '1700000100', '--max-age', '60', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, reason: 'iat' });
  });

  it('exits 1 with malformed-token and the decoder code for a proof decode refuses', async () => {
    const r = await cli.run(['dpop', 'verify', 'abc.def', '--htm', 'GET', '--htu', HTU, '--json']);
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as VerifyJson;
    expect(result).toMatchObject({ valid: false, reason: 'malformed-token', jkt: null });
    expect(result.checks[0]?.message).toMatch(/^segment-count: /);
  });

  it('prints one line per check in text mode', async () => {
    const r = await cli.run(['dpop', 'verify', nodeProof(), '--htm', 'PUT', '--htu', HTU, '--now', '1700000000']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/invalid: htm/);
    expect(r.stdout).toMatch(/✗ htm/);
  });
});

describe('jwtdbg dpop usage errors (exit 2, one line)', () => {
  const proof = 'a.b.c';
  it.each([
    ['no action', ['dpop']],
    ['unknown action', ['dpop', 'sign']],
    ['verify without PROOF', ['dpop', 'verify', '--htm', 'GET', '--htu', HTU]],
    ['verify with two PROOFs', ['dpop', 'verify', proof, proof, '--htm', 'GET', '--htu', HTU]],
    ['missing --htm', ['dpop', 'verify', proof, '--htu', HTU]],
    ['missing --htu', ['dpop', 'verify', proof, '--htm', 'GET']],
    ['--htm not a method', ['dpop', 'verify', proof, '--htm', 'GET /x', '--htu', HTU]],
    ['--htu not http(s)', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', 'file:///etc/passwd']],
    ['--htu not a URL', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', 'api/resource']],
    ['--max-age negative', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', HTU, '--max-age', '-1']],
    ['--now not a number', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', HTU, '--now', 'soon']],
    ['--key with verify', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', HTU, '--key', 'k.pem']],
    ['create without --key', ['dpop', 'create', '--htm', 'GET', '--htu', HTU]],
    ['create with --now', ['dpop', 'create', '--key', 'k.pem', '--htm', 'GET', '--htu', HTU, '--now', '1']],
    ['create with a missing key file', ['dpop', 'create', '--key', '/nonexistent/key.pem', '--htm', 'GET', '--htu', HTU]],
    ['unknown option', ['dpop', 'verify', proof, '--htm', 'GET', '--htu', HTU, '--bogus']],
  ])('%s', async (_name, args) => {
    expectUsage(await cli.run(args));
  });

  it('refuses a public key, a key set and a bad method for create', async () => {
    for (const args of [
      ['--key', files.public as string, '--htm', 'GET'],
      ['--key', files.jwks as string, '--htm', 'GET'],
      ['--key', files.ES256 as string, '--htm', 'GET /x'],
    ]) {
      const r = await cli.run(['dpop', 'create', ...args, '--htu', HTU]);
      expectUsage(r);
      expect(r.stderr).not.toContain('"d"');
    }
  });
});
