// shared/core/jwe.ts: every RFC 7516 Appendix A and RFC 7520 §5 example decrypts to its plaintext; each
// alg/enc family round-trips; key-dependent failures share one reason; p2c and zip caps hold.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { CompactEncrypt, base64url, exportJWK, exportPKCS8, exportSPKI, generateKeyPair, generateSecret } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import {
  MAX_DECOMPRESSED_BYTES,
  MAX_P2C,
  NOT_DECRYPTABLE_REASON,
  decryptJwe,
  encryptJwe,
  type DecryptOutcome,
  type JweKeyInput,
} from '../../shared/core/jwe';

const FIXTURES = path.resolve(__dirname, '../fixtures');
const RFC7516 = JSON.parse(readFileSync(path.join(FIXTURES, 'rfc7516/appendix-a.json'), 'utf8')) as Record<
  string,
  { plaintext: string; compact: string; key?: Record<string, unknown> }
>;

interface CookbookJwe {
  input: { plaintext: string; key?: Record<string, unknown> | Record<string, unknown>[]; pwd?: string; alg: string | string[] };
  output: { compact?: string; json?: unknown; json_flat?: unknown };
}
const COOKBOOK_DIR = path.join(FIXTURES, 'rfc7520/jwe');
const COOKBOOK = readdirSync(COOKBOOK_DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f.split('.')[0] ?? f, ...(JSON.parse(readFileSync(path.join(COOKBOOK_DIR, f), 'utf8')) as CookbookJwe) }));

const jwkKey = (jwk: unknown): JweKeyInput => ({ type: 'text', value: JSON.stringify(jwk) });
const text = (outcome: DecryptOutcome): string => {
  if (!outcome.ok) throw new Error(`not decrypted: ${outcome.code}: ${outcome.reason}`);
  return new TextDecoder().decode(outcome.plaintext);
};
const forms = (output: CookbookJwe['output']): [string, string][] =>
  (['compact', 'json', 'json_flat'] as const).flatMap((f) => {
    const v = output[f];
    return v === undefined ? [] : [[f, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string]];
  });

/** Flips one character of a base64url segment (compact index) to another valid one. */
function tamper(token: string, segment: number): string {
  const parts = token.split('.');
  const s = parts[segment] ?? '';
  const i = Math.floor(s.length / 2);
  parts[segment] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return parts.join('.');
}

describe('RFC 7516 Appendix A', () => {
  it('A.1 (RSA-OAEP, A256GCM) decrypts to its plaintext', async () => {
    const a1 = RFC7516['A.1']!;
    const out = await decryptJwe(a1.compact, jwkKey(a1.key));
    expect(text(out)).toBe(a1.plaintext);
    expect(out.ok && out.header).toEqual({ alg: 'RSA-OAEP', enc: 'A256GCM' });
  });

  it('A.2 (RSA1_5) is refused with a deprecation warning: jose v6 does not implement RSA1_5', async () => {
    const out = await decryptJwe(RFC7516['A.2']!.compact, jwkKey(RFC7516['A.1']!.key));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.code).toBe('alg-unsupported');
    expect(out.header).toEqual({ alg: 'RSA1_5', enc: 'A128CBC-HS256' });
    expect(out.warnings).toEqual([expect.stringContaining('RSA1_5 (RSAES-PKCS1-v1_5) is deprecated')]);
  });

  it('A.3 (A128KW, A128CBC-HS256) decrypts to its plaintext', async () => {
    const a3 = RFC7516['A.3']!;
    expect(text(await decryptJwe(a3.compact, jwkKey(a3.key)))).toBe(a3.plaintext);
  });
});

