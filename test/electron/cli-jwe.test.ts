// `jwtdbg decrypt` and `jwtdbg encrypt` through the built CLI: the exact JSON contract, exit codes, stdin
// batch, nested JWT decoded exactly as `decode --json` prints it, and one-line usage errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { base64url, exportJWK, exportPKCS8, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_DECRYPTABLE_REASON } from '../../shared/core/jwe';
import { buildCliHarness, jsonLines, repoRoot, type CliHarness } from './cli-harness';

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

const RFC7516 = JSON.parse(readFileSync(path.join(repoRoot, 'test/fixtures/rfc7516/appendix-a.json'), 'utf8')) as Record<
  string,
  { plaintext: string; compact: string; key?: unknown }
>;
const cookbook = (name: string): { input: { plaintext: string; pwd?: string; key?: unknown }; output: { compact: string; json: unknown } } => {
  const dir = path.join(repoRoot, 'test/fixtures/rfc7520/jwe');
  const file = ['5_3.key_wrap_using_pbes2-aes-keywrap_with-aes-cbc-hmac-sha2.json', '5_9.compressed_content.json'].find((f) => f.startsWith(name))!;
  return JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ReturnType<typeof cookbook>;
};

const DECRYPT_KEYS = ['ok', 'header', 'plaintext', 'plaintextBase64url', 'nested', 'reason', 'warnings'];
const octFile = (name: string, bytes: number): string =>
  cli.file(name, JSON.stringify({ kty: 'oct', k: base64url.encode(crypto.getRandomValues(new Uint8Array(bytes))) }));

