// The debugger's "Stored key" source: it offers the stored keys that fit the token's alg, and the
// token is verified — and an edit re-signed — by the host with that key, by id.
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { StoredKeyPicker } from '../../renderer/src/keys/StoredKeyPicker';
import { createWorkbenchStore } from '../../renderer/src/store';
import { WorkbenchProvider } from '../../renderer/src/store/context';
import type { KeysStatus, StoredKeyInfo } from '../../shared/contract/keys';
import { createFakeHost, makeToken, verifyResult } from './harness';

const UNLOCKED: KeysStatus = { state: 'unlocked', protection: 'none', setupChoices: [], privateExport: ['file'], keyCount: 3, notice: null };
const base: StoredKeyInfo = {
  id: 'es',
  kid: 'es-kid',
  label: 'EC signer',
  createdAt: '2024-01-01T00:00:00.000Z',
  kty: 'EC',
  curve: 'P-256',
  size: 256,
  description: 'EC P-256',
  alg: 'ES256',
  algorithms: ['ES256'],
  thumbprint: 'es-kid',
  hasPrivate: true,
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
};
const KEYS: StoredKeyInfo[] = [
  base,
  { ...base, id: 'es-pub', kid: 'es-pub', label: 'EC public', hasPrivate: false },
  { ...base, id: 'rsa', kid: 'rsa-kid', label: 'RSA signer', kty: 'RSA', curve: null, size: 2048, description: 'RSA 2048', alg: 'RS256', algorithms: ['RS256'] },
];

async function storeWithKeys() {
  const host = createFakeHost();
  const store = createWorkbenchStore({ host, verifyDelayMs: 0 });
  const loading = store.getState().loadKeys();
  await waitFor(() => expect(host.callsTo('keys.status')).toHaveLength(1));
  host.callsTo('keys.status')[0]!.respond({ ok: true, value: UNLOCKED });
  await waitFor(() => expect(host.callsTo('keys.list')).toHaveLength(1));
  host.callsTo('keys.list')[0]!.respond({ ok: true, value: KEYS });
  await loading;
  return { host, store };
}

describe('the Stored key source of the debugger', () => {
  it('offers only the keys that fit the token’s alg, and chooses one by id', async () => {
    const { store } = await storeWithKeys();
    store.getState().setInput(makeToken({ alg: 'ES256', typ: 'JWT' }, { sub: 'x' }));
    store.getState().setKeySource('stored');
    const user = userEvent.setup();
    render(
      <WorkbenchProvider store={store}>
        <StoredKeyPicker />
      </WorkbenchProvider>,
    );
    const select = screen.getByRole('combobox', { name: 'Stored key' });
    const options = within(select).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose a key…', 'EC signer — EC P-256, kid es-kid', 'EC public — EC P-256, kid es-pub (verify only)']);
    expect(screen.getByText('Keys that fit ES256. Signing an edit needs one with a private part.')).toBeTruthy();
    await user.selectOptions(select, 'EC signer — EC P-256, kid es-kid');
    expect(store.getState().storedKeyId).toBe('es');
  });

  it('verifies the token with the chosen stored key, and re-signs an edit with it', async () => {
    const { host, store } = await storeWithKeys();
    const token = makeToken({ alg: 'ES256', typ: 'JWT' }, { sub: 'x' });
    store.getState().setInput(token);
    store.getState().setKeySource('stored');
    expect(store.getState().verification).toEqual({ status: 'idle', reason: 'no-key' });
    expect(host.callsTo('crypto.verify')).toHaveLength(0);

    store.getState().selectStoredKey('es');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    const verify = host.callsTo('crypto.verify')[0]!;
    expect(verify.request).toMatchObject({ token, key: { type: 'stored', id: 'es' } });
    verify.respond({ ok: true, value: verifyResult({ alg: 'ES256' }) });
    await waitFor(() => expect(store.getState().verification.status).toBe('done'));

    store.getState().editPayload('{"sub":"y"}');
    await waitFor(() => expect(host.callsTo('crypto.sign')).toHaveLength(1));
    expect(host.callsTo('crypto.sign')[0]!.request).toMatchObject({ payloadText: '{"sub":"y"}', key: { type: 'stored', id: 'es' } });
    expect(store.getState().signingKey()?.label).toBe('the stored key es-kid');
  });

  it('removing the chosen key unchooses it', async () => {
    const { host, store } = await storeWithKeys();
    store.getState().selectStoredKey('rsa');
    const removing = store.getState().removeStoredKey('rsa');
    await waitFor(() => expect(host.callsTo('keys.remove')).toHaveLength(1));
    host.callsTo('keys.remove')[0]!.respond({ ok: true, value: { removed: 'rsa' } });
    expect(await removing).toBe(true);
    expect(store.getState().storedKeyId).toBeNull();
  });
});
