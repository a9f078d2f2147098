import { constants, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isWorkbenchError } from '../../shared/core/errors';
import { pkcs1v15Encoding, RecoverKeyError, recoverRsaPublicKey } from '../../electron/services/recover-key';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An RS* / PS* token signed with node:crypto, so the test does not lean on the code under test. */
function signed(alg: string, privateKey: KeyObject, claims: Record<string, unknown>): string {
  const input = `${b64({ alg, typ: 'JWT' })}.${b64(claims)}`;
  const hash = `sha${alg.slice(2)}`;
  const padding = alg.startsWith('PS') ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 } : {};
  return `${input}.${sign(hash, Buffer.from(input), { key: privateKey, ...padding }).toString('base64url')}`;
}

// e = 3 keys make the gcd small numbers (3 × 1024 bits), so recovery is instant; e = 65537 is in the bench.
const E3 = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 });
const OTHER_E3 = generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 });
const E65537 = generateKeyPairSync('rsa', { modulusLength: 1024 });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof RecoverKeyError) return error.code;
    throw error;
  }
  return undefined;
}

describe('recoverRsaPublicKey', () => {
  it.each(['RS256', 'RS384', 'RS512'])('recovers the key of two %s tokens: modulus, SPKI PEM and public JWK', (alg) => {
    const t1 = signed(alg, E3.privateKey, { sub: 'alice', n: 1 });
    const t2 = signed(alg, E3.privateKey, { sub: 'bob', n: 2 });
    const { candidates } = recoverRsaPublicKey(t1, t2);
    const expected = E3.publicKey.export({ format: 'jwk' });
    expect(candidates).toEqual([
      {
        e: 3,
        n: expected.n,
        pem: E3.publicKey.export({ type: 'spki', format: 'pem' }),
        jwk: { kty: 'RSA', n: expected.n, e: 'Aw' },
        verifies: true,
      },
    ]);
    // Both forms load as public keys on their own.
    expect(createPublicKey(candidates[0]!.pem).asymmetricKeyDetails).toMatchObject({ modulusLength: 1024, publicExponent: 3n });
    expect(createPublicKey({ key: candidates[0]!.jwk, format: 'jwk' }).export({ format: 'jwk' })).toEqual(expected);
  });

  it('finds nothing for tokens of two different keys, or with an exponent the key does not use', () => {
    const mixed = recoverRsaPublicKey(signed('RS256', E3.privateKey, { n: 1 }), signed('RS256', OTHER_E3.privateKey, { n: 2 }), { exponents: [3] });
    expect(mixed.candidates).toEqual([]);
    const wrongE = recoverRsaPublicKey(signed('RS256', E65537.privateKey, { n: 1 }), signed('RS256', E65537.privateKey, { n: 2 }), { exponents: [3] });
    expect(wrongE.candidates).toEqual([]);
  });

  it('reports progress before each exponent', () => {
    const messages: string[] = [];
    recoverRsaPublicKey(signed('RS256', E3.privateKey, { n: 1 }), signed('RS256', E3.privateKey, { n: 2 }), { onProgress: (m) => messages.push(m) });
    expect(messages).toEqual(['e = 3: computing s^e − m for both tokens (3,072 bits each) and their gcd']);
  });

  it('refuses PS* tokens with the reason', () => {
    const t1 = signed('PS256', E3.privateKey, { n: 1 });
    const t2 = signed('PS256', E3.privateKey, { n: 2 });
    expect(() => recoverRsaPublicKey(t1, t2)).toThrow(/random salt/);
    expect(code(() => recoverRsaPublicKey(t1, t2))).toBe('pss-unrecoverable');
  });

  it('refuses tokens it cannot use, each with a stable code', () => {
    const rs = signed('RS256', E3.privateKey, { n: 1 });
    const hs = `${b64({ alg: 'HS256' })}.${b64({ n: 1 })}.c2lnbmF0dXJl`;
    const jwe = `${b64({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.AAAA.AAAA.AAAA.AAAA`;
    const unsecured = `${b64({ alg: 'none' })}.${b64({ n: 1 })}.`;
    expect(code(() => recoverRsaPublicKey(rs, 'not a token'))).toBe('token-invalid');
    expect(code(() => recoverRsaPublicKey(rs, hs))).toBe('alg-unsupported');
    expect(code(() => recoverRsaPublicKey(jwe, rs))).toBe('not-jws');
    expect(code(() => recoverRsaPublicKey(unsecured, rs))).toBe('not-jws');
    expect(code(() => recoverRsaPublicKey(rs, signed('RS384', E3.privateKey, { n: 2 })))).toBe('alg-mismatch');
    expect(code(() => recoverRsaPublicKey(rs, rs))).toBe('same-signature');
    expect(code(() => recoverRsaPublicKey(rs, signed('RS256', E3.privateKey, { n: 2 }), { exponents: [4] }))).toBe('exponent-invalid');
    const short = `${b64({ alg: 'RS256' })}.${b64({ n: 1 })}.${Buffer.alloc(32, 7).toString('base64url')}`;
    expect(code(() => recoverRsaPublicKey(short, `${b64({ alg: 'RS256' })}.${b64({ n: 2 })}.${Buffer.alloc(32, 9).toString('base64url')}`))).toBe(
      'signature-length',
    );
    // Longer than a 4096-bit modulus: refused before any arithmetic.
    const long = (n: number) => `${b64({ alg: 'RS256' })}.${b64({ n })}.${Buffer.alloc(513, n).toString('base64url')}`;
    expect(code(() => recoverRsaPublicKey(long(1), long(2)))).toBe('signature-length');
  });

  it("carries decode's error for a token that does not decode, and never echoes the token", () => {
    const rs = signed('RS256', E3.privateKey, { n: 1 });
    try {
      recoverRsaPublicKey(rs, 'eyJhbGciOiJSUzI1NiJ9.e30');
      expect.unreachable();
    } catch (error) {
      expect(isWorkbenchError(error, 'token-invalid')).toBe(true);
      expect((error as RecoverKeyError).details).toMatchObject({ tokenError: { code: 'segment-count' } });
      expect((error as Error).message).toContain('token 2 does not decode: segment-count');
      expect((error as Error).message).not.toContain(rs);
    }
  });
});

describe('pkcs1v15Encoding', () => {
  // s^e mod n is what the key's owner encoded: checks the encoding for each hash without a gcd.
  const jwk = E65537.publicKey.export({ format: 'jwk' });
  const n = BigInt(`0x${Buffer.from(jwk.n!, 'base64url').toString('hex')}`);
  function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
    let result = 1n;
    for (base %= mod; exp > 0n; exp >>= 1n, base = (base * base) % mod) if (exp & 1n) result = (result * base) % mod;
    return result;
  }

  it.each(['RS256', 'RS384', 'RS512'] as const)('is what an %s signature decrypts to', (alg) => {
    const token = signed(alg, E65537.privateKey, { sub: 'x' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const signature = BigInt(`0x${Buffer.from(s, 'base64url').toString('hex')}`);
    expect(pkcs1v15Encoding(alg, Buffer.from(`${h}.${p}`), 128)).toBe(modPow(signature, 65537n, n));
  });

  it('is null when the length cannot hold the DigestInfo and padding', () => {
    expect(pkcs1v15Encoding('RS256', Buffer.from('x'), 61)).toBeNull();
    expect(pkcs1v15Encoding('RS256', Buffer.from('x'), 62)).not.toBeNull();
  });
});