describe('jwtdbg decrypt', () => {
  it('decrypts RFC 7516 A.1 with a JWK file: the exact JSON shape, exit 0', async () => {
    const a1 = RFC7516['A.1']!;
    const key = cli.file('a1.json', JSON.stringify(a1.key));
    const r = await cli.run(['decrypt', a1.compact, '--key', key, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(DECRYPT_KEYS);
    expect(out).toEqual({
      ok: true,
      header: { alg: 'RSA-OAEP', enc: 'A256GCM' },
      plaintext: a1.plaintext,
      plaintextBase64url: base64url.encode(a1.plaintext),
      nested: null,
      reason: null,
      warnings: [],
    });
  });

  it('decrypts RFC 7520 5.3 (PBES2) with --password and 5.9 (zip) with a key', async () => {
    const pbes2 = cookbook('5_3');
    const r = await cli.run(['decrypt', pbes2.output.compact, '--password', pbes2.input.pwd!, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, plaintext: pbes2.input.plaintext });
    const zip = cookbook('5_9');
    const key = cli.file('5_9.json', JSON.stringify(zip.input.key));
    const z = await cli.run(['decrypt', JSON.stringify(zip.output.json), '--key', key]);
    expect(z.code).toBe(0);
    expect(z.stdout).toContain(zip.input.plaintext);
  });

  it('a wrong key and a tampered tag: exit 1, the one generic reason', async () => {
    const a3 = RFC7516['A.3']!;
    const wrong = octFile('wrong.json', 16);
    const r = await cli.run(['decrypt', a3.compact, '--key', wrong, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(DECRYPT_KEYS);
    expect(out).toEqual({ ok: false, header: { alg: 'A128KW', enc: 'A128CBC-HS256' }, plaintext: null, plaintextBase64url: null, nested: null, reason: NOT_DECRYPTABLE_REASON, warnings: [] });
    const right = cli.file('a3.json', JSON.stringify(a3.key));
    const parts = a3.compact.split('.');
    parts[4] = `${parts[4]!.startsWith('A') ? 'B' : 'A'}${parts[4]!.slice(1)}`;
    const t = await cli.run(['decrypt', parts.join('.'), '--key', right, '--json']);
    expect(t.code).toBe(1);
    expect(JSON.parse(t.stdout)).toMatchObject({ ok: false, reason: NOT_DECRYPTABLE_REASON });
  });

  it('RSA1_5 (RFC 7516 A.2): exit 1 with a deprecation warning', async () => {
    const key = cli.file('a1-for-a2.json', JSON.stringify(RFC7516['A.1']!.key));
    const r = await cli.run(['decrypt', RFC7516['A.2']!.compact, '--key', key, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { ok: boolean; warnings: string[] };
    expect(out.ok).toBe(false);
    expect(out.warnings).toEqual([expect.stringMatching(/RSA1_5.*deprecated/)]);
  });

  it('a nested JWT: "nested" is exactly what decode --json prints for the inner token', async () => {
    const inner = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const key = octFile('dir.json', 32);
    const e = await cli.run(['encrypt', '--key', key, '--alg', 'dir', '--enc', 'A256GCM', '--payload', inner, '--cty', 'JWT']);
    expect(e.code).toBe(0);
    const r = await cli.run(['decrypt', e.stdout.trim(), '--key', key, '--json']);
    expect(r.code).toBe(0);
    const decoded = await cli.run(['decode', inner, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, plaintext: inner, nested: JSON.parse(decoded.stdout) as unknown });
    expect((JSON.parse(r.stdout) as { nested: { payload: unknown } }).nested.payload).toEqual({ sub: '1234567890', iat: 1516239022 });
  });

  it('without TOKEN reads stdin: one JSON line per token, exit 1 when any fails', async () => {
    const a3 = RFC7516['A.3']!;
    const key = cli.file('a3-batch.json', JSON.stringify(a3.key));
    const r = await cli.run(['decrypt', '--key', key], { input: `${a3.compact}\n\nnot-a-token\n${a3.compact}\n` });
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as { ok: boolean; plaintext: string | null }[];
    expect(lines.map((l) => [l.ok, l.plaintext])).toEqual([
      [true, a3.plaintext],
      [false, null],
      [true, a3.plaintext],
    ]);
  });

  it('p2c above the cap: exit 1 with a clear reason', async () => {
    const pbes2 = cookbook('5_3');
    const [h, ...rest] = pbes2.output.compact.split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8')) as Record<string, unknown>;
    const token = [base64url.encode(JSON.stringify({ ...header, p2c: 50_000_000 })), ...rest].join('.');
    const r = await cli.run(['decrypt', token, '--password', pbes2.input.pwd!, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { reason: string }).reason).toMatch(/"p2c" is 50000000, above the limit of 1000000/);
  });

  it.each([
    [['decrypt', 'x.y.z.w.v'], /a key is required/],
    [['decrypt', 'x.y.z.w.v', '--key', 'k', '--password', 'p'], /either --key or --password/],
    [['decrypt', 'a', 'b', '--password', 'p'], /at most one TOKEN/],
    [['decrypt', 'x', '--key', '/nonexistent/key.json'], /does not exist/],
    [['encrypt', '--password', 'p', '--enc', 'A128GCM', '--payload', 'x'], /--alg is required/],
    [['encrypt', '--password', 'p', '--alg', 'RSA1_5', '--enc', 'A128GCM', '--payload', 'x'], /--alg "RSA1_5" is not a supported/],
    [['encrypt', '--password', 'p', '--alg', 'dir', '--enc', 'nope', '--payload', 'x'], /--enc "nope"/],
    [['encrypt', '--password', 'p', '--alg', 'dir', '--enc', 'A128GCM'], /--payload is required/],
    [['encrypt', '--password', 'p', '--alg', 'dir', '--enc', 'A128GCM', '--payload', 'x'], /a password is only for the PBES2/],
  ])('usage error %j: exit 2, one line on stderr', async (args, message) => {
    const r = await cli.run(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')[0]).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });
});

describe('jwtdbg encrypt', () => {
  it.each(['decrypt', 'encrypt'])('%s --help: usage, exit status; listed in the general help', async (command) => {
    const h = await cli.run([command, '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain(`Usage: jwtdbg ${command}`);
    expect(h.stdout).toMatch(/Exit status/);
    expect((await cli.run(['--help'])).stdout).toMatch(new RegExp(`\\n\\s+${command}\\s`));
  });
  it('--json prints {token, alg, enc}; RSA-OAEP-256 with PEM keys round-trips through decrypt', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { extractable: true });
    const pub = cli.file('rsa.pub.pem', await exportSPKI(publicKey));
    const priv = cli.file('rsa.key.pem', await exportPKCS8(privateKey));
    const payloadFile = cli.file('payload.txt', '{"sub":"file"}\n');
    const e = await cli.run(['encrypt', '--key', pub, '--alg', 'RSA-OAEP-256', '--enc', 'A128CBC-HS256', '--payload', `@${payloadFile}`, '--json']);
    expect(e.code).toBe(0);
    const out = JSON.parse(e.stdout) as Record<string, string>;
    expect(Object.keys(out)).toEqual(['token', 'alg', 'enc']);
    expect(out).toMatchObject({ alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256' });
    expect(out.token!.split('.')).toHaveLength(5);
    const d = await cli.run(['decrypt', out.token!, '--key', priv, '--json']);
    expect(JSON.parse(d.stdout)).toMatchObject({ ok: true, plaintext: '{"sub":"file"}' });
  });

  it('ECDH-ES+A256KW on X25519 (JWK files) and PBES2 (--password) round-trip', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
    const pub = cli.file('x.pub.json', JSON.stringify(await exportJWK(publicKey)));
    const priv = cli.file('x.key.json', JSON.stringify(await exportJWK(privateKey)));
    const e = await cli.run(['encrypt', '--key', pub, '--alg', 'ECDH-ES+A256KW', '--enc', 'A256GCM', '--payload', 'x25519']);
    expect(e.code).toBe(0);
    expect(JSON.parse((await cli.run(['decrypt', e.stdout.trim(), '--key', priv, '--json'])).stdout)).toMatchObject({ ok: true, plaintext: 'x25519' });
    const p = await cli.run(['encrypt', '--password', 'pw', '--alg', 'PBES2-HS512+A256KW', '--enc', 'A256CBC-HS512', '--payload', 'pbes2']);
    expect(p.code).toBe(0);
    expect(JSON.parse((await cli.run(['decrypt', p.stdout.trim(), '--password', 'pw', '--json'])).stdout)).toMatchObject({ ok: true, plaintext: 'pbes2' });
    expect((await cli.run(['decrypt', p.stdout.trim(), '--password', 'nope', '--json'])).code).toBe(1);
  });
});
