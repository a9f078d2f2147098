// A damaged entry of the key store is set aside alone, and every entry's metadata is authenticated: an edit of
// keys.json by hand is detected, only that entry leaves the store (kept in a side file, reported), the other
// keys keep signing. Stores of the previous format (schema 1) are migrated without losing a key.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, importJWK, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStore, type KeyInfo, type KeyStoreOptions, type Protection, type StoreRecovery } from '../../electron/services/keys';
import { KeyStoreSession } from '../../electron/services/keys/store-session';
import { passphrase, tempDir, testKeychain, TEST_SCRYPT_COST, unencrypted } from './keys-test-support';

let dir: string;
const file = () => path.join(dir, 'keys.json');
const readDoc = () => JSON.parse(fs.readFileSync(file(), 'utf8')) as StoreFile;
const writeDoc = (doc: unknown) => fs.writeFileSync(file(), JSON.stringify(doc, null, 2));
const NOW = new Date('2024-05-01T10:20:30.456Z');

interface StoreFile {
  format: string;
  version: number;
  protection: Record<string, unknown>;
  keys: Record<string, unknown>[];
}

beforeEach(() => {
  dir = tempDir('keys-damaged-');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function openWith(protection: Protection, options: Partial<KeyStoreOptions> = {}) {
  const seen: StoreRecovery[] = [];
  const store = await KeyStore.open({ dataDir: dir, protection, now: () => NOW, onRecovery: (r) => seen.push(r), ...options });
  return { store, seen };
}

/** Signs with the stored key and verifies with it: the key really works. */
async function expectSigns(store: KeyStore, key: KeyInfo): Promise<void> {
  const alg = key.algorithms[0] as string;
  const signed = await store.sign(key.id, { headerText: JSON.stringify({ alg }), payloadText: '{"sub":"still works"}' });
  expect(signed.token.split('.')).toHaveLength(3);
  expect((await store.verify(key.id, signed.token)).valid).toBe(true);
}

/** A store with an EC key pair, an HMAC secret and an EC public key only. */
async function threeKeys(protection: Protection) {
  const { store } = await openWith(protection);
  const ec = await store.generate('ES256', { kid: 'ec-kid', label: 'ec label' });
  const hmac = await store.generate('HS256', { kid: 'hmac-kid', label: 'hmac label' });
  const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const publicJwk = { ...pair.publicKey.export({ format: 'jwk' }), kid: 'public-kid' };
  const [pub] = (await store.import({ type: 'jwk', value: JSON.stringify(publicJwk) }, { label: 'public label' })).imported;
  return { store, ec, hmac, pub: pub as KeyInfo, publicPair: pair };
}

const protections: [string, () => Protection][] = [
  ['passphrase', () => passphrase('pw for the damaged tests')],
  ['unencrypted test store', () => unencrypted],
];

describe.each(protections)('%s: one edited entry is set aside, the others keep working', (_name, protection) => {
  const edits: [string, (entry: Record<string, unknown>) => void][] = [
    ['label', (e) => (e.label = 'renamed by hand')],
    ['kid', (e) => (e.kid = 'another-kid')],
    ['alg (unpinned)', (e) => (e.alg = null)],
    // The last character changed, whatever it was (a fixed replacement would be no change 1 time in 64).
    ['thumbprint', (e) => (e.thumbprint = `${String(e.thumbprint).slice(0, -1)}${String(e.thumbprint).endsWith('A') ? 'B' : 'A'}`)],
    ['createdAt', (e) => (e.createdAt = '2020-01-01T00:00:00.000Z')],
    ['size', (e) => (e.size = 255)],
    ['a member added', (e) => (e.note = 'x')],
    [
      'sealed bytes',
      (e) => {
        const secret = e.secret as Record<string, string>;
        if ('data' in secret) {
          const data = Buffer.from(secret.data as string, 'base64url');
          data[3] = (data[3] as number) ^ 1;
          secret.data = data.toString('base64url');
        } else {
          secret.plaintext = (secret.plaintext as string).replace('{', '{ ');
        }
      },
    ],
  ];

  it.each(edits)('%s of the EC key', async (_what, edit) => {
    const { ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    edit(doc.keys[0] as Record<string, unknown>);
    const damagedEntry = structuredClone(doc.keys[0]) as Record<string, unknown>;
    writeDoc(doc);

    const { store, seen } = await openWith(protection());
    const sideFile = `${file()}.damaged-2024-05-01T10-20-30.456Z`;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      scope: 'entries',
      movedTo: sideFile,
      reason: 'key 0: it fails authentication (its metadata or private part was altered)',
      entries: [
        {
          id: ec.id,
          kid: damagedEntry.kid,
          label: damagedEntry.label,
          reason: 'it fails authentication (its metadata or private part was altered)',
          file: sideFile,
        },
      ],
    });
    expect(seen[0]?.message).toBe(`A key store entry was damaged (id ${ec.id}) and set aside in ${sideFile}; the other keys keep working.`);
    expect(store.setAsideEntries).toEqual(seen[0]?.entries);

    // Only that entry left: the others list, sign and verify as before.
    expect((await store.list()).map((k) => k.id)).toEqual([hmac.id, pub.id]);
    await expectSigns(store, hmac);
    expect((await store.get(pub.id)).publicJwk).toEqual(pub.publicJwk);
    await expect(store.get(ec.id)).rejects.toMatchObject({ code: 'not-found' });

    // The side file keeps the entry exactly as the file had it, owner-only.
    const side = JSON.parse(fs.readFileSync(sideFile, 'utf8'));
    expect(side).toMatchObject({ format: 'jwt-workbench-keys-damaged', storeVersion: 2, protection: doc.protection });
    expect(side.entries).toEqual([{ index: 0, reason: 'it fails authentication (its metadata or private part was altered)', entry: damagedEntry }]);
    expect(fs.statSync(sideFile).mode & 0o777).toBe(0o600);
    expect(readDoc().keys.map((k) => k.id)).toEqual([hmac.id, pub.id]);

    // Set aside once: the next open finds a whole store.
    const again = await openWith(protection());
    expect(again.seen).toEqual([]);
    expect(await again.store.list()).toHaveLength(2);
  });

  it('an edited label of a public-only key (its integrity seal binds it)', async () => {
    const { ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    expect(doc.keys[2]).toMatchObject({ id: pub.id, secret: null, integrity: expect.any(Object) });
    (doc.keys[2] as Record<string, unknown>).label = 'edited';
    writeDoc(doc);
    const { store, seen } = await openWith(protection());
    expect(seen[0]?.entries.map((e) => [e.id, e.label])).toEqual([[pub.id, 'edited']]);
    expect((await store.list()).map((k) => k.id)).toEqual([ec.id, hmac.id]);
    await expectSigns(store, ec);
  });

  it('an edited public JWK member', async () => {
    const { ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' });
    (doc.keys[2]?.publicJwk as Record<string, unknown>).x = other.x; // a public-only key: nothing else to catch it
    writeDoc(doc);
    const { store, seen } = await openWith(protection());
    expect(seen[0]?.entries.map((e) => e.id)).toEqual([pub.id]);
    expect((await store.list()).map((k) => k.id)).toEqual([ec.id, hmac.id]);
  });

  it('a public JWK that carries a private member (it would be handed out as public) is set aside', async () => {
    const { ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    (doc.keys[2]?.publicJwk as Record<string, unknown>).d = 'AAAA';
    writeDoc(doc);
    const { store, seen } = await openWith(protection());
    expect(seen[0]?.entries).toMatchObject([{ id: pub.id, reason: 'a private member in its public JWK' }]);
    expect((await store.list()).map((k) => k.id)).toEqual([ec.id, hmac.id]);
    expect(JSON.stringify(await store.exportJwks())).not.toContain('AAAA');
  });

  it('malformed entries and a duplicated id are set aside; the store stays', async () => {
    const { ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    const copy = structuredClone(doc.keys[1]);
    doc.keys.splice(1, 0, 42 as never, { id: 'no-kid-here', label: 'half an entry' });
    doc.keys.push(copy as Record<string, unknown>);
    writeDoc(doc);
    const { store, seen } = await openWith(protection());
    expect(seen).toHaveLength(1);
    expect(seen[0]?.entries).toEqual([
      { id: null, kid: null, label: null, reason: 'not an object', file: seen[0]?.movedTo },
      { id: 'no-kid-here', kid: null, label: 'half an entry', reason: 'no kid', file: seen[0]?.movedTo },
      { id: hmac.id, kid: 'hmac-kid', label: 'hmac label', reason: `its id ${hmac.id} appears twice`, file: seen[0]?.movedTo },
    ]);
    expect(seen[0]?.reason).toBe(`key 1: not an object; key 2: no kid; key 5: its id ${hmac.id} appears twice`);
    expect((await store.list()).map((k) => k.id)).toEqual([ec.id, hmac.id, pub.id]);
    await expectSigns(store, ec);
    await expectSigns(store, hmac);
  });

  it('an entry damaged while the store is open is set aside on the next call', async () => {
    const { store, ec, hmac, pub } = await threeKeys(protection());
    const doc = readDoc();
    (doc.keys[1] as Record<string, unknown>).kid = 'changed-under-us';
    writeDoc(doc);
    expect((await store.list()).map((k) => k.id)).toEqual([ec.id, pub.id]);
    expect(store.setAsideEntries.map((e) => [e.id, e.kid])).toEqual([[hmac.id, 'changed-under-us']]);
    await expectSigns(store, ec);
  });

  it('label and kid edits through the store re-seal: they persist, and the old values no longer authenticate', async () => {
    const { store, ec, pub } = await threeKeys(protection());
    const before = readDoc().keys[0]?.secret;
    await store.update(ec.id, { label: 'new label', kid: 'new-kid' });
    await store.update(pub.id, { label: 'new public label' });
    const doc = readDoc();
    expect(doc.keys[0]?.secret).not.toEqual(before);

    const reopened = await openWith(protection());
    expect(reopened.seen).toEqual([]);
    expect(await reopened.store.get(ec.id)).toMatchObject({ label: 'new label', kid: 'new-kid' });
    expect((await reopened.store.get(pub.id)).label).toBe('new public label');
    await expectSigns(reopened.store, await reopened.store.get(ec.id));

    // Putting the old label back by hand is an edit like any other.
    (doc.keys[0] as Record<string, unknown>).label = 'ec label';
    writeDoc(doc);
    const edited = await openWith(protection());
    expect(edited.seen[0]?.entries.map((e) => e.id)).toEqual([ec.id]);
  });
});

describe('passphrase store: sealed parts cannot be moved', () => {
  it('private parts swapped between two entries: both are set aside, the third keeps working', async () => {
    const { ec, hmac, pub } = await threeKeys(passphrase('pw'));
    const doc = readDoc();
    [doc.keys[0]!.secret, doc.keys[1]!.secret] = [doc.keys[1]!.secret, doc.keys[0]!.secret];
    writeDoc(doc);
    const { store, seen } = await openWith(passphrase('pw'));
    expect(seen[0]?.entries.map((e) => e.id)).toEqual([ec.id, hmac.id]);
    expect(seen[0]?.message).toContain(`2 key store entries were damaged (id ${ec.id}, id ${hmac.id})`);
    expect((await store.list()).map((k) => k.id)).toEqual([pub.id]);
  });

  it('a public key given another key’s integrity seal is set aside', async () => {
    const { store: first } = await openWith(passphrase('pw'));
    const a = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const b = crypto.generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
    const [ka] = (await first.import({ type: 'jwk', value: JSON.stringify(a) })).imported;
    const [kb] = (await first.import({ type: 'jwk', value: JSON.stringify(b) })).imported;
    const doc = readDoc();
    doc.keys[1]!.integrity = doc.keys[0]!.integrity;
    writeDoc(doc);
    const { store, seen } = await openWith(passphrase('pw'));
    expect(seen[0]?.entries.map((e) => e.id)).toEqual([kb?.id]);
    expect((await store.list()).map((k) => k.id)).toEqual([ka?.id]);
  });

  it('changeProtection re-seals public keys too', async () => {
    const { store, ec, hmac, pub } = await threeKeys(passphrase('old'));
    const keychain = testKeychain();
    await store.changeProtection({ kind: 'safe-storage', safeStorage: keychain });
    const { store: reopened, seen } = await openWith({ kind: 'safe-storage', safeStorage: keychain });
    expect(seen).toEqual([]);
    expect((await reopened.list()).map((k) => k.id)).toEqual([ec.id, hmac.id, pub.id]);
  });
});

describe('the host reports set-aside entries', () => {
  it('keys.status carries them (and says so in its notice); without any, no setAside member', async () => {
    const { ec } = await threeKeys(unencrypted);
    const clean = new KeyStoreSession({ dataDir: dir, unencryptedTestStore: true });
    expect(await clean.status()).not.toHaveProperty('setAside');

    const doc = readDoc();
    (doc.keys[0] as Record<string, unknown>).label = 'edited';
    writeDoc(doc);
    const session = new KeyStoreSession({ dataDir: dir, unencryptedTestStore: true });
    const status = await session.status();
    expect(status).toMatchObject({ state: 'unlocked', keyCount: 2 });
    expect(status.setAside).toEqual([
      {
        id: ec.id,
        kid: 'ec-kid',
        label: 'edited',
        reason: 'it fails authentication (its metadata or private part was altered)',
        file: expect.stringMatching(/keys\.json\.damaged-/),
      },
    ]);
    expect(status.notice).toContain(`A key store entry was damaged (id ${ec.id})`);
  });
});

// ------------------------------------------------------------------------------------------------
// Schema 1, written here from its definition (not by the store's code): private parts sealed with
// AES-256-GCM under scrypt(passphrase), AAD "jwt-workbench/keys/v1:<entry id>", metadata not bound.

const V1_AAD = 'jwt-workbench/keys/v1:';

function v1Sealer(pass: string | null) {
  if (pass === null) return { protection: { kind: 'none' }, seal: (text: string) => ({ plaintext: text }) };
  const salt = crypto.randomBytes(16).toString('base64url');
  const { N, r, p } = TEST_SCRYPT_COST;
  const key = crypto.scryptSync(pass.normalize('NFC'), Buffer.from(salt, 'base64url'), 32, { N, r, p, maxmem: 256 * 1024 * 1024 });
  const seal = (text: string, context: string) => {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(V1_AAD + context));
    const data = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
    return { iv: iv.toString('base64url'), data: data.toString('base64url'), tag: cipher.getAuthTag().toString('base64url') };
  };
  return { protection: { kind: 'passphrase', kdf: 'scrypt', salt, N, r, p, check: seal('jwt-workbench key store', '#check') }, seal };
}

async function writeV1Store(pass: string | null) {
  const { protection, seal } = v1Sealer(pass);
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { kty, crv, x, y, d } = ec.privateKey.export({ format: 'jwk' });
  const ecPublic = { kty, crv, x, y };
  const hmac = { kty: 'oct', k: crypto.randomBytes(32).toString('base64url') };
  const onlyPublic = crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const opJwk = onlyPublic.publicKey.export({ format: 'jwk' });
  const entry = (id: string, fields: Record<string, unknown>, privateJwk: object | null) => ({
    id,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...fields,
    secret: privateJwk === null ? null : seal(JSON.stringify(privateJwk), id),
  });
  const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()] as const;
  const doc = {
    format: 'jwt-workbench-keys',
    version: 1,
    protection,
    keys: [
      entry(ids[0], { kid: 'v1-ec', label: 'old EC', alg: 'ES256', kty: 'EC', crv: 'P-256', size: 256, thumbprint: await calculateJwkThumbprint(ecPublic as never), publicJwk: ecPublic }, { ...ecPublic, d }),
      entry(ids[1], { kid: 'v1-hmac', label: 'old HMAC', alg: 'HS256', kty: 'oct', crv: null, size: 256, thumbprint: await calculateJwkThumbprint(hmac as never), publicJwk: null }, hmac),
      entry(ids[2], { kid: 'v1-public', label: 'old public', alg: null, kty: 'EC', crv: 'P-384', size: 384, thumbprint: await calculateJwkThumbprint(opJwk as never), publicJwk: { kty: opJwk.kty, crv: opJwk.crv, x: opJwk.x, y: opJwk.y } }, null),
    ],
  };
  writeDoc(doc);
  return { ids, doc, onlyPublic };
}

describe.each([
  ['passphrase', 'v1 passphrase', () => passphrase('v1 passphrase')],
  ['unencrypted test store', null, () => unencrypted],
] as const)('a schema-1 store (%s) migrates on open', (_name, pass, protection) => {
  it('keeps every key, rewrites as schema 2 with bound metadata, and signs and verifies as before', async () => {
    const { ids, onlyPublic } = await writeV1Store(pass);
    const { store, seen } = await openWith(protection());
    expect(seen).toEqual([]);
    const keys = await store.list();
    expect(keys.map((k) => [k.id, k.kid, k.label, k.hasPrivate])).toEqual([
      [ids[0], 'v1-ec', 'old EC', true],
      [ids[1], 'v1-hmac', 'old HMAC', true],
      [ids[2], 'v1-public', 'old public', false],
    ]);
    await expectSigns(store, keys[0] as KeyInfo);
    await expectSigns(store, keys[1] as KeyInfo);
    const token = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ES384' }).sign(await importJWK(onlyPublic.privateKey.export({ format: 'jwk' }), 'ES384'));
    expect((await store.verify(ids[2], token)).valid).toBe(true);

    const migrated = readDoc();
    expect(migrated.version).toBe(2);
    expect(migrated.keys[2]).toHaveProperty('integrity');
    const reopened = await openWith(protection());
    expect(reopened.seen).toEqual([]);
    expect(await reopened.store.list()).toEqual(keys);

    // Migrated means bound: an edit now is detected.
    (migrated.keys[1] as Record<string, unknown>).label = 'edited after migration';
    writeDoc(migrated);
    const edited = await openWith(protection());
    expect(edited.seen[0]?.entries.map((e) => e.id)).toEqual([ids[1]]);
    expect((await edited.store.list()).map((k) => k.id)).toEqual([ids[0], ids[2]]);
  });
});

it('a schema-1 entry whose private part fails authentication is set aside; the rest migrates', async () => {
  const { ids, doc } = await writeV1Store('v1 passphrase');
  const secret = doc.keys[0]!.secret as { data: string };
  const data = Buffer.from(secret.data, 'base64url');
  data[0] = (data[0] as number) ^ 1;
  secret.data = data.toString('base64url');
  writeDoc(doc);
  const { store, seen } = await openWith(passphrase('v1 passphrase'));
  expect(seen[0]?.entries).toMatchObject([{ id: ids[0], reason: 'its private part fails authentication (altered or swapped)' }]);
  const side = JSON.parse(fs.readFileSync(seen[0]?.movedTo as string, 'utf8'));
  expect(side).toMatchObject({ storeVersion: 1, entries: [{ index: 0, entry: doc.keys[0] }] });
  expect((await store.list()).map((k) => k.id)).toEqual([ids[1], ids[2]]);
  expect(readDoc().version).toBe(2);
});
