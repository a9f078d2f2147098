// The debugger's JWE tools against a fake host: the Decrypt panel (only for a JWE) asks crypto.decrypt on
// the button press with the key entered (a stored key by id only), shows the header, the plaintext and
// warnings or the error; a nested JWT opens in place with the way back; Encrypt… encrypts the token on
// screen or a payload and opens the result.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecryptResponse, KeysStatus, StoredKeyInfo } from '../../shared/contract';
import { encodeBase64urlText } from '../../shared/core/base64url';
import { disposeStores, makeToken, paneText, renderApp } from './harness';

afterEach(disposeStores);

const JWE = `${encodeBase64urlText('{"alg":"RSA-OAEP-256","enc":"A256GCM","cty":"JWT"}')}.ZW5jcnlwdGVkLWtleQ.aXZpdml2aXZpdg.Y2lwaGVydGV4dA.dGFndGFndGFndGFn`;
const INNER = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'inner' });

const region = (name: string) => screen.getByRole('region', { name });
const box = (name: string) => screen.getByRole('textbox', { name }) as HTMLTextAreaElement;

function decrypted(overrides: Partial<DecryptResponse> = {}): DecryptResponse {
  return {
    header: { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' },
    plaintext: INNER,
    plaintextBase64url: encodeBase64urlText(INNER),
    nested: { token: INNER, kind: 'jws', header: { alg: 'HS256', typ: 'JWT' }, payload: { sub: 'inner' }, error: null },
    warnings: [],
    ...overrides,
  };
}

describe('the Decrypt panel', () => {
  it('is shown only for a JWE', async () => {
    const { store } = renderApp();
    store.getState().setInput(makeToken({ alg: 'HS256' }, { sub: 'x' }));
    await waitFor(() => expect(screen.getByRole('region', { name: 'Verification' })).toBeTruthy());
    expect(screen.queryByRole('region', { name: 'Decrypt' })).toBeNull();
    store.getState().setInput(JWE);
    await waitFor(() => expect(region('Decrypt')).toBeTruthy());
    expect(within(region('Decrypt')).getByText('RSA-OAEP-256')).toBeTruthy();
  });

  it('decrypts on the button press with the key entered, shows header and plaintext, opens the inner token and goes back', async () => {
    const { store, host, user } = renderApp();
    store.getState().setInput(JWE);
    const panel = await waitFor(() => region('Decrypt'));
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----';
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Decryption key' }), { target: { value: pem } });
    expect(host.callsTo('crypto.decrypt')).toHaveLength(0); // nothing is asked before the button
    await user.click(within(panel).getByRole('button', { name: 'Decrypt' }));
    const [call] = host.callsTo('crypto.decrypt');
    expect(call!.request).toEqual({ token: JWE, key: { type: 'pem', value: pem } });
    call!.respond({ ok: true, value: decrypted() });

    await waitFor(() => expect(within(panel).getByLabelText('Plaintext').textContent).toBe(INNER));
    expect(JSON.parse(within(panel).getByLabelText('Decrypted header').textContent ?? '')).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' });
    expect(within(panel).getByText(/nested JWT/).textContent).toMatch(/a JWS signed with HS256/);

    await user.click(within(panel).getByRole('button', { name: 'Open inner token' }));
    expect(box('Encoded token').value).toBe(INNER);
    expect(screen.queryByRole('region', { name: 'Decrypt' })).toBeNull();
    // The inner token is in the debugger like any pasted one: its own panes.
    expect(JSON.parse(paneText('Payload'))).toEqual({ sub: 'inner' });

    await user.click(screen.getByRole('button', { name: 'Back to the JWE' }));
    expect(box('Encoded token').value).toBe(JWE);
    // The JWE's decryption is still there for it.
    expect(within(region('Decrypt')).getByLabelText('Plaintext').textContent).toBe(INNER);
    expect(screen.queryByRole('button', { name: 'Back to the JWE' })).toBeNull();
  });

  it('pretty-prints a JSON plaintext and lists warnings', async () => {
    const { store, host, user } = renderApp();
    store.getState().setInput(JWE);
    const panel = await waitFor(() => region('Decrypt'));
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Decryption key type' }), 'password');
    fireEvent.change(within(panel).getByLabelText('Password'), { target: { value: 'pw' } });
    await user.click(within(panel).getByRole('button', { name: 'Decrypt' }));
    expect(host.callsTo('crypto.decrypt')[0]!.request.key).toEqual({ type: 'password', value: 'pw' });
    host.callsTo('crypto.decrypt')[0]!.respond({
      ok: true,
      value: decrypted({ plaintext: '{"sub":"a","n":1}', nested: null, warnings: ['RSA1_5 (RSAES-PKCS1-v1_5) is deprecated'] }),
    });
    await waitFor(() => expect(within(panel).getByLabelText('Plaintext').textContent).toBe('{\n  "sub": "a",\n  "n": 1\n}'));
    expect(within(panel).getByRole('list', { name: 'Decryption warnings' }).textContent).toContain('RSA1_5 (RSAES-PKCS1-v1_5) is deprecated');
    expect(within(panel).queryByRole('button', { name: 'Open inner token' })).toBeNull();
  });

  it('shows the error with its code, and a missing key without asking the host', async () => {
    const { store, host, user } = renderApp();
    store.getState().setInput(JWE);
    const panel = await waitFor(() => region('Decrypt'));
    await user.click(within(panel).getByRole('button', { name: 'Decrypt' }));
    expect(within(panel).getByRole('alert').textContent).toContain('Enter a key.');
    expect(host.callsTo('crypto.decrypt')).toHaveLength(0);

    fireEvent.change(within(panel).getByRole('textbox', { name: 'Decryption key' }), { target: { value: '{"kty":"oct","k":"AAAA"}' } });
    await user.click(within(panel).getByRole('button', { name: 'Decrypt' }));
    host.callsTo('crypto.decrypt')[0]!.respond({ ok: false, error: { code: 'not-decryptable', message: 'not decryptable with this key: wrong key, or the token was altered' } });
    await waitFor(() => expect(within(panel).getByRole('alert').textContent).toBe('Not decrypted: not decryptable with this key: wrong key, or the token was altered not-decryptable'));
  });

  it('a stored key is sent by id only, and only keys that fit the alg are offered', async () => {
    const { store, host, user } = renderApp();
    store.getState().setInput(JWE);
    const panel = await waitFor(() => region('Decrypt'));
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Decryption key type' }), 'stored');
    await waitFor(() => expect(host.callsTo('keys.status')).toHaveLength(1));
    const status: KeysStatus = { state: 'unlocked', protection: 'none', setupChoices: [], privateExport: [], keyCount: 3, notice: null };
    host.callsTo('keys.status')[0]!.respond({ ok: true, value: status });
    const base: StoredKeyInfo = {
      id: 'rsa',
      kid: 'rsa-kid',
      label: 'RSA key',
      createdAt: '2024-01-01T00:00:00.000Z',
      kty: 'RSA',
      curve: null,
      size: 2048,
      description: 'RSA 2048',
      alg: 'RS256',
      algorithms: ['RS256'],
      thumbprint: 't',
      hasPrivate: true,
      publicJwk: { kty: 'RSA', n: 'n', e: 'AQAB' },
    };
    await waitFor(() => expect(host.callsTo('keys.list')).toHaveLength(1));
    host.callsTo('keys.list')[0]!.respond({
      ok: true,
      value: [base, { ...base, id: 'rsa-pub', label: 'RSA public', hasPrivate: false }, { ...base, id: 'ec', label: 'EC key', kty: 'EC', description: 'EC P-256' }],
    });
    const select = await waitFor(() => within(panel).getByRole('combobox', { name: 'Decryption stored key' }));
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a key…', 'RSA key — RSA 2048, kid rsa-kid']);
    await user.selectOptions(select, 'rsa');
    await user.click(within(panel).getByRole('button', { name: 'Decrypt' }));
    expect(host.callsTo('crypto.decrypt')[0]!.request).toEqual({ token: JWE, key: { type: 'stored', id: 'rsa' } });
  });
});

describe('Encrypt…', () => {
  it('encrypts the token on screen as a nested JWT and opens the result', async () => {
    const { store, host, user } = renderApp();
    const jws = makeToken({ alg: 'HS256' }, { sub: 'outer' });
    store.getState().setInput(jws);
    await user.click(screen.getByRole('button', { name: 'Encrypt…' }));
    const panel = region('Encrypt');
    expect((within(panel).getByRole('combobox', { name: 'What to encrypt' }) as HTMLSelectElement).value).toBe('token');
    expect((within(panel).getByRole('checkbox', { name: /cty: JWT/ }) as HTMLInputElement).checked).toBe(true);
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Key management (alg)' }), 'ECDH-ES+A256KW');
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Content encryption (enc)' }), 'A128CBC-HS256');
    const pub = '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----';
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Encryption key' }), { target: { value: pub } });
    await user.click(within(panel).getByRole('button', { name: 'Encrypt' }));
    const [call] = host.callsTo('crypto.encrypt');
    expect(call!.request).toEqual({ payload: jws, key: { type: 'pem', value: pub }, alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256', cty: 'JWT' });
    call!.respond({ ok: true, value: { token: JWE, alg: 'ECDH-ES+A256KW', enc: 'A128CBC-HS256' } });
    await waitFor(() => expect((within(panel).getByRole('textbox', { name: 'Encrypted token' }) as HTMLTextAreaElement).value).toBe(JWE));
    await user.click(within(panel).getByRole('button', { name: 'Open in the debugger' }));
    expect(box('Encoded token').value).toBe(JWE);
    expect(screen.queryByRole('region', { name: 'Encrypt' })).toBeNull();
    expect(region('Decrypt')).toBeTruthy();
  });

  it('encrypts a typed payload with a password, without cty, and shows a refusal', async () => {
    const { host, user } = renderApp();
    await user.click(screen.getByRole('button', { name: 'Encrypt…' }));
    const panel = region('Encrypt');
    expect((within(panel).getByRole('combobox', { name: 'What to encrypt' }) as HTMLSelectElement).value).toBe('payload');
    fireEvent.change(within(panel).getByRole('textbox', { name: 'Payload to encrypt' }), { target: { value: 'hello' } });
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Key management (alg)' }), 'PBES2-HS256+A128KW');
    await user.selectOptions(within(panel).getByRole('combobox', { name: 'Encryption key type' }), 'password');
    fireEvent.change(within(panel).getByLabelText('Encryption password'), { target: { value: 'pw' } });
    await user.click(within(panel).getByRole('button', { name: 'Encrypt' }));
    const [call] = host.callsTo('crypto.encrypt');
    expect(call!.request).toEqual({ payload: 'hello', key: { type: 'password', value: 'pw' }, alg: 'PBES2-HS256+A128KW', enc: 'A256GCM' });
    call!.respond({ ok: false, error: { code: 'key-unusable', message: 'a password is only for the PBES2 algorithms' } });
    await waitFor(() => expect(within(panel).getByRole('alert').textContent).toContain('key-unusable'));
  });
});
