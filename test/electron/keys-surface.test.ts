// No return value (nor error) of the key store's public API carries private key material, except the
// three methods named as main-process only (issue 4: "private key material never crosses the contract").
import { privateLeaks } from './private-scan';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectKeyStore, KeyStore, PRIVATE_MEMBERS, setAsideKeyStore } from '../../electron/services/keys';
import { passphrase, tempDir, testKeychain } from './keys-test-support';

/** Methods whose results may reach the renderer (through the contract, once wired). */
const PUBLIC_METHODS = [
  'list',
  'get',
  'keysForAlg',
  'exportPublicJwk',
  'exportPublicPem',
  'exportJwks',
  'sign',
  'verify',
  'generate',
  'import',
  'update',
  'remove',
  'changeProtection',
  'dpopProof',
] as const;
/** Return private material on purpose; for the main process only, never wired into the contract. */
const MAIN_PROCESS_ONLY = ['revealPrivateKey', 'exportPrivateKeyToFile', 'verificationKey', 'fileSealer'] as const;
const GETTERS = ['recoveries', 'setAsideEntries', 'protectionKind'] as const;

describe('the public API returns public material and ids only', () => {
  let dir: string;
  let store: KeyStore;
  let ids: Record<string, string>;
  const secrets: string[] = [];
  const seen: { call: string; value: unknown }[] = [];
  const mainOnly: { call: string; value: unknown }[] = [];

  async function record(call: string, run: () => Promise<unknown> | unknown, into = seen): Promise<unknown> {
    try {
      const value = await run();
      into.push({ call, value });
      return value;
    } catch (error) {
      into.push({ call: `${call} (threw)`, value: error });
      return undefined;
    }
  }

  beforeAll(async () => {
    dir = tempDir('keys-surface-');
    store = await KeyStore.open({ dataDir: dir, protection: passphrase('surface') });
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    ids = {
      rsa: (await store.generate('PS256')).id,
      ec: (await store.generate('ES256')).id,
      ed: (await store.generate('EdDSA')).id,
      hs: (await store.generate('HS512')).id,
      secret: (await store.import({ type: 'secret', value: 'an imported shared secret value', encoding: 'utf8' })).imported[0]!.id,
      pkcs1: (await store.import({ type: 'pem', value: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string })).imported[0]!.id,
      publicOnly: (
        await store.import({
          type: 'jwk',
          value: JSON.stringify(crypto.generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ format: 'jwk' })),
        })
      ).imported[0]!.id,
    };
    // Every private value the store holds, to be searched for in every result.
    for (const id of Object.values(ids)) {
      const jwkText = await store.revealPrivateKey(id, 'jwk').catch(() => null);
      if (jwkText === null) continue;
      const jwk = JSON.parse(jwkText) as Record<string, string>;
      for (const name of PRIVATE_MEMBERS) if (jwk[name]) secrets.push(jwk[name]);
      const pem = await store.revealPrivateKey(id, 'pem').catch(() => null);
      if (pem) secrets.push(...pem.split('\n').filter((line) => line.length === 64));
    }
    secrets.push(Buffer.from('an imported shared secret value').toString('base64url'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the method list is complete: a new method must be classified here', () => {
    const names = Object.getOwnPropertyNames(KeyStore.prototype).filter((n) => n !== 'constructor');
    expect(names.sort()).toEqual([...PUBLIC_METHODS, ...MAIN_PROCESS_ONLY, ...GETTERS].sort());
  });

  it('no public method result or error contains a private member, a PRIVATE KEY PEM or a private value', async () => {
    const all = Object.values(ids);
    const header = '{"typ":"JWT"}';
    const payload = '{"sub":"surface"}';
    for (const id of [...all, 'missing-id']) {
      await record(`get ${id}`, () => store.get(id));
      await record(`exportPublicJwk ${id}`, () => store.exportPublicJwk(id));
      await record(`exportPublicPem ${id}`, () => store.exportPublicPem(id));
      await record(`update ${id}`, () => store.update(id, { label: `label ${id}` }));
      const signed = (await record(`sign ${id}`, () => store.sign(id, { headerText: header, payloadText: payload }))) as
        | { token: string }
        | undefined;
      await record(`sign ${id} wrong alg`, () => store.sign(id, { headerText: header, payloadText: payload, alg: 'ES384' }));
      await record(`sign ${id} bad header`, () => store.sign(id, { headerText: '{', payloadText: payload }));
      if (signed) await record(`verify ${id}`, () => store.verify(id, signed.token));
      await record(`dpopProof ${id}`, () => store.dpopProof(id, { htm: 'GET', htu: 'https://api.example.test/resource' }));
      await record(`verify ${id} garbage`, () => store.verify(id, 'not.a.token'));
    }
    await record('list', () => store.list());
    for (const alg of ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA', 'HS256', 'HS512', 'none']) {
      await record(`keysForAlg ${alg}`, () => store.keysForAlg(alg));
      await record(`keysForAlg ${alg} sign`, () => store.keysForAlg(alg, 'sign'));
    }
    await record('exportJwks all', () => store.exportJwks());
    await record('exportJwks some', () => store.exportJwks([ids.rsa!, ids.ec!, ids.publicOnly!]));
    await record('exportJwks with a secret', () => store.exportJwks([ids.hs!]));
    await record('generate', () => store.generate('RS384'));
    await record('generate bad', () => store.generate('HS256', { bits: 8 }));
    await record('import again', async () =>
      store.import({ type: 'jwk', value: await store.revealPrivateKey(ids.ec!, 'jwk') }),
    );
    await record('import bad', () => store.import({ type: 'jwk', value: '{"kty":"oct","k":"' + secrets[0] + '!"}' }));
    await record('remove', () => store.remove(ids.pkcs1!));
    await record('changeProtection', () => store.changeProtection({ kind: 'safe-storage', safeStorage: testKeychain() }));
    // A damaged entry is set aside and reported by id, kid, label and reason only.
    const keysFile = path.join(dir, 'keys.json');
    const doc = JSON.parse(fs.readFileSync(keysFile, 'utf8')) as { keys: { label: string }[] };
    doc.keys[0]!.label = 'edited by hand';
    fs.writeFileSync(keysFile, JSON.stringify(doc));
    await record('list after an entry was damaged', () => store.list());
    expect(store.setAsideEntries).toHaveLength(1);
    await record('setAsideEntries', () => store.setAsideEntries);
    await record('recoveries', () => store.recoveries);
    await record('protectionKind', () => store.protectionKind);
    await record('inspectKeyStore', () => inspectKeyStore(dir));

    expect(seen.filter((s) => !s.call.includes('(threw)')).length).toBeGreaterThan(40);
    expect(seen.flatMap(({ call, value }) => privateLeaks(value, secrets).map((leak) => `${call} → ${leak}`))).toEqual([]);
    await record('setAsideKeyStore', () => setAsideKeyStore(dir));
    expect(privateLeaks(seen.at(-1)?.value, secrets)).toEqual([]);
  });

  it('the scan finds leaks: the main-process-only methods do return private material', async () => {
    const fresh = await KeyStore.open({ dataDir: path.join(dir, 'second'), protection: passphrase('x') });
    const ec = await fresh.generate('ES256');
    const hs = await fresh.generate('HS256');
    const jwk = JSON.parse(await fresh.revealPrivateKey(ec.id, 'jwk')) as { d: string };
    await record('revealPrivateKey jwk', () => fresh.revealPrivateKey(ec.id, 'jwk'), mainOnly);
    await record('revealPrivateKey pem', () => fresh.revealPrivateKey(ec.id, 'pem'), mainOnly);
    await record('verificationKey hs', () => fresh.verificationKey(hs.id), mainOnly);
    const found = mainOnly.map(({ value }) => privateLeaks(value, [jwk.d]));
    expect(found.map((f) => f.length > 0)).toEqual([true, true, true]);
  });
});
