// One key importer, every path: each key form gets the same verdict from the core (`prepareKeys`), the key
// store's import, `jwtdbg verify --key FILE` (or --secret) and `jwtdbg keys import FILE` — accepted with the
// same keys (thumbprint, kty, algorithms), or refused with the same KeyError code. Keys are made here with
// node:crypto; the expected verdicts are computed independently (RFC 7638 by hand, node:crypto signatures).
import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from '../../electron/services/keys';
import type { CliIo } from '../../electron/cli/io';
import { runCli } from '../../electron/cli/run';
import { KeyError, prepareKeys, type KeyInput, type SecretEncoding } from '../../shared/core/keys';
import { fixtureText, nodeSignature, type Alg } from '../shared/crypto-fixtures';

/** A key as every path reports it. */
interface KeyFacts {
  thumbprint: string;
  kty: string;
  algorithms: string[];
}
type Verdict = { accepted: KeyFacts[] } | { refused: string };

/** What a path is given: key text (or a secret and its encoding), and private keys to sign test tokens with. */
interface Form {
  name: string;
  input: KeyInput;
  signers: Signer[];
  expected: Verdict;
}
interface Signer {
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  key: KeyObject | Buffer;
}

const ALGS_BY_KTY: Record<Signer['kty'], Alg[]> = {
  RSA: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  EC: ['ES256', 'ES384', 'ES512'],
  OKP: ['EdDSA', 'Ed25519'],
  oct: ['HS256', 'HS384', 'HS512'],
};
const RSA_ALGS = ALGS_BY_KTY.RSA;
const PSS_ALGS = ['PS256', 'PS384', 'PS512'];

/** RFC 7638 by hand: SHA-256 over the required members in lexicographic order. */
function thumbprint(members: Record<string, string>): string {
  const json = JSON.stringify(Object.fromEntries(Object.keys(members).sort().map((k) => [k, members[k]])));
  return crypto.createHash('sha256').update(json).digest('base64url');
}

function thumbprintOf(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as Record<string, string>;
  const required: Record<string, string[]> = { RSA: ['e', 'kty', 'n'], EC: ['crv', 'kty', 'x', 'y'], OKP: ['crv', 'kty', 'x'] };
  return thumbprint(Object.fromEntries((required[jwk.kty as string] as string[]).map((m) => [m, jwk[m] as string])));
}

/**
 * node:crypto neither exports an RSA-PSS key as a JWK nor signs RS* with it: the same DER relabelled
 * rsaEncryption (the OID's last byte 0x0a → 0x01; node writes no PSS parameters) is the plain RSA key.
 */
function relabelPss(der: Buffer): Buffer {
  const oid = Buffer.from('06092a864886f70d01010a', 'hex');
  const at = der.indexOf(oid);
  expect(at).toBeGreaterThan(0);
  const out = Buffer.from(der);
  out[at + oid.length - 1] = 0x01;
  return out;
}

const pemOf = (key: KeyObject, type: 'spki' | 'pkcs1' | 'pkcs8' | 'sec1') => key.export({ type, format: 'pem' } as never) as unknown as string;
const jwkOf = (key: KeyObject, extra: object = {}): Record<string, unknown> => ({ ...key.export({ format: 'jwk' }), ...extra });
const accepted = (...keys: KeyFacts[]): Verdict => ({ accepted: keys });

