import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliHarness, jsonLines, repoRoot, type CliHarness } from './cli-harness';

// RFC 7515 Appendix A.1: HS256 JWS and its symmetric JWK (exp 1300819380).
const A1_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const A1_JWK = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };
const A1_NOW = '1300819300';

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** A compact JWS made with node:crypto directly, independent of the code under test. */
function jws(header: object, payload: object | string, sign: (input: Buffer) => Buffer): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(typeof payload === 'string' ? payload : JSON.stringify(payload))}`;
  return `${input}.${sign(Buffer.from(input)).toString('base64url')}`;
}
const hs256 = (secret: Uint8Array) => (input: Buffer) => crypto.createHmac('sha256', secret).update(input).digest();
const rs256 = (key: crypto.KeyObject) => (input: Buffer) => crypto.sign('sha256', input, key);
const es256 = (key: crypto.KeyObject) => (input: Buffer) => crypto.sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
const eddsa = (key: crypto.KeyObject) => (input: Buffer) => crypto.sign(null, input, key);

interface VerifyJson {
  valid: boolean;
  ok: boolean;
  alg: string | null;
  kid: string | null;
  reason: string | null;
  warnings: string[];
  claims: { claim: string; ok: boolean; checked: boolean; message: string }[];
}

/** Exit 2 with exactly one line on stderr, no stack frame, nothing on stdout. */
function expectUsageFailure(r: { code: number | null; stdout: string; stderr: string }) {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(r.stderr).toMatch(/^jwtdbg/);
}

let cli: CliHarness;
beforeAll(async () => {
  cli = await buildCliHarness();
}, 60_000);
afterAll(() => cli?.dispose());

describe('jwtdbg verify', () => {
  it('verifies RFC 7515 A.1 with its JWK at --now inside the lifetime', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    const r = await cli.run(['verify', A1_TOKEN, '--key', key, '--json', '--now', A1_NOW]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as VerifyJson;
    expect(out).toMatchObject({ valid: true, ok: true, alg: 'HS256', kid: null, reason: null, warnings: [] });
    expect(out.claims.find((c) => c.claim === 'exp')).toMatchObject({ ok: true });
    expect(out.claims.every((c) => typeof c.message === 'string')).toBe(true);
  });

  it('keeps the signature valid but fails the token at the real clock (expired)', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    const r = await cli.run(['verify', A1_TOKEN, '--key', key, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as VerifyJson;
    expect(out.valid).toBe(true);
    expect(out.ok).toBe(false);
    expect(out.claims.find((c) => c.claim === 'exp')).toMatchObject({ ok: false });
  });

  it('honours --leeway for exp', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    const late = String(1300819380 + 30);
    expect((await cli.run(['verify', A1_TOKEN, '--key', key, '--json', '--now', late])).code).toBe(1);
    const r = await cli.run(['verify', A1_TOKEN, '--key', key, '--json', '--now', late, '--leeway', '60']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, ok: true });
  });

  it('rejects a tampered payload with reason signature-mismatch', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    const [h, , s] = A1_TOKEN.split('.');
    const tampered = `${h}.${b64u('{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":false}')}.${s}`;
    const r = await cli.run(['verify', tampered, '--key', key, '--json', '--now', A1_NOW]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, ok: false, reason: 'signature-mismatch' });
  });

  it('prints a readable verdict without --json, and no colour when stdout is not a terminal', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    const good = await cli.run(['verify', A1_TOKEN, '--key', key, '--now', A1_NOW]);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/valid/i);
    expect(good.stdout).not.toContain('\x1b[');
    const bad = await cli.run(['verify', A1_TOKEN.slice(0, -2) + 'AA', '--key', key, '--now', A1_NOW]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('signature-mismatch');
  });

  describe('--secret in each encoding', () => {
    const secret = crypto.randomBytes(32);
    const token = jws({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice' }, hs256(secret));
    const encodings: [string, string][] = [
      ['base64', secret.toString('base64')],
      ['base64url', secret.toString('base64url')],
      ['hex', secret.toString('hex')],
    ];
    for (const [encoding, text] of encodings) {
      it(`verifies with --secret-encoding ${encoding}`, async () => {
        const r = await cli.run(['verify', token, '--secret', text, '--secret-encoding', encoding, '--json']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, ok: true, alg: 'HS256' });
        // Read as utf8, the same text is a different secret.
        const asUtf8 = await cli.run(['verify', token, '--secret', text, '--json']);
        expect(asUtf8.code).toBe(1);
        expect(JSON.parse(asUtf8.stdout)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
      });
    }

    it('verifies with a utf8 secret (the default) and never prints it', async () => {
      const text = 'correct horse battery staple, long enough: 32+ bytes';
      const utf8Token = jws({ alg: 'HS256' }, { sub: 'bob' }, hs256(Buffer.from(text, 'utf8')));
      const r = await cli.run(['verify', utf8Token, '--secret', text, '--secret-encoding', 'utf8', '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, ok: true });
      const wrong = await cli.run(['verify', utf8Token, '--secret', `${text}!`]);
      expect(wrong.code).toBe(1);
      expect(wrong.stdout + wrong.stderr).not.toContain(text);
    });

    it('warns hmac-secret-short for a secret shorter than the hash output', async () => {
      const short = 'tiny';
      const t = jws({ alg: 'HS256' }, { sub: 'x' }, hs256(Buffer.from(short)));
      const r = await cli.run(['verify', t, '--secret', short, '--json']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as VerifyJson;
      expect(out.valid).toBe(true);
      expect(out.warnings).toContain('hmac-secret-short');
    });

    it('rejects an unknown encoding and a secret that is not in its encoding with exit 2', async () => {
      expectUsageFailure(await cli.run(['verify', token, '--secret', 'abc', '--secret-encoding', 'rot13']));
      const badHex = await cli.run(['verify', token, '--secret', 'zz-not-hex-zz', '--secret-encoding', 'hex']);
      expectUsageFailure(badHex);
      expect(badHex.stderr).not.toContain('zz-not-hex-zz');
    });
  });

  describe('--key files', () => {
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const rsaToken = jws({ alg: 'RS256', kid: 'rsa-1' }, { sub: 'rsa' }, rs256(rsa.privateKey));
    const ecToken = jws({ alg: 'ES256', kid: 'ec-1' }, { sub: 'ec' }, es256(ec.privateKey));

    it('takes an SPKI PEM public key', async () => {
      const key = cli.file('rsa.pub.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
      const r = await cli.run(['verify', rsaToken, '--key', key, '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, ok: true, alg: 'RS256', kid: 'rsa-1' });
    });

    it('takes a PKCS#1 RSA public key and a PKCS#8 private key (its public half)', async () => {
      const pkcs1 = cli.file('rsa.pkcs1.pem', rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string);
      const priv = cli.file('rsa.key.pem', rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
      for (const key of [pkcs1, priv]) {
        const r = await cli.run(['verify', rsaToken, '--key', key, '--json']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ valid: true });
      }
    });

    it('takes an X.509 certificate', async () => {
      const fixtures = path.join(repoRoot, 'test/fixtures/keys-import');
      const privateKey = crypto.createPrivateKey(fs.readFileSync(path.join(fixtures, 'ed25519-pkcs8.pem')));
      const token = jws({ alg: 'EdDSA' }, { sub: 'cert' }, eddsa(privateKey));
      const r = await cli.run(['verify', token, '--key', path.join(fixtures, 'ed25519-cert.pem'), '--json']);
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, alg: 'EdDSA' });
    });

    it('takes a JWK, and refuses a token signed by another key', async () => {
      const key = cli.file('ec.jwk', JSON.stringify(ec.publicKey.export({ format: 'jwk' })));
      const ok = await cli.run(['verify', ecToken, '--key', key, '--json']);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, alg: 'ES256' });
      const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const forged = jws({ alg: 'ES256', kid: 'ec-1' }, { sub: 'ec' }, es256(other.privateKey));
      const bad = await cli.run(['verify', forged, '--key', key, '--json']);
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, reason: 'signature-mismatch' });
    });

    it('takes a JWKS and picks the key by kid', async () => {
      const jwks = {
        keys: [
          { ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1', use: 'sig' },
          { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', use: 'sig' },
        ],
      };
      const key = cli.file('set.jwks', JSON.stringify(jwks));
      for (const [token, alg, kid] of [
        [rsaToken, 'RS256', 'rsa-1'],
        [ecToken, 'ES256', 'ec-1'],
      ] as const) {
        const r = await cli.run(['verify', token, '--key', key, '--json']);
        expect(r.code).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, alg, kid });
      }
    });

    it('applies --alg, --aud and --iss', async () => {
      const key = cli.file('rsa2.pub.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
      const t = jws({ alg: 'RS256' }, { iss: 'https://issuer.example', aud: ['api', 'web'] }, rs256(rsa.privateKey));
      const allowed = await cli.run(['verify', t, '--key', key, '--json', '--alg', 'PS256,RS256', '--aud', 'api', '--iss', 'https://issuer.example']);
      expect(allowed.code).toBe(0);
      const claims = (JSON.parse(allowed.stdout) as VerifyJson).claims;
      expect(claims.find((c) => c.claim === 'aud')).toMatchObject({ ok: true });
      expect(claims.find((c) => c.claim === 'iss')).toMatchObject({ ok: true });

      const notAllowed = await cli.run(['verify', t, '--key', key, '--json', '--alg', 'PS256']);
      expect(notAllowed.code).toBe(1);
      expect(JSON.parse(notAllowed.stdout)).toMatchObject({ valid: false, reason: 'alg-not-allowed' });

      const wrongAud = await cli.run(['verify', t, '--key', key, '--json', '--aud', 'billing']);
      expect(wrongAud.code).toBe(1);
      const out = JSON.parse(wrongAud.stdout) as VerifyJson;
      expect(out).toMatchObject({ valid: true, ok: false });
      expect(out.claims.find((c) => c.claim === 'aud')).toMatchObject({ ok: false });

      const wrongIss = await cli.run(['verify', t, '--key', key, '--json', '--iss', 'https://evil.example']);
      expect(wrongIss.code).toBe(1);
      expect((JSON.parse(wrongIss.stdout) as VerifyJson).claims.find((c) => c.claim === 'iss')).toMatchObject({ ok: false });
    });

    it('--require fails a token missing a required claim; aud / iss without --aud / --iss are "not checked"', async () => {
      const key = cli.file('rsa3.pub.pem', rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
      const t = jws({ alg: 'RS256' }, { sub: 'u', iss: 'https://issuer.example', aud: 'api' }, rs256(rsa.privateKey));
      const missing = await cli.run(['verify', t, '--key', key, '--json', '--require', 'sub,tenant', '--require', 'scope']);
      expect(missing.code).toBe(1);
      const out = JSON.parse(missing.stdout) as VerifyJson;
      expect(out).toMatchObject({ valid: true, ok: false });
      expect(out.claims).toEqual([
        { claim: 'aud', ok: true, checked: false, message: 'audience "api" (not checked: no expected audience given)' },
        { claim: 'iss', ok: true, checked: false, message: 'issuer "https://issuer.example" (not checked: no expected issuer given)' },
        { claim: 'tenant', ok: false, checked: true, message: 'required claim "tenant" is missing' },
        { claim: 'scope', ok: false, checked: true, message: 'required claim "scope" is missing' },
      ]);
      const present = await cli.run(['verify', t, '--key', key, '--json', '--require', 'sub,aud']);
      expect(present.code).toBe(0);

      const text = await cli.run(['verify', t, '--key', key, '--require', 'tenant']);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(/^ {2}– aud {2}audience "api" \(not checked/m);
      expect(text.stdout).toMatch(/^ {2}✗ tenant {2}required claim "tenant" is missing/m);
      expect(text.stdout).not.toMatch(/✓ aud/);
      expect((await cli.run(['verify', '--help'])).stdout).toContain('--require CLAIM');
    });

    it('names a JWKS key one way, 1-based: "JWKS key #2" for keys[1]', async () => {
      const jwks = { keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'rsa-1' }, { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1' }] };
      const key = cli.file('set2.jwks', JSON.stringify(jwks));
      const r = await cli.run(['verify', ecToken, '--key', key]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('JWKS key #2');
      expect(r.stdout).not.toMatch(/JWKS #\d/);
    });

    it('never verifies alg none', async () => {
      const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
      const none = `${b64u('{"alg":"none"}')}.${b64u('{"sub":"admin"}')}.`;
      const r = await cli.run(['verify', none, '--key', key, '--json']);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: false, ok: false, reason: 'alg-none' });
    });

    it('exits 2 with one line for a key file that is not a key, without echoing it', async () => {
      const material = 'THIS-IS-NOT-A-KEY-0123456789';
      const key = cli.file('garbage.pem', `-----BEGIN PUBLIC KEY-----\n${material}\n-----END PUBLIC KEY-----\n`);
      const r = await cli.run(['verify', rsaToken, '--key', key]);
      expectUsageFailure(r);
      expect(r.stderr).not.toContain(material);
    });
  });

  it('verifies a stdin batch with one key: one line per token, in order, exit 1 when any fails', async () => {
    const secret = Buffer.from('b'.repeat(32));
    const tokens = Array.from({ length: 120 }, (_, i) => {
      const t = jws({ alg: 'HS256' }, { i, exp: 4_000_000_000 }, hs256(secret));
      return i % 7 === 3 ? `${t.slice(0, t.lastIndexOf('.') + 1)}${'A'.repeat(43)}` : t; // every 7th forged
    });
    const r = await cli.run(['verify', '--secret', 'b'.repeat(32)], { input: tokens.join('\n') + '\n' });
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as VerifyJson[];
    expect(lines).toHaveLength(tokens.length);
    expect(lines.map((l) => l.valid)).toEqual(tokens.map((_, i) => i % 7 !== 3));
    expect(lines.filter((l) => !l.valid).every((l) => l.reason === 'signature-mismatch')).toBe(true);

    const good = tokens.filter((_, i) => i % 7 !== 3);
    const allGood = await cli.run(['verify', '--secret', 'b'.repeat(32), '--json'], { input: good.join('\n') });
    expect(allGood.code).toBe(0);
    expect(jsonLines(allGood.stdout)).toHaveLength(good.length);
  });

  it('exits 2 with one line and no stack for a missing key file', async () => {
    const r = await cli.run(['verify', A1_TOKEN, '--key', path.join(cli.dir, 'missing.pem')]);
    expectUsageFailure(r);
    expect(r.stderr).toContain('missing.pem');
  });

  it('exits 2 without a key, with both --key and --secret, or with a bad --now', async () => {
    const key = cli.file('a1.jwk', JSON.stringify(A1_JWK));
    expectUsageFailure(await cli.run(['verify', A1_TOKEN]));
    expectUsageFailure(await cli.run(['verify', A1_TOKEN, '--key', key, '--secret', 'x']));
    expectUsageFailure(await cli.run(['verify', A1_TOKEN, '--key', key, '--now', 'yesterday']));
    expectUsageFailure(await cli.run(['verify', A1_TOKEN, '--key', key, '--leeway', '-3']));
  });
});

describe('jwtdbg verify: OIDC token-pair checks', () => {
  it('--access-token and --nonce become claim checks (at_hash: left half of SHA-256 for ES256)', async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const digest = crypto.createHash('sha256').update('access-1').digest();
    const token = jws({ alg: 'ES256' }, { sub: 'u', nonce: 'n1', at_hash: digest.subarray(0, 16).toString('base64url') }, es256(privateKey));
    const key = cli.file('id-token.pem', publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const good = await cli.run(['verify', token, '--key', key, '--access-token', 'access-1', '--nonce', 'n1', '--json']);
    expect(good.code).toBe(0);
    expect((JSON.parse(good.stdout) as VerifyJson).claims.map((c) => [c.claim, c.ok])).toEqual([['at_hash', true], ['nonce', true]]);
    const bad = await cli.run(['verify', token, '--key', key, '--access-token', 'stolen', '--json']);
    expect(bad.code).toBe(1);
    expect((JSON.parse(bad.stdout) as VerifyJson).claims).toEqual([expect.objectContaining({ claim: 'at_hash', ok: false })]);
  });
});

describe('jwtdbg sign', () => {
  it('re-signs a token pasted as decode takes it, byte for byte: RFC 7515 A.1 comes back unchanged', async () => {
    const key = cli.file('a1-sign.jwk', JSON.stringify(A1_JWK));
    for (const pasted of [A1_TOKEN, `Authorization: Bearer ${A1_TOKEN}`, `"${A1_TOKEN}"`, `id_token=${A1_TOKEN}`]) {
      const r = await cli.run(['sign', pasted, '--key', key]);
      expect({ pasted, code: r.code, out: r.stdout.trim() }).toEqual({ pasted, code: 0, out: A1_TOKEN });
    }
    // --payload replaces the token's payload; the header text is kept as it decodes.
    const changed = await cli.run(['sign', A1_TOKEN, '--key', key, '--payload', '{"iss":"me"}', '--json']);
    const token = (JSON.parse(changed.stdout) as { token: string }).token;
    expect(token.split('.')[0]).toBe(A1_TOKEN.split('.')[0]);
    expect(Buffer.from(token.split('.')[1]!, 'base64url').toString()).toBe('{"iss":"me"}');
  });

  it('refuses to re-sign what decode refuses, with decode\'s error code', async () => {
    const broken = `${A1_TOKEN.split('.')[0]}*.x.y`;
    const decoded = JSON.parse((await cli.run(['decode', broken, '--json'])).stdout) as { error: { code: string } };
    const r = await cli.run(['sign', broken, '--secret', 'k'.repeat(32)]);
    expectUsageFailure(r);
    expect(r.stderr).toContain(`cannot re-sign: ${decoded.error.code} `);
  });

  it('signs with a secret, and the token verifies with it (round trip)', async () => {
    const payload = '{"sub":"alice",\n  "admin":true}';
    const r = await cli.run(['sign', '--header', '{"alg":"HS256","typ":"JWT"}', '--payload', payload, '--secret', 'k'.repeat(32)]);
    expect(r.code).toBe(0);
    const token = r.stdout.trim();
    expect(token.split('.')).toHaveLength(3);
    // The exact bytes typed are signed: the payload segment decodes to the text, whitespace and all.
    expect(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).toBe(payload);
    const expected = crypto.createHmac('sha256', 'k'.repeat(32)).update(token.split('.').slice(0, 2).join('.')).digest('base64url');
    expect(token.split('.')[2]).toBe(expected);
    const v = await cli.run(['verify', token, '--secret', 'k'.repeat(32), '--json']);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, ok: true });
  });

  it('signs with a private key from files (@FILE), with --json output', async () => {
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const priv = cli.file('sign-ec.pem', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const pub = cli.file('sign-ec.pub.pem', ec.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const header = cli.file('header.json', '{"alg":"ES256","kid":"k1"}\n');
    const payload = cli.file('payload.json', '{"sub":"carol"}\n');
    const r = await cli.run(['sign', '--header', `@${header}`, '--payload', `@${payload}`, '--key', priv, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { token: string; alg: string; warnings: string[] };
    expect(out.alg).toBe('ES256');
    expect(Array.isArray(out.warnings)).toBe(true);
    const [h, p, s] = out.token.split('.') as [string, string, string];
    // One trailing newline of a file is not part of the JSON the user wrote.
    expect(Buffer.from(p, 'base64url').toString()).toBe('{"sub":"carol"}');
    // Checked with node:crypto, not with the CLI itself.
    expect(crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: ec.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))).toBe(true);
    const v = await cli.run(['verify', out.token, '--key', pub, '--json']);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, ok: true, alg: 'ES256', kid: 'k1' });
  });

  it('fills a missing header alg from --alg', async () => {
    const secret = 's'.repeat(48);
    const r = await cli.run(['sign', '--header', '{"typ":"JWT"}', '--payload', '{"n":1}', '--alg', 'HS384', '--secret', secret, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { token: string; alg: string };
    expect(out.alg).toBe('HS384');
    const header = JSON.parse(Buffer.from(out.token.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: 'HS384', typ: 'JWT' });
    const v = await cli.run(['verify', out.token, '--secret', secret, '--json']);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: true, alg: 'HS384' });
  });

  it('exits 2 for a header that is not JSON, a missing @FILE or a missing --payload', async () => {
    const secret = 's'.repeat(32);
    expectUsageFailure(await cli.run(['sign', '--header', '{"alg":', '--payload', '{}', '--secret', secret]));
    expectUsageFailure(await cli.run(['sign', '--header', '{"alg":"HS256"}', '--payload', `@${path.join(cli.dir, 'nope.json')}`, '--secret', secret]));
    expectUsageFailure(await cli.run(['sign', '--header', '{"alg":"HS256"}', '--secret', secret]));
  });
});

describe('jwtdbg decode', () => {
  it('prints the contract shape for a JWS', async () => {
    const r = await cli.run(['decode', A1_TOKEN, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      kind: 'jws',
      header: { typ: 'JWT', alg: 'HS256' },
      payload: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
      signature: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
      error: null,
    });
  });

  it('shows a payload that is not JSON as text', async () => {
    const t = jws({ alg: 'HS256' }, 'plain text, not JSON', hs256(Buffer.from('x'.repeat(32))));
    const out = JSON.parse((await cli.run(['decode', t, '--json'])).stdout) as Record<string, unknown>;
    expect(out).toMatchObject({ kind: 'jws', payload: 'plain text, not JSON', payloadFormat: 'text', error: null });
  });

  it('reports a malformed token with code, segment and offset, exit 1', async () => {
    // '%' sits at index 5 of the payload segment; the payload starts after the header and a dot.
    const header = b64u('{"alg":"HS256"}');
    const bad = `${header}.eyJzd%WIiOiIxIn0.c2ln`;
    const r = await cli.run(['decode', bad, '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { error: { code: string; segment: string; offset: number; message: string } };
    expect(out).toMatchObject({ kind: null, header: null, payload: null, signature: null });
    expect(out.error).toMatchObject({ code: 'base64url-invalid-char', segment: 'payload', offset: header.length + 1 + 5 });
    expect(out.error.message).toEqual(expect.any(String));
  });

  it('points at the error in readable output', async () => {
    const r = await cli.run(['decode', 'eyJhbGciOiJIUzI1NiJ9.e$J9.c2ln']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('base64url-invalid-char');
    const lines = r.stdout.split('\n');
    const caret = lines.findIndex((l) => l.trim() === '^');
    expect(caret).toBeGreaterThan(0);
    expect(lines[caret - 1]?.[lines[caret]!.indexOf('^')]).toBe('$');
  });

  it('gives one JSON line per stdin token, in order, skipping blank lines', async () => {
    const secret = Buffer.from('y'.repeat(32));
    const tokens = Array.from({ length: 300 }, (_, i) => jws({ alg: 'HS256' }, { i }, hs256(secret)));
    const input = tokens.map((t, i) => (i % 50 === 7 ? `\r\n${t}\r\n` : `${t}\n`)).join('') + '\n\n';
    const r = await cli.run(['decode', '--json'], { input });
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout) as { payload: { i: number } }[];
    expect(lines.map((l) => l.payload.i)).toEqual(tokens.map((_, i) => i));
  });

  it('exits 1 for a batch with one bad token, still answering every line', async () => {
    const input = `${A1_TOKEN}\nnot-a-token\n${A1_TOKEN}`; // no final newline
    const r = await cli.run(['decode'], { input });
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout) as { error: unknown }[];
    expect(lines.map((l) => l.error === null)).toEqual([true, false, true]);
  });

  it('streams: answers a line before stdin is closed', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [cli.bin, 'decode', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.write(`${A1_TOKEN}\n`);
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    expect(JSON.parse(first.trim())).toMatchObject({ kind: 'jws' });
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
  });
});

describe('jwtdbg lint', () => {
  it('prints {"findings": [...]} with rule, severity, message and path', async () => {
    const none = `${b64u('{"alg":"none"}')}.${b64u('{"sub":"admin"}')}.`;
    const r = await cli.run(['lint', none, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; severity: string; message: string; path: string }[] };
    const rules = out.findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['alg-none', 'exp-missing']));
    for (const f of out.findings) {
      expect(['error', 'warning', 'info']).toContain(f.severity);
      expect(f.message).toEqual(expect.any(String));
      expect(f.path).toEqual(expect.any(String));
    }
    expect(out.findings.find((f) => f.rule === 'alg-none')?.path).toBe('header.alg');
  });

  it('uses --now for the time rules', async () => {
    const before = JSON.parse((await cli.run(['lint', A1_TOKEN, '--json', '--now', A1_NOW])).stdout) as { findings: { rule: string }[] };
    const after = JSON.parse((await cli.run(['lint', A1_TOKEN, '--json', '--now', '1400000000'])).stdout) as { findings: { rule: string }[] };
    expect(before.findings.map((f) => f.rule)).not.toContain('exp-passed');
    expect(after.findings.map((f) => f.rule)).toContain('exp-passed');
  });

  it('exits 2 for a --now that is not a NumericDate', async () => {
    expectUsageFailure(await cli.run(['lint', A1_TOKEN, '--now', '2024-01-01']));
  });

  it('exits 1 when the token cannot be decoded', async () => {
    const r = await cli.run(['lint', 'a.b', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ findings: [], error: { code: 'segment-count' } });
  });
});

describe('jwtdbg usage', () => {
  it('exits 2 with one line for an unknown flag, an unknown command, or no command', async () => {
    const flag = await cli.run(['decode', A1_TOKEN, '--frobnicate']);
    expectUsageFailure(flag);
    expect(flag.stderr).toContain('--frobnicate');
    expectUsageFailure(await cli.run(['frobnicate']));
    expectUsageFailure(await cli.run([]));
  });

  it('does not echo a token given where a command belongs, or as an extra argument', async () => {
    const asCommand = await cli.run([A1_TOKEN]);
    expectUsageFailure(asCommand);
    expect(asCommand.stderr).not.toContain(A1_TOKEN.slice(0, 20));
    const extra = await cli.run(['decode', A1_TOKEN, A1_TOKEN]);
    expectUsageFailure(extra);
    expect(extra.stderr).not.toContain(A1_TOKEN.slice(0, 20));
  });

  it('exits 2 when stdin has no token', async () => {
    expectUsageFailure(await cli.run(['decode'], { input: '\n  \n' }));
  });

  it('prints --version and per-command --help', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const v = await cli.run(['--version']);
    expect(v).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    for (const command of ['decode', 'verify', 'sign', 'lint']) {
      const h = await cli.run([command, '--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`jwtdbg ${command}`);
      expect(h.stdout).toMatch(/Exit status/);
    }
    const general = await cli.run(['--help']);
    expect(general.code).toBe(0);
    expect(general.stdout).toMatch(/decode[\s\S]*verify[\s\S]*sign[\s\S]*lint/);
  });
});