describe('RFC 7520 §5 examples', () => {
  const plain = COOKBOOK.filter((c) => !['5_1', '5_13'].includes(c.name));
  it('covers 5.1 to 5.13', () => {
    expect(COOKBOOK.map((c) => c.name).sort()).toEqual(['5_1', '5_10', '5_11', '5_12', '5_13', '5_2', '5_3', '5_4', '5_5', '5_6', '5_7', '5_8', '5_9']);
  });

  it.each(plain.map((c) => [c.name, c] as const))('%s decrypts in every serialization to the plaintext', async (_name, example) => {
    const key: JweKeyInput = example.input.pwd !== undefined ? { type: 'password', value: example.input.pwd } : jwkKey(example.input.key);
    const all = forms(example.output);
    expect(all.length).toBeGreaterThan(0);
    for (const [, token] of all) expect(text(await decryptJwe(token, key))).toBe(example.input.plaintext);
  });

  it('5_1 (RSA1_5) is refused in every serialization, with the deprecation warning', async () => {
    const example = COOKBOOK.find((c) => c.name === '5_1')!;
    for (const [, token] of forms(example.output)) {
      const out = await decryptJwe(token, jwkKey(example.input.key));
      expect(!out.ok && out.code).toBe('alg-unsupported');
      expect(out.warnings[0]).toMatch(/RSA1_5.*deprecated/);
    }
  });

  it('5_13 (three recipients) decrypts with the ECDH-ES+A256KW key, the A256GCMKW key, and a JWKS of all three', async () => {
    const example = COOKBOOK.find((c) => c.name === '5_13')!;
    const keys = example.input.key as Record<string, unknown>[];
    const token = JSON.stringify(example.output.json);
    expect(text(await decryptJwe(token, jwkKey(keys[1])))).toBe(example.input.plaintext);
    expect(text(await decryptJwe(token, jwkKey(keys[2])))).toBe(example.input.plaintext);
    expect(text(await decryptJwe(token, jwkKey({ keys })))).toBe(example.input.plaintext);
    // The RSA key only opens the RSA1_5 recipient, which jose cannot decrypt.
    const rsaOnly = await decryptJwe(token, jwkKey(keys[0]));
    expect(rsaOnly.ok).toBe(false);
    expect(rsaOnly.warnings[0]).toMatch(/RSA1_5/);
  });
});

async function rsaPair(): Promise<{ priv: JweKeyInput; pub: JweKeyInput }> {
  const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true });
  return { priv: { type: 'text', value: await exportPKCS8(privateKey) }, pub: { type: 'text', value: await exportSPKI(publicKey) } };
}

async function ecPair(crv: string): Promise<{ priv: JweKeyInput; pub: JweKeyInput }> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv, extractable: true });
  return { priv: jwkKey(await exportJWK(privateKey)), pub: jwkKey(await exportJWK(publicKey)) };
}

const octKey = (bytes: number): JweKeyInput => jwkKey({ kty: 'oct', k: base64url.encode(crypto.getRandomValues(new Uint8Array(bytes))) });

const CEK_BYTES: Record<string, number> = { 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64, A128GCM: 16, A192GCM: 24, A256GCM: 32 };
const ENCS = Object.keys(CEK_BYTES);

