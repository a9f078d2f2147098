/**
 * The app's own verifier against the attack generator: every variant of every kind, forged from a real token,
 * is verified with the ORIGINAL key (the secret, or the public key the issuer signs for) by
 * shared/core/verify.ts — with its default jose/WebCrypto backend and with the node:crypto backend — and must
 * come back valid: false, for the reason the key policy gives. Each original token first verifies with that
 * key, so a rejection is the attack's, not a wrong key's.
 */
import crypto, { type KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACK_KINDS, generateAttacks, type AttackKind, type AttackOptions } from '../../shared/core/attacks/index';
import type { KeyInput } from '../../shared/core/keys';
import { joseBackend, verifyToken, type SignatureBackend } from '../../shared/core/verify';
import { createNodeBackend } from '../../electron/services/crypto-node';
import { b64u, nodeToken, pem, type Alg } from '../shared/crypto-fixtures';

const PAYLOAD = { sub: 'alice', role: 'user', iat: 1700000000 };
const ATTACK_URL = 'https://attacker.example/keys';

interface Original {
  alg: Alg;
  token: string;
  /** The key the real verifier holds. */
  key: KeyInput;
  /** What key-confusion is given: the verifier's public key file (asymmetric originals only). */
  publicPem: string | null;
}

/** Why a variant must fail, kind by kind, for an original of each key type. */
type Expected = Partial<Record<AttackKind, string>>;

// alg "none" is refused as such; "None", "NONE" and "nOnE" are not algorithms at all.
const noneReason = (variant: string) => (variant === 'none' ? 'alg-none' : 'unsupported-alg');

const FOR_SECRET: Expected = {
  'null-signature': 'signature-mismatch', // empty: no HMAC is 0 bytes long
  'blank-secret': 'signature-mismatch', // the real secret is not empty
  'embedded-jwk': 'key-type-mismatch', // ES256 with a fresh EC key: a secret cannot verify ECDSA
  jku: 'key-type-mismatch',
  x5u: 'key-type-mismatch',
  'kid-injection': 'signature-mismatch', // the kid is not used to find the secret
  psychic: 'key-type-mismatch',
  'weak-secret': 'signature-mismatch', // the guess is not the secret
};

const FOR_RSA: Expected = {
  'null-signature': 'signature-mismatch',
  'blank-secret': 'key-type-mismatch', // HS* with an RSA key: the key decides, not the header
  'key-confusion': 'key-type-mismatch',
  'embedded-jwk': 'signature-mismatch', // RS/PS with a fresh RSA key: the header's jwk is ignored
  jku: 'signature-mismatch',
  x5u: 'signature-mismatch',
  'kid-injection': 'key-type-mismatch',
  psychic: 'key-type-mismatch',
  'weak-secret': 'key-type-mismatch',
};

const FOR_EC: Expected = {
  ...FOR_RSA,
  psychic: 'signature-mismatch', // same curve, and r = s = 0 is not a valid signature
};

const FOR_ED25519: Expected = {
  ...FOR_RSA,
  'embedded-jwk': 'key-type-mismatch', // the fresh key is EC P-256
  jku: 'key-type-mismatch',
  x5u: 'key-type-mismatch',
};

function original(alg: Alg, signer: KeyObject | Buffer, verifier: KeyObject | Buffer, header: object = {}): Original {
  const token = nodeToken(alg, signer, { typ: 'JWT', kid: 'issuer-key-1', ...header }, PAYLOAD);
  if (Buffer.isBuffer(verifier)) return { alg, token, key: { type: 'secret', value: b64u(verifier), encoding: 'base64url' }, publicPem: null };
  const publicPem = pem(verifier, 'spki');
  return { alg, token, key: { type: 'pem', value: publicPem }, publicPem };
}

const BACKENDS: [string, () => SignatureBackend][] = [
  ['jose (WebCrypto)', () => joseBackend],
  ['node:crypto', createNodeBackend],
];

let cases: [string, Original, Expected][];