function makeForms(): Form[] {
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const p256 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const ed = crypto.generateKeyPairSync('ed25519');
  const pss = crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const pssAsRsa = crypto.createPrivateKey({ key: relabelPss(pss.privateKey.export({ type: 'pkcs8', format: 'der' })), format: 'der', type: 'pkcs8' });
  const certKey = crypto.createPrivateKey(fixtureText('keys/ec-cert.key.pem'));
  const secret = Buffer.from('a shared secret of 32 bytes, ok!');

  const rsaFacts = { thumbprint: thumbprintOf(rsa.publicKey), kty: 'RSA', algorithms: RSA_ALGS };
  const p256Facts = { thumbprint: thumbprintOf(p256.publicKey), kty: 'EC', algorithms: ['ES256'] };
  const p384Facts = { thumbprint: thumbprintOf(p384.publicKey), kty: 'EC', algorithms: ['ES384'] };
  const edFacts = { thumbprint: thumbprintOf(ed.publicKey), kty: 'OKP', algorithms: ['EdDSA', 'Ed25519'] };
  const pssFacts = { thumbprint: thumbprintOf(crypto.createPublicKey(pssAsRsa)), kty: 'RSA', algorithms: PSS_ALGS };
  const certFacts = { thumbprint: thumbprintOf(crypto.createPublicKey(certKey)), kty: 'EC', algorithms: ['ES256'] };
  const secretFacts = { thumbprint: thumbprint({ kty: 'oct', k: secret.toString('base64url') }), kty: 'oct', algorithms: ['HS256', 'HS384', 'HS512'] };

  const secretForm = (encoding: SecretEncoding): Form => ({
    name: `secret (${encoding})`,
    input: { type: 'secret', value: secret.toString(encoding === 'utf8' ? 'utf8' : encoding), encoding },
    signers: [{ kty: 'oct', key: secret }],
    expected: accepted(secretFacts),
  });
  const auto = (value: string): KeyInput => ({ type: 'auto', value });
  const refused = (name: string, value: string, code: string): Form => ({ name, input: auto(value), signers: [], expected: { refused: code } });
  const otherRsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

  return [
    secretForm('utf8'),
    secretForm('base64'),
    secretForm('base64url'),
    secretForm('hex'),
    { name: 'SPKI PEM (RSA)', input: auto(pemOf(rsa.publicKey, 'spki')), signers: [{ kty: 'RSA', key: rsa.privateKey }], expected: accepted(rsaFacts) },
    { name: 'SPKI PEM (Ed25519)', input: auto(pemOf(ed.publicKey, 'spki')), signers: [{ kty: 'OKP', key: ed.privateKey }], expected: accepted(edFacts) },
    { name: 'PKCS#1 RSA public PEM', input: auto(pemOf(rsa.publicKey, 'pkcs1')), signers: [{ kty: 'RSA', key: rsa.privateKey }], expected: accepted(rsaFacts) },
    { name: 'PKCS#8 (EC P-256)', input: auto(pemOf(p256.privateKey, 'pkcs8')), signers: [{ kty: 'EC', key: p256.privateKey }], expected: accepted(p256Facts) },
    { name: 'PKCS#8 (RSA)', input: auto(pemOf(rsa.privateKey, 'pkcs8')), signers: [{ kty: 'RSA', key: rsa.privateKey }], expected: accepted(rsaFacts) },
    { name: 'PKCS#1 RSA private PEM', input: auto(pemOf(rsa.privateKey, 'pkcs1')), signers: [{ kty: 'RSA', key: rsa.privateKey }], expected: accepted(rsaFacts) },
    { name: 'SEC1 EC private PEM (P-384)', input: auto(pemOf(p384.privateKey, 'sec1')), signers: [{ kty: 'EC', key: p384.privateKey }], expected: accepted(p384Facts) },
    { name: 'X.509 certificate', input: auto(fixtureText('keys/ec-cert.pem')), signers: [{ kty: 'EC', key: certKey }], expected: accepted(certFacts) },
    {
      name: 'a private key and its certificate in one PEM',
      input: auto(fixtureText('keys/ec-cert.key.pem') + fixtureText('keys/ec-cert.pem')),
      signers: [{ kty: 'EC', key: certKey }],
      expected: accepted(certFacts),
    },
    { name: 'RSA-PSS SPKI', input: auto(pemOf(pss.publicKey, 'spki')), signers: [{ kty: 'RSA', key: pssAsRsa }], expected: accepted(pssFacts) },
    { name: 'RSA-PSS PKCS#8', input: auto(pemOf(pss.privateKey, 'pkcs8')), signers: [{ kty: 'RSA', key: pssAsRsa }], expected: accepted(pssFacts) },
    { name: 'JWK (public, EC)', input: { type: 'jwk', value: JSON.stringify(jwkOf(p256.publicKey)) }, signers: [{ kty: 'EC', key: p256.privateKey }], expected: accepted(p256Facts) },
    { name: 'JWK (private, RSA)', input: auto(JSON.stringify(jwkOf(rsa.privateKey))), signers: [{ kty: 'RSA', key: rsa.privateKey }], expected: accepted(rsaFacts) },
    { name: 'JWK (private, Ed25519)', input: auto(JSON.stringify(jwkOf(ed.privateKey))), signers: [{ kty: 'OKP', key: ed.privateKey }], expected: accepted(edFacts) },
    {
      name: 'JWKS',
      input: { type: 'jwks', value: JSON.stringify({ keys: [jwkOf(rsa.publicKey, { kid: 'r' }), jwkOf(p256.publicKey, { kid: 'e' })] }) },
      signers: [
        { kty: 'RSA', key: rsa.privateKey },
        { kty: 'EC', key: p256.privateKey },
      ],
      expected: accepted(rsaFacts, p256Facts),
    },
    refused(
      'an encrypted PKCS#8 private key',
      rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test' }) as string,
      'pem-encrypted',
    ),
    refused('a CSR', fixtureText('keys/csr.pem'), 'pem-unsupported'),
    refused('garbage', 'this is not a key, only words', 'key-unreadable'),
    refused('a broken PEM', '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n', 'pem-invalid'),
    refused('a JWKS mixing a secret with a public key', JSON.stringify({ keys: [jwkOf(rsa.publicKey), { kty: 'oct', k: secret.toString('base64url') }] }), 'jwks-mixed'),
    refused('a JWKS giving one kid to two keys', JSON.stringify({ keys: [jwkOf(rsa.publicKey, { kid: 'k' }), jwkOf(otherRsa.publicKey, { kid: 'k' })] }), 'jwks-duplicate-kid'),
    refused('a private JWK whose n belongs to another key', JSON.stringify({ ...jwkOf(rsa.privateKey), n: jwkOf(otherRsa.publicKey).n }), 'key-pair-mismatch'),
  ];
}

