// `jwtdbg decode --json` and `jwtdbg verify --kb-aud/--kb-nonce` on the RFC 9901 examples, through the built CLI.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fixtureJson } from '../shared/crypto-fixtures';
import { buildCliHarness, jsonLines, type CliHarness } from './cli-harness';

const rfc = fixtureJson<{ issuerKey: object; issuance: string; presentation: string; keyBinding: { aud: string; nonce: string }; now: number }>('sd-jwt/rfc9901.json');
let cli: CliHarness;
let keyFile: string;

beforeAll(async () => {
  cli = await buildCliHarness();
  keyFile = cli.file('issuer.jwk', JSON.stringify(rfc.issuerKey));
}, 60_000);
afterAll(() => cli?.dispose());

it('decode --json gives kind sd-jwt, the Disclosures, the claims as disclosed and the key-binding JWT', async () => {
  const r = await cli.run(['decode', rfc.presentation, '--json']);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout) as Record<string, any>;
  expect(out.kind).toBe('sd-jwt');
  expect(out.header).toEqual({ alg: 'ES256', typ: 'example+sd-jwt' });
  expect(out.disclosures).toHaveLength(4);
  expect(out.disclosures[0]).toEqual({ digest: 'TGf4oLbgwd5JQaHyKVQZU9UdGE0w5rtDsrZzfUaomLo', salt: 'eluV5Og3gSNII8EYnsxA_A', name: 'family_name', value: 'Doe', path: '$.family_name' });
  expect(out.disclosures[3]).toMatchObject({ name: null, value: 'US', path: '$.nationalities[0]' });
  expect(out.claims).toMatchObject({ given_name: 'John', nationalities: ['US'] });
  expect(out.keyBinding.header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
  expect(out.keyBinding.payload).toMatchObject({ aud: rfc.keyBinding.aud, nonce: rfc.keyBinding.nonce });

  const plain = await cli.run(['decode', rfc.issuance, '--json']);
  expect(JSON.parse(plain.stdout)).toMatchObject({ kind: 'sd-jwt', keyBinding: null });
});

it('verify checks the KB-JWT against --kb-aud and --kb-nonce, exit 0 when all hold and 1 when one does not', async () => {
  const base = ['verify', rfc.presentation, '--key', keyFile, '--now', String(rfc.now), '--json'];
  const good = await cli.run([...base, '--kb-aud', rfc.keyBinding.aud, '--kb-nonce', rfc.keyBinding.nonce]);
  expect(good.code).toBe(0);
  const claims = (jsonLines(good.stdout)[0] as { claims: Array<{ claim: string; ok: boolean }> }).claims;
  expect(claims.filter((c) => c.claim.startsWith('kb') || c.claim === 'sd_hash' || c.claim === 'disclosures').map((c) => [c.claim, c.ok])).toEqual([
    ['disclosures', true],
    ['kb+jwt', true],
    ['kb.signature', true],
    ['sd_hash', true],
    ['kb.iat', true],
    ['kb.aud', true],
    ['kb.nonce', true],
  ]);
  const wrong = await cli.run([...base, '--kb-nonce', 'replayed']);
  expect(wrong.code).toBe(1);
  expect(JSON.parse(wrong.stdout)).toMatchObject({ valid: true, ok: false });
  // Without a KB-JWT, an expected nonce cannot be met.
  const missing = await cli.run(['verify', rfc.issuance, '--key', keyFile, '--now', String(rfc.now), '--kb-nonce', 'n']);
  expect(missing.code).toBe(1);
  expect(missing.stdout).toMatch(/kb\+jwt/);
});