beforeAll(() => {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const p521 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const ed25519 = crypto.generateKeyPairSync('ed25519');
  const secret = crypto.randomBytes(64);
  cases = [
    ['HS256 (secret)', original('HS256', secret, secret), FOR_SECRET],
    ['HS512 (secret)', original('HS512', secret, secret), FOR_SECRET],
    ['RS256 (RSA public key)', original('RS256', rsa.privateKey, rsa.publicKey), FOR_RSA],
    ['PS256 (RSA public key)', original('PS256', rsa.privateKey, rsa.publicKey), FOR_RSA],
    ['ES256 (P-256 public key)', original('ES256', p256.privateKey, p256.publicKey), FOR_EC],
    ['ES384 (P-384 public key)', original('ES384', p384.privateKey, p384.publicKey), FOR_EC],
    ['ES512 (P-521 public key)', original('ES512', p521.privateKey, p521.publicKey), FOR_EC],
    ['EdDSA (Ed25519 public key)', original('EdDSA', ed25519.privateKey, ed25519.publicKey), FOR_ED25519],
  ];
}, 30_000);

function optionsFor(kind: AttackKind, o: Original): AttackOptions | null {
  switch (kind) {
    case 'key-confusion':
      // Needs the verifier's public key: there is none for an HMAC original.
      return o.publicPem === null ? null : { key: o.publicPem };
    case 'jku':
    case 'x5u':
      return { url: ATTACK_URL };
    case 'weak-secret':
      return { secret: 'secret' };
    default:
      return {};
  }
}

describe.each(BACKENDS)('verifyToken with the original key (%s backend) rejects every attack variant', (_name, makeBackend) => {
  it('verifies each original token with its key (the control)', async () => {
    const backend = makeBackend();
    for (const [name, o] of cases) {
      const result = await verifyToken(o.token, o.key, {}, backend);
      expect({ name, valid: result.valid, reason: result.reason }).toEqual({ name, valid: true, reason: null });
    }
  });

  for (const kind of ATTACK_KINDS) {
    it(`${kind}: every variant is invalid, for the reason the key policy gives`, async () => {
      const backend = makeBackend();
      let checked = 0;
      for (const [name, o, expected] of cases) {
        const options = optionsFor(kind, o);
        if (options === null) continue;
        const variants = await generateAttacks(kind, o.token, options);
        expect(variants.length).toBeGreaterThan(0);
        for (const v of variants) {
          const result = await verifyToken(v.token, o.key, {}, backend);
          const reason = kind === 'none' ? noneReason(v.variant) : expected[kind];
          expect({ original: name, variant: v.variant, valid: result.valid, ok: result.ok, reason: result.reason }).toEqual({
            original: name,
            variant: v.variant,
            valid: false,
            ok: false,
            reason,
          });
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    }, 60_000);
  }

  it('fresh-key attacks of the other key family are refused by key type', async () => {
    const backend = makeBackend();
    const rs = cases.find(([name]) => name.startsWith('RS256'))![1];
    const es = cases.find(([name]) => name.startsWith('ES256'))![1];
    for (const kind of ['embedded-jwk', 'jku', 'x5u'] as const) {
      const [onRsa] = await generateAttacks(kind, rs.token, { keyType: 'ec', url: ATTACK_URL });
      expect((await verifyToken(onRsa!.token, rs.key, {}, backend)).reason).toBe('key-type-mismatch');
      const [onEc] = await generateAttacks(kind, es.token, { keyType: 'rsa', url: ATTACK_URL });
      expect((await verifyToken(onEc!.token, es.key, {}, backend)).reason).toBe('key-type-mismatch');
    }
  }, 60_000);

  it('weak-secret with the secret actually cracked verifies — and the verifier flags that secret as too short', async () => {
    // Not a verifier flaw: a cracked secret is the key itself. The defence is the key policy's warning.
    const backend = makeBackend();
    const weak = Buffer.from('secret');
    const o = original('HS256', weak, weak);
    const [v] = await generateAttacks('weak-secret', o.token, { secret: 'secret' });
    const result = await verifyToken(v!.token, o.key, {}, backend);
    expect(result.valid).toBe(true);
    expect(result.warnings.map((w) => w.rule)).toEqual(['hmac-secret-short']);
  });
});
