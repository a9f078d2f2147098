// DPoP in the debugger: a proof on screen (typ dpop+jwt) is checked in the page per RFC 9449 §4.3 against the
// request the user names, each check ✓/✗ with the proof key's jkt; a cnf.jkt access token names its key; and
// "Build a DPoP proof" asks the host (dpop.create) with a pasted or stored key, then opens the proof.
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair } from 'jose';
import { createDpopProof, DPOP_CHECK_IDS, singleSigningKey } from '../../shared/core/dpop';
import { prepareKeys } from '../../shared/core/keys';
import type { KeysStatus, StoredKeyInfo } from '../../shared/contract/keys';
import { disposeStores, makeToken, NOW, renderApp } from './harness';

afterEach(disposeStores);

const URL_ = 'https://api.example/orders';

async function signingKey() {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return singleSigningKey((await prepareKeys({ type: 'jwk', value: JSON.stringify(await exportJWK(privateKey)) })).keys);
}

async function paste(user: ReturnType<typeof renderApp>['user'], text: string) {
  await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
  await user.paste(text);
}

const region = (name: string) => screen.getByRole('region', { name });

function checkStates(): Record<string, string | null> {
  const list = within(region('DPoP proof')).getByRole('list', { name: 'DPoP checks' });
  return Object.fromEntries(within(list).getAllByRole('listitem').map((li) => [li.getAttribute('data-check'), li.getAttribute('data-ok')]));
}

describe('DPoP proof panel', () => {
  it('appears only for typ dpop+jwt, and checks the proof against the method and URL entered', async () => {
    const { user } = renderApp();
    await paste(user, makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'x' }));
    expect(screen.queryByRole('region', { name: 'DPoP proof' })).toBeNull();

    const key = await signingKey();
    const { proof, jkt } = await createDpopProof(key, { htm: 'POST', htu: `${URL_}?page=2`, iat: NOW - 5, nonce: 'n-1' });
    await user.clear(screen.getByRole('textbox', { name: 'Encoded token' }));
    await paste(user, proof);
    const panel = await screen.findByRole('region', { name: 'DPoP proof' });
    // No request named yet: htm and htu cannot pass.
    await waitFor(() => expect(within(panel).getAllByRole('status').at(-1)!.textContent).toMatch(/Enter the request/));

    await user.type(within(panel).getByRole('textbox', { name: 'HTTP method' }), 'POST');
    await user.type(within(panel).getByRole('textbox', { name: 'URL' }), 'HTTPS://api.example:443/orders');
    await waitFor(() => expect(within(panel).getAllByRole('status').at(-1)!.textContent).toBe(`✓ Valid DPoP proof for POST HTTPS://api.example:443/orders`));
    expect(checkStates()).toEqual(Object.fromEntries(['format', 'typ', 'alg', 'jwk', 'signature', 'htm', 'htu', 'iat', 'jti'].map((c) => [c, 'true'])));
    expect(within(panel).getByTestId('dpop-jkt').textContent).toBe(jkt);

    // Another URL: htu fails, and says what each side was.
    await user.clear(within(panel).getByRole('textbox', { name: 'URL' }));
    await user.type(within(panel).getByRole('textbox', { name: 'URL' }), 'https://api.example/other');
    await waitFor(() => expect(within(panel).getAllByRole('status').at(-1)!.textContent).toBe('✗ Invalid DPoP proof: htu'));
    expect(checkStates().htu).toBe('false');
    expect(within(panel).getByText(/htu is "https:\/\/api.example\/orders", the request is "https:\/\/api.example\/other"/)).toBeTruthy();

    // A nonce the server expects, and an access token the proof was not made for.
    await user.click(within(panel).getByRole('button', { name: 'Use the proof’s htm and htu' }));
    await user.type(within(panel).getByRole('textbox', { name: 'Nonce' }), 'n-2');
    await user.type(within(panel).getByRole('textbox', { name: 'Access token' }), 'some-token');
    await waitFor(() => expect(checkStates()).toMatchObject({ htu: 'true', nonce: 'false', ath: 'false' }));
    expect(Object.keys(checkStates())).toEqual(DPOP_CHECK_IDS.filter((id) => id !== 'malformed-token' && id !== 'cnf-jkt'));
  });

  it('judges iat at the debugger’s time: a proof from 10 minutes before fails iat', async () => {
    const { user } = renderApp();
    const { proof } = await createDpopProof(await signingKey(), { htm: 'GET', htu: URL_, iat: NOW - 600 });
    await paste(user, proof);
    const panel = await screen.findByRole('region', { name: 'DPoP proof' });
    await user.click(within(panel).getByRole('button', { name: 'Use the proof’s htm and htu' }));
    await waitFor(() => expect(within(panel).getAllByRole('status').at(-1)!.textContent).toBe('✗ Invalid DPoP proof: iat'));
    expect(within(panel).getByText(/iat is 600 s old; at most 300 s is accepted/)).toBeTruthy();
  });

  it('an access token with cnf.jkt says which proof key it is bound to, and builds a proof for it', async () => {
    const { user, host } = renderApp();
    const access = makeToken({ alg: 'ES256', typ: 'at+jwt' }, { sub: 'alice', cnf: { jkt: 'bound-thumbprint-123' } });
    await paste(user, access);
    const note = await screen.findByRole('region', { name: 'DPoP binding' });
    expect(within(note).getByTestId('dpop-bound-jkt').textContent).toBe('bound-thumbprint-123');
    await user.click(within(note).getByRole('button', { name: 'Build a proof for this token…' }));
    const builder = region('Build a DPoP proof');
    expect((within(builder).getByRole('textbox', { name: 'Access token' }) as HTMLInputElement).value).toBe(access);
    await user.click(within(builder).getByRole('textbox', { name: 'Private key (PEM or JWK)' }));
    await user.paste('{"kty":"EC"}');
    await user.type(within(builder).getByRole('textbox', { name: 'URL' }), URL_);
    await user.click(within(builder).getByRole('button', { name: 'Create proof' }));
    await waitFor(() => expect(host.callsTo('dpop.create')).toHaveLength(1));
    expect(host.callsTo('dpop.create')[0]!.request).toEqual({ key: { type: 'auto', value: '{"kty":"EC"}' }, htm: 'GET', htu: URL_, accessToken: access });
    host.callsTo('dpop.create')[0]!.respond({ ok: false, error: { code: 'key-not-private', message: 'a DPoP proof is signed with a private key; this is a public key' } });
    expect((await within(builder).findByRole('alert')).textContent).toBe('key-not-private: a DPoP proof is signed with a private key; this is a public key');
  });
});