// -----------------------------------------------------------------------------------------------------
// The four paths

function sortKeys(keys: KeyFacts[]): KeyFacts[] {
  return keys.map((k) => ({ ...k, algorithms: [...k.algorithms] })).sort((a, b) => a.thumbprint.localeCompare(b.thumbprint));
}

async function viaCore(form: Form): Promise<Verdict> {
  try {
    const prepared = await prepareKeys(form.input);
    return { accepted: sortKeys(prepared.keys.map((k) => ({ thumbprint: k.thumbprint, kty: k.kty, algorithms: [...k.algorithms] }))) };
  } catch (error) {
    if (error instanceof KeyError) return { refused: error.code };
    throw error;
  }
}

async function viaStore(form: Form, dataDir: string): Promise<Verdict> {
  const store = await KeyStore.open({ dataDir, protection: { kind: 'unencrypted-test-store' } });
  try {
    const { imported, existing } = await store.import(form.input);
    return { accepted: sortKeys([...imported, ...existing].map((k) => ({ thumbprint: k.thumbprint, kty: k.kty, algorithms: k.algorithms }))) };
  } catch (error) {
    if (error instanceof KeyError) return { refused: error.code };
    throw error;
  }
}

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

async function cli(args: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const io: CliIo = { stdin: Readable.from([Buffer.from(stdin)]), stdout, stderr, env: {} };
  const code = await runCli(args, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function keyArgs(form: Form, dir: string): string[] {
  if (form.input.type === 'secret') return ['--secret', form.input.value, '--secret-encoding', form.input.encoding];
  const file = path.join(dir, 'key.txt');
  fs.writeFileSync(file, form.input.value);
  return ['--key', file];
}

/** A token for each algorithm a signer's key type has; the ones that verify are the key's algorithms. */
function tokensFor(signers: Signer[]): string[] {
  const encode = (text: string) => Buffer.from(text).toString('base64url');
  return signers.flatMap((signer) =>
    ALGS_BY_KTY[signer.kty].map((alg) => {
      const input = `${encode(JSON.stringify({ alg }))}.${encode('{"sub":"key-paths"}')}`;
      return `${input}.${nodeSignature(alg, signer.key, input).toString('base64url')}`;
    }),
  );
}

async function viaCliVerify(form: Form, dir: string): Promise<Verdict> {
  const run = await cli(['verify', ...keyArgs(form, dir), '--json'], tokensFor(form.signers).join('\n') + '\n');
  if (run.code === 2) {
    const code = /: unusable (?:key file '[^']*'|--secret): ([a-z0-9-]+): /.exec(run.stderr)?.[1];
    expect(code, run.stderr).toBeDefined();
    return { refused: code as string };
  }
  expect(run.stderr).toBe('');
  const byKey = new Map<string, KeyFacts>();
  for (const line of run.stdout.split('\n').filter(Boolean)) {
    const result = JSON.parse(line) as { valid: boolean; alg: string; key: { thumbprint: string; kty: string } | null };
    if (!result.valid || result.key === null) continue;
    const facts = byKey.get(result.key.thumbprint) ?? { thumbprint: result.key.thumbprint, kty: result.key.kty, algorithms: [] };
    facts.algorithms.push(result.alg);
    byKey.set(facts.thumbprint, facts);
  }
  return { accepted: sortKeys([...byKey.values()]) };
}

async function viaCliImport(form: Form, dir: string): Promise<Verdict> {
  const file = path.join(dir, 'import.txt');
  fs.writeFileSync(file, form.input.value);
  const format = form.input.type === 'secret' ? ['--format', 'secret', '--secret-encoding', form.input.encoding] : ['--format', form.input.type];
  const run = await cli(['keys', 'import', file, ...format, '--data', path.join(dir, 'cli-store'), '--unencrypted-test-store']);
  if (run.code !== 0) {
    const code = /^jwtdbg keys: ([a-z0-9-]+): /.exec(run.stderr)?.[1];
    expect(code, run.stderr).toBeDefined();
    return { refused: code as string };
  }
  const result = JSON.parse(run.stdout) as { imported: KeyFacts[]; existing: KeyFacts[] };
  return { accepted: sortKeys([...result.imported, ...result.existing].map((k) => ({ thumbprint: k.thumbprint, kty: k.kty, algorithms: k.algorithms }))) };
}

// -----------------------------------------------------------------------------------------------------

let root: string;
let forms: Form[];
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'key-paths-'));
  forms = makeForms();
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('every key form gets the same verdict on every path', () => {
  // Names only at collection time: the keys themselves are made once, in beforeAll.
  const names = [
    'secret (utf8)', 'secret (base64)', 'secret (base64url)', 'secret (hex)',
    'SPKI PEM (RSA)', 'SPKI PEM (Ed25519)', 'PKCS#1 RSA public PEM', 'PKCS#8 (EC P-256)', 'PKCS#8 (RSA)',
    'PKCS#1 RSA private PEM', 'SEC1 EC private PEM (P-384)', 'X.509 certificate', 'a private key and its certificate in one PEM',
    'RSA-PSS SPKI', 'RSA-PSS PKCS#8', 'JWK (public, EC)', 'JWK (private, RSA)', 'JWK (private, Ed25519)', 'JWKS',
    'an encrypted PKCS#8 private key', 'a CSR', 'garbage', 'a broken PEM', 'a JWKS mixing a secret with a public key',
    'a JWKS giving one kid to two keys', 'a private JWK whose n belongs to another key',
  ];

  it('covers every form made', () => {
    expect(forms.map((f) => f.name)).toEqual(names);
  });

  it.each(names.map((name, index) => [name, index] as const))('%s', async (_name, index) => {
    const form = forms[index] as Form;
    const dir = fs.mkdtempSync(path.join(root, 'form-'));
    const expected = 'accepted' in form.expected ? { accepted: sortKeys(form.expected.accepted) } : form.expected;
    const core = await viaCore(form);
    expect(core).toEqual(expected);
    expect(await viaStore(form, path.join(dir, 'store'))).toEqual(core);
    expect(await viaCliVerify(form, dir)).toEqual(core);
    expect(await viaCliImport(form, dir)).toEqual(core);
  });
});