describe('encrypt → decrypt round trips', () => {
  it.each(['RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512'])('%s with PEM keys (SPKI to encrypt, PKCS#8 to decrypt)', async (alg) => {
    const { priv, pub } = await rsaPair();
    const { token } = await encryptJwe({ plaintext: `hello ${alg}`, alg, enc: 'A256GCM', key: pub });
    expect(text(await decryptJwe(token, priv))).toBe(`hello ${alg}`);
  });

  it.each(['P-256', 'P-384', 'P-521', 'X25519'])('ECDH-ES and ECDH-ES+A128/192/256KW on %s (JWKs)', async (crv) => {
    const { priv, pub } = await ecPair(crv);
    for (const alg of ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']) {
      const { token } = await encryptJwe({ plaintext: `${alg} ${crv}`, alg, enc: 'A128CBC-HS256', key: pub });
      expect(text(await decryptJwe(token, priv))).toBe(`${alg} ${crv}`);
    }
  });

  it.each([
    ['A128KW', 16],
    ['A192KW', 24],
    ['A256KW', 32],
    ['A128GCMKW', 16],
    ['A192GCMKW', 24],
    ['A256GCMKW', 32],
  ] as const)('%s with an oct JWK, every enc', async (alg, bytes) => {
    const key = octKey(bytes);
    for (const enc of ENCS) {
      const { token } = await encryptJwe({ plaintext: `${alg}/${enc}`, alg, enc, key });
      expect(text(await decryptJwe(token, key))).toBe(`${alg}/${enc}`);
    }
  });

  it.each(ENCS)('dir with a raw %s key (oct JWK)', async (enc) => {
    const key = octKey(CEK_BYTES[enc]!);
    const { token } = await encryptJwe({ plaintext: `dir ${enc}`, alg: 'dir', enc, key });
    expect(text(await decryptJwe(token, key))).toBe(`dir ${enc}`);
  });

  it.each(['PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW'])('%s with a password', async (alg) => {
    const password: JweKeyInput = { type: 'password', value: 'correct horse battery staple' };
    const { token } = await encryptJwe({ plaintext: 'pbes2', alg, enc: 'A256GCM', key: password });
    expect(text(await decryptJwe(token, password))).toBe('pbes2');
    const wrong = await decryptJwe(token, { type: 'password', value: 'wrong horse' });
    expect(!wrong.ok && wrong.reason).toBe(NOT_DECRYPTABLE_REASON);
  });

  it('PKCS#1 and SEC1 PEM private keys, PKCS#1 public keys and certificates are read too', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPub: JweKeyInput = { type: 'text', value: rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
    const rsaPriv: JweKeyInput = { type: 'text', value: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
    expect(rsaPriv.value).toContain('BEGIN RSA PRIVATE KEY');
    const r = await encryptJwe({ plaintext: 'pkcs1', alg: 'RSA-OAEP-256', enc: 'A128GCM', key: rsaPub });
    expect(text(await decryptJwe(r.token, rsaPriv))).toBe('pkcs1');
    const certKey = readFileSync(path.join(FIXTURES, 'keys/ec-cert.key.pem'), 'utf8');
    const cert: JweKeyInput = { type: 'text', value: readFileSync(path.join(FIXTURES, 'keys/ec-cert.pem'), 'utf8') };
    const e = await encryptJwe({ plaintext: 'cert', alg: 'ECDH-ES', enc: 'A256GCM', key: cert });
    expect(text(await decryptJwe(e.token, { type: 'text', value: certKey }))).toBe('cert');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const sec1: JweKeyInput = { type: 'text', value: ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString() };
    expect(sec1.value).toContain('BEGIN EC PRIVATE KEY');
    const spki: JweKeyInput = { type: 'text', value: ec.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    const s = await encryptJwe({ plaintext: 'sec1', alg: 'ECDH-ES+A192KW', enc: 'A192GCM', key: spki });
    expect(text(await decryptJwe(s.token, sec1))).toBe('sec1');
  });

  it('a JWKS is picked by kid, and the kid goes into the header on encrypt', async () => {
    const a = { ...((await exportJWK(await generateSecret('A128KW', { extractable: true }))) as object), kid: 'a' };
    const b = { ...((await exportJWK(await generateSecret('A128KW', { extractable: true }))) as object), kid: 'b' };
    const { token } = await encryptJwe({ plaintext: 'by kid', alg: 'A128KW', enc: 'A128GCM', key: jwkKey(b) });
    const out = await decryptJwe(token, jwkKey({ keys: [a, b] }));
    expect(text(out)).toBe('by kid');
    expect(out.header).toMatchObject({ kid: 'b' });
  });
});

describe('failures', () => {
  it('a wrong key and a tampered ciphertext, tag or encrypted key all get the one generic reason', async () => {
    const cases: { alg: string; enc: string; key: JweKeyInput; other: JweKeyInput }[] = [];
    const rsa = await rsaPair();
    const rsa2 = await rsaPair();
    cases.push({ alg: 'RSA-OAEP-256', enc: 'A128CBC-HS256', key: rsa.pub, other: rsa2.priv });
    cases.push({ alg: 'A128KW', enc: 'A128CBC-HS256', key: octKey(16), other: octKey(16) });
    cases.push({ alg: 'A256GCMKW', enc: 'A256GCM', key: octKey(32), other: octKey(32) });
    for (const c of cases) {
      const { token } = await encryptJwe({ plaintext: 'secret', alg: c.alg, enc: c.enc, key: c.key });
      const right = c.alg.startsWith('RSA') ? rsa.priv : c.key;
      expect(text(await decryptJwe(token, right))).toBe('secret');
      const outcomes = [
        await decryptJwe(token, c.other),
        await decryptJwe(tamper(token, 1), right),
        await decryptJwe(tamper(token, 3), right),
        await decryptJwe(tamper(token, 4), right),
      ];
      for (const out of outcomes) {
        expect(out.ok).toBe(false);
        expect(!out.ok && [out.code, out.reason]).toEqual(['not-decryptable', NOT_DECRYPTABLE_REASON]);
      }
    }
  });

  it('p2c above the cap is refused before any derivation, whatever the key', async () => {
    const password: JweKeyInput = { type: 'password', value: 'pw' };
    const { token } = await encryptJwe({ plaintext: 'x', alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', key: password });
    const [h, ...rest] = token.split('.');
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(h!))) as Record<string, unknown>;
    const big = [base64url.encode(JSON.stringify({ ...header, p2c: MAX_P2C + 1 })), ...rest].join('.');
    const derive = vi.spyOn(crypto.subtle, 'deriveBits');
    const out = await decryptJwe(big, password);
    expect(derive).not.toHaveBeenCalled();
    // Had it derived, the altered header would have failed the tag: the generic reason, not this one.
    expect(!out.ok && out.code).toBe('p2c-too-large');
    expect(!out.ok && out.reason).toContain(`above the limit of ${MAX_P2C}`);
    const atCap = [base64url.encode(JSON.stringify({ ...header, p2c: 1 })), ...rest].join('.');
    // Below the cap the altered header is tried, and fails like any tampering.
    const tried = await decryptJwe(atCap, password);
    expect(!tried.ok && tried.code).toBe('not-decryptable');
    expect(derive).toHaveBeenCalled(); // the spy does see jose's PBKDF2
    derive.mockRestore();
  });

  it('a zip:DEF plaintext that inflates beyond the cap is refused; a small one decrypts', async () => {
    const raw = crypto.getRandomValues(new Uint8Array(16));
    const key = jwkKey({ kty: 'oct', k: base64url.encode(raw) });
    const bomb = await new CompactEncrypt(new Uint8Array(MAX_DECOMPRESSED_BYTES + 1024)).setProtectedHeader({ alg: 'A128KW', enc: 'A128GCM', zip: 'DEF' }).encrypt(raw);
    expect(bomb.length).toBeLessThan(100_000);
    const out = await decryptJwe(bomb, key);
    expect(!out.ok && out.code).toBe('zip-too-large');
    const small = await new CompactEncrypt(new TextEncoder().encode('a'.repeat(1000))).setProtectedHeader({ alg: 'A128KW', enc: 'A128GCM', zip: 'DEF' }).encrypt(raw);
    expect(text(await decryptJwe(small, key))).toBe('a'.repeat(1000));
  });

  it('a nested JWT (cty JWT, any case) is handed back for decoding in place; other cty are not', async () => {
    const key = octKey(32);
    const inner = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJuZXN0ZWQifQ.c2ln';
    for (const cty of ['JWT', 'jwt']) {
      const { token } = await encryptJwe({ plaintext: inner, alg: 'dir', enc: 'A256GCM', key, cty });
      const out = await decryptJwe(token, key);
      expect(out.ok && out.nestedToken).toBe(inner);
    }
    const { token } = await encryptJwe({ plaintext: inner, alg: 'dir', enc: 'A256GCM', key, cty: 'text/plain' });
    const out = await decryptJwe(token, key);
    expect(out.ok && out.nestedToken).toBeNull();
  });

  it('bad inputs get specific codes, never a throw', async () => {
    const a3 = RFC7516['A.3']!;
    const cases: [string, JweKeyInput, string][] = [
      ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', jwkKey(a3.key), 'not-jwe'],
      ['not a token', jwkKey(a3.key), 'not-jwe'],
      [a3.compact, { type: 'text', value: 'garbage' }, 'key-invalid'],
      [a3.compact, { type: 'text', value: '-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----' }, 'key-invalid'],
      [a3.compact, { type: 'password', value: 'pw' }, 'key-unusable'],
      [a3.compact, { type: 'text', value: '{"keys":[]}' }, 'key-invalid'],
      [RFC7516['A.1']!.compact, jwkKey(a3.key), 'key-unusable'],
    ];
    for (const [token, key, code] of cases) {
      const out = await decryptJwe(token, key);
      expect(out.ok).toBe(false);
      expect(!out.ok && out.code).toBe(code);
    }
  });

  it('encrypt refuses RSA1_5, unknown alg/enc, a private PEM and a key of the wrong type', async () => {
    const { priv } = await rsaPair();
    await expect(encryptJwe({ plaintext: 'x', alg: 'RSA1_5', enc: 'A128GCM', key: priv })).rejects.toMatchObject({ code: 'alg-unsupported' });
    await expect(encryptJwe({ plaintext: 'x', alg: 'A128KW', enc: 'A999GCM', key: octKey(16) })).rejects.toMatchObject({ code: 'enc-unsupported' });
    await expect(encryptJwe({ plaintext: 'x', alg: 'RSA-OAEP', enc: 'A128GCM', key: priv })).rejects.toMatchObject({ code: 'key-unusable' });
    await expect(encryptJwe({ plaintext: 'x', alg: 'A128KW', enc: 'A128GCM', key: octKey(32) })).rejects.toMatchObject({ code: 'key-unusable' });
  });
});
