/**
 * `jwtdbg attack`, spawned as the built CLI: the JSON line shape of each kind, stdin batches, the readable
 * output, and usage errors (exit 2, one line on stderr).
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, jsonLines, type CliHarness, type RunResult } from './cli-harness';
import { nodeToken, pem } from '../shared/crypto-fixtures';

interface VariantLine {
  kind: string;
  variant: string;
  token: string;
  explanation: string;
  key?: Record<string, unknown>;
  jwks?: { keys: Record<string, unknown>[] };
  pem?: string;
}

const PAYLOAD = { sub: 'alice', iat: 1700000000 };
const URL_OPTION = ['--url', 'https://attacker.example/keys'];

/** Exit 2 with exactly one line on stderr, no stack frame, nothing on stdout. */
function expectUsageFailure(r: RunResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).toMatch(/^jwtdbg attack: /);
  expect(r.stderr).toMatch(message);
}

const headerOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0] as string, 'base64url').toString('utf8')) as Record<string, unknown>;

let cli: CliHarness;
let rsa: crypto.KeyPairKeyObjectResult;
let rsToken: string;
let hsToken: string;
let publicKeyFile: string;

beforeAll(async () => {
  cli = await buildCliHarness();
  rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  rsToken = nodeToken('RS256', rsa.privateKey, { typ: 'JWT', kid: 'k1' }, PAYLOAD);
  hsToken = nodeToken('HS256', crypto.randomBytes(32), { typ: 'JWT' }, PAYLOAD);
  publicKeyFile = cli.file('public.pem', pem(rsa.publicKey, 'spki'));
}, 60_000);
afterAll(() => cli?.dispose());

/** The kinds, their options and the variant names the help documents (RS256 token, RSA public key). */
const KINDS: [string, () => string[], string[], string[]][] = [
  ['none', () => [], ['none', 'None', 'NONE', 'nOnE'], []],
  ['null-signature', () => [], ['RS256'], []],
  ['blank-secret', () => [], ['HS256'], []],
  ['key-confusion', () => ['--key', publicKeyFile], ['pem-as-file', 'pem-trimmed', 'pkcs1-pem', 'spki-der', 'jwk-json'], []],
  ['embedded-jwk', () => [], ['RS256'], ['key']],
  ['jku', () => URL_OPTION, ['RS256'], ['key', 'jwks']],
  ['x5u', () => URL_OPTION, ['RS256'], ['key', 'pem']],
  ['kid-injection', () => [], ['path-traversal', 'sql-injection', 'command-injection'], []],
  ['psychic', () => [], ['ES256'], []],
  ['weak-secret', () => ['--secret', 'secret'], ['HS256'], []],
];