describe('Build a DPoP proof', () => {
  it('is offered without a token: the host signs, and the proof opens in the debugger checked against its request', async () => {
    const { user, host, store } = renderApp();
    await user.click(screen.getByRole('button', { name: 'Build a DPoP proof…' }));
    const builder = region('Build a DPoP proof');
    await user.click(within(builder).getByRole('textbox', { name: 'Private key (PEM or JWK)' }));
    await user.paste('-----BEGIN PRIVATE KEY-----\nMIG...\n-----END PRIVATE KEY-----');
    await user.clear(within(builder).getByRole('textbox', { name: 'HTTP method' }));
    await user.type(within(builder).getByRole('textbox', { name: 'HTTP method' }), 'DELETE');
    await user.type(within(builder).getByRole('textbox', { name: 'URL' }), URL_);
    await user.type(within(builder).getByRole('textbox', { name: 'Nonce' }), 'server-nonce');
    await user.click(within(builder).getByRole('button', { name: 'Create proof' }));
    await waitFor(() => expect(host.callsTo('dpop.create')).toHaveLength(1));
    expect(host.callsTo('dpop.create')[0]!.request).toMatchObject({ htm: 'DELETE', htu: URL_, nonce: 'server-nonce' });

    // The host's answer is a real proof (made here), so the debugger's checks have something true to say.
    const made = await createDpopProof(await signingKey(), { htm: 'DELETE', htu: URL_, nonce: 'server-nonce', iat: NOW });
    host.callsTo('dpop.create')[0]!.respond({ ok: true, value: { proof: made.proof, jkt: made.jkt } });
    expect(((await within(builder).findByRole('textbox', { name: 'Proof' })) as HTMLTextAreaElement).value).toBe(made.proof);
    expect(within(builder).getByText(made.jkt)).toBeTruthy();

    await user.click(within(builder).getByRole('button', { name: 'Open in debugger' }));
    expect(store.getState().input).toBe(made.proof);
    const panel = await screen.findByRole('region', { name: 'DPoP proof' });
    expect((within(panel).getByRole('textbox', { name: 'URL' }) as HTMLInputElement).value).toBe(URL_);
    await waitFor(() => expect(within(panel).getAllByRole('status').at(-1)!.textContent).toBe(`✓ Valid DPoP proof for DELETE ${URL_}`));
    expect(checkStates().nonce).toBe('true');
  });

  it('signs with a stored private key by id (HMAC and public-only keys are not offered)', async () => {
    const { user, host } = renderApp();
    await user.click(screen.getByRole('button', { name: 'Build a DPoP proof…' }));
    const builder = region('Build a DPoP proof');
    await user.selectOptions(within(builder).getByRole('combobox', { name: 'Signing key' }), 'stored');
    const status: KeysStatus = { state: 'unlocked', protection: 'none', setupChoices: [], privateExport: ['file'], keyCount: 3, notice: null };
    await waitFor(() => expect(host.callsTo('keys.status').length).toBeGreaterThan(0));
    host.callsTo('keys.status')[0]!.respond({ ok: true, value: status });
    const base: StoredKeyInfo = {
      id: 'ec', kid: 'ec-kid', label: 'EC signer', createdAt: '2024-01-01T00:00:00.000Z', kty: 'EC', curve: 'P-256', size: 256, description: 'EC P-256',
      alg: 'ES256', algorithms: ['ES256'], thumbprint: 'ec-thumb', hasPrivate: true, publicJwk: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
    };
    await waitFor(() => expect(host.callsTo('keys.list').length).toBeGreaterThan(0));
    host.callsTo('keys.list')[0]!.respond({
      ok: true,
      value: [base, { ...base, id: 'pub', label: 'EC public', hasPrivate: false }, { ...base, id: 'hs', label: 'HMAC', kty: 'oct', alg: 'HS256', algorithms: ['HS256'], publicJwk: null }],
    });
    const picker = await within(builder).findByRole('combobox', { name: 'Stored key' });
    await waitFor(() => expect([...(picker as HTMLSelectElement).options].map((o) => o.value)).toEqual(['', 'ec']));
    await user.selectOptions(picker, 'ec');
    await user.type(within(builder).getByRole('textbox', { name: 'URL' }), URL_);
    await user.click(within(builder).getByRole('button', { name: 'Create proof' }));
    await waitFor(() => expect(host.callsTo('dpop.create')).toHaveLength(1));
    expect(host.callsTo('dpop.create')[0]!.request).toEqual({ key: { type: 'stored', id: 'ec' }, htm: 'GET', htu: URL_ });
  });
});