describe('jwtdbg attack --json', () => {
  it.each(KINDS)('%s: one JSON line per variant, {kind, variant, token, explanation} plus its extras', async (kind, options, variants, extras) => {
    const r = await cli.run(['attack', kind, rsToken, '--json', ...options()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as VariantLine[];
    expect(lines.map((l) => l.variant)).toEqual(variants);
    const payloadSegment = rsToken.split('.')[1];
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(['kind', 'variant', 'token', 'explanation', ...extras]);
      expect(line.kind).toBe(kind);
      expect(line.token.split('.')).toHaveLength(3);
      expect(line.token.split('.')[1]).toBe(payloadSegment);
      expect(line.explanation).toMatch(/RFC 8725 §\d/);
    }
    if (extras.includes('jwks')) expect(lines[0]!.jwks!.keys[0]!.kid).toBe(headerOf(lines[0]!.token).kid);
    if (extras.includes('pem')) expect(new crypto.X509Certificate(lines[0]!.pem!).publicKey.export({ format: 'jwk' }).n).toBe(lines[0]!.key!.n);
  }, 30_000);

  it('keeps the token\'s HS alg and reads a pasted "Bearer" token', async () => {
    const r = await cli.run(['attack', 'blank-secret', `Bearer ${nodeToken('HS384', Buffer.from('k'.repeat(48)), {}, PAYLOAD)}`, '--json']);
    expect(r.code).toBe(0);
    const [line] = jsonLines(r.stdout) as VariantLine[];
    expect(line!.variant).toBe('HS384');
    expect(headerOf(line!.token).alg).toBe('HS384');
  });
});

describe('jwtdbg attack, tokens on stdin', () => {
  it('prints the variants of each token in order; a token it cannot read gets an error line, and exit 2', async () => {
    const r = await cli.run(['attack', 'null-signature', '--json'], { input: `${rsToken}\n\nnot-a-token\n${hsToken}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('');
    const lines = jsonLines(r.stdout) as (VariantLine & { error?: { code: string; message: string; segment: string | null; offset: number | null } })[];
    expect(lines).toHaveLength(3);
    expect(lines[0]!.token).toBe(`${rsToken.split('.').slice(0, 2).join('.')}.`);
    expect(lines[1]).toEqual({ kind: 'null-signature', error: expect.objectContaining({ code: 'segment-count', segment: 'input', offset: 0 }) });
    expect(lines[2]!.token).toBe(`${hsToken.split('.').slice(0, 2).join('.')}.`);
  });

  it('exits 0 when every token was attacked, and uses one fresh key for the whole batch', async () => {
    const r = await cli.run(['attack', 'jku', '--json', ...URL_OPTION], { input: `${rsToken}\n${rsToken}\n` });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as VariantLine[];
    expect(lines).toHaveLength(2);
    expect(headerOf(lines[0]!.token).kid).toBe(headerOf(lines[1]!.token).kid);
    expect(lines[0]!.jwks).toEqual(lines[1]!.jwks);
  });
});

describe('jwtdbg attack, readable output', () => {
  it('prints a block per variant: its name, the explanation, the token', async () => {
    const r = await cli.run(['attack', 'none', hsToken]);
    expect(r.code).toBe(0);
    const blocks = r.stdout.trimEnd().split('\n\n');
    expect(blocks).toHaveLength(4);
    const [title, explanation, token] = blocks[1]!.split('\n');
    expect(title).toBe('none · None');
    expect(explanation).toMatch(/^ {2}The header says alg "None".*RFC 8725 §3\.1/);
    expect(headerOf(token!).alg).toBe('None');
  });

  it('shows the JWKS to serve for jku', async () => {
    const r = await cli.run(['attack', 'jku', hsToken, ...URL_OPTION]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const at = lines.indexOf('  JWKS to serve at the jku URL:');
    expect(at).toBeGreaterThan(0);
    expect(JSON.parse(lines[at + 1]!)).toMatchObject({ keys: [{ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' }] });
  });

  it('has help that names every kind and the x5u "pem" member', async () => {
    const r = await cli.run(['attack', '--help']);
    expect(r.code).toBe(0);
    for (const [kind] of KINDS) expect(r.stdout).toContain(`  ${kind} `);
    expect(r.stdout).toMatch(/pkcs1-pem \(RSA keys only/);
    expect(r.stdout).toContain('"pem" (x5u)');
  });
});

describe('jwtdbg attack, bad usage (exit 2, one line)', () => {
  it('a missing or unknown kind', async () => {
    expectUsageFailure(await cli.run(['attack']), /missing KIND: one of none, null-signature/);
    expectUsageFailure(await cli.run(['attack', 'alg-swap', rsToken]), /unknown attack kind 'alg-swap'/);
    // A token in the KIND place is not echoed back.
    const r = await cli.run(['attack', rsToken]);
    expectUsageFailure(r, /unknown attack kind: expected/);
    expect(r.stderr).not.toContain(rsToken.slice(0, 20));
  });

  it('a missing --key, --url or --secret, or one the kind does not take', async () => {
    expectUsageFailure(await cli.run(['attack', 'key-confusion', rsToken]), /key-confusion needs --key/);
    expectUsageFailure(await cli.run(['attack', 'jku', rsToken]), /jku needs --url/);
    expectUsageFailure(await cli.run(['attack', 'x5u', rsToken]), /x5u needs --url/);
    expectUsageFailure(await cli.run(['attack', 'weak-secret', rsToken]), /weak-secret needs --secret/);
    expectUsageFailure(await cli.run(['attack', 'weak-secret', rsToken, '--secret', '']), /--secret is empty/);
    expectUsageFailure(await cli.run(['attack', 'none', rsToken, '--secret', 'x']), /--secret applies only to weak-secret/);
    expectUsageFailure(await cli.run(['attack', 'jku', rsToken, '--url', 'ftp://x/y']), /http or https URL/);
    expectUsageFailure(await cli.run(['attack', 'embedded-jwk', rsToken, '--key-type', 'dsa']), /--key-type must be rsa or ec/);
  });

  it('an unreadable or unusable key file', async () => {
    expectUsageFailure(await cli.run(['attack', 'key-confusion', rsToken, '--key', `${cli.dir}/missing.pem`]), /key file '.*missing\.pem' does not exist/);
    expectUsageFailure(await cli.run(['attack', 'key-confusion', rsToken, '--key', cli.file('junk.txt', 'junk')]), /invalid-key: key-unreadable/);
    const privateFile = cli.file('private.pem', pem(rsa.privateKey, 'pkcs8'));
    const r = await cli.run(['attack', 'key-confusion', rsToken, '--key', privateFile]);
    expectUsageFailure(r, /key-not-public/);
    expect(r.stderr).not.toContain('PRIVATE KEY-----\n');
  });

  it('a token decode refuses: its error code', async () => {
    expectUsageFailure(await cli.run(['attack', 'none', 'abc.def']), /cannot attack the token: segment-count/);
    expectUsageFailure(await cli.run(['attack', 'none', `${rsToken.slice(0, 5)}*${rsToken.slice(6)}`]), /cannot attack the token: base64url-invalid-char \(header, offset 5\)/);
  });

  it('two tokens as arguments, or none on stdin', async () => {
    expectUsageFailure(await cli.run(['attack', 'none', rsToken, hsToken]), /at most one TOKEN/);
    expectUsageFailure(await cli.run(['attack', 'none'], { input: '\n\n' }), /no token on stdin/);
  });
});
