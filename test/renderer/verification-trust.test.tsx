// Keys from the issuer and trust made visible in the Verification panel: "Find keys" (keys.discover → the
// JWKS box, the source in the verdict), the token's own key (a warning; used only when chosen, then a red
// verdict), and the token-pair / key-binding fields (sent only when filled, never remembered).
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPECTATIONS_STORAGE_KEY } from '../../renderer/src/store/settings-slice';
import { NOW, makeToken, renderApp, verifyResult } from './harness';

afterEach(() => localStorage.clear());

const ISS = 'https://idp.example';
const TOKEN = makeToken({ alg: 'ES256', kid: 'k1' }, { sub: 'u1', iss: ISS, exp: NOW + 3600 });
const JWK = { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' };
const OWN_KEY_TOKEN = makeToken({ alg: 'ES256', jwk: JWK }, { sub: 'admin', exp: NOW + 3600 });
const JWKS = JSON.stringify({ keys: [{ ...JWK, kid: 'k1' }] });

type User = ReturnType<typeof renderApp>['user'];
const panel = () => screen.getByRole('region', { name: 'Verification' });
const verdict = () => within(panel()).getByRole('status', { name: 'Verdict' });
const keyType = () => screen.getByRole('combobox', { name: 'Key type' }) as HTMLSelectElement;

async function paste(user: User, name: string, text: string) {
  await user.click(screen.getByRole('textbox', { name }));
  await user.paste(text);
}

describe('Find keys', () => {
  it('asks the host for the issuer keys, fills the JWKS box, and the verdict names where the key came from', async () => {
    const { user, store, host } = renderApp();
    // No button before a token with an http(s) iss.
    expect(screen.queryByRole('button', { name: 'Find keys' })).toBeNull();
    await paste(user, 'Encoded token', TOKEN);
    await user.click(screen.getByRole('button', { name: 'Find keys' }));
    await waitFor(() => expect(host.callsTo('keys.discover')).toHaveLength(1));
    expect(host.callsTo('keys.discover')[0]!.request).toEqual({ token: TOKEN });
    // Nothing is fetched behind the user's back: one press, one call.
    expect(host.callsTo('jwks.fetch')).toHaveLength(0);

    act(() =>
      host.callsTo('keys.discover')[0]!.respond({
        ok: true,
        value: { jwks: JWKS, keys: 1, jwksUri: `${ISS}/jwks`, metadataUrl: `${ISS}/.well-known/openid-configuration` },
      }),
    );
    const note = await within(panel()).findByRole('status', { name: 'Key discovery' });
    expect(note.textContent).toBe(`Found 1 key at ${ISS}/jwks via ${ISS}/.well-known/openid-configuration`);
    expect(keyType().value).toBe('jwks');
    expect(store.getState().keyText).toBe(JWKS);

    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    expect(host.callsTo('crypto.verify')[0]!.request.key).toEqual({ type: 'jwks', value: JWKS });
    act(() => host.callsTo('crypto.verify')[0]!.respond({ ok: true, value: verifyResult({ valid: true, alg: 'ES256', message: 'Verified.' }) }));
    await waitFor(() => expect(verdict().textContent).toContain('Signature valid'));
    expect(verdict().textContent).toContain(`key from ${ISS}/jwks (discovery)`);
    expect(verdict().className).toContain('verdict-box-valid');
    expect(panel().textContent).toContain(`discovery:${ISS}/jwks`);

    // Edited JWKS text is no longer "from discovery".
    await paste(user, 'Key', ' ');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(2));
    act(() => host.callsTo('crypto.verify')[1]!.respond({ ok: true, value: verifyResult({ valid: true, alg: 'ES256', message: 'Verified.' }) }));
    await waitFor(() => expect(verdict().textContent).toContain('Signature valid'));
    expect(verdict().textContent).not.toContain('discovery');
  });

  it('shows a discovery error with its code and leaves the key as it was', async () => {
    const { user, store, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await paste(user, 'Secret', 'kept');
    await user.click(screen.getByRole('button', { name: 'Find keys' }));
    await waitFor(() => expect(host.callsTo('keys.discover')).toHaveLength(1));
    act(() =>
      host.callsTo('keys.discover')[0]!.respond({ ok: false, error: { code: 'issuer-mismatch', message: 'The metadata names issuer "https://evil.example"' } }),
    );
    const note = await within(panel()).findByRole('status', { name: 'Key discovery' });
    expect(note.textContent).toBe('Could not find keys: The metadata names issuer "https://evil.example" (issuer-mismatch)');
    expect(store.getState().keySource).toBe('secret');
    expect(store.getState().keyText).toBe('kept');

    // The note is about that token: another token on screen, and it is gone.
    await user.clear(screen.getByRole('textbox', { name: 'Encoded token' }));
    await paste(user, 'Encoded token', makeToken({ alg: 'ES256' }, { iss: 'https://other.example' }));
    await waitFor(() => expect(within(panel()).queryByRole('status', { name: 'Key discovery' })).toBeNull());
  });
});

describe("the token's own key", () => {
  it('is shown with a warning and never sent unless chosen; chosen, the verdict is red and says self-asserted', async () => {
    const { user, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    expect(within(panel()).queryByRole('note', { name: "Token's own key" })).toBeNull();
    expect([...keyType().options].map((o) => o.value)).not.toContain('token-key');

    await user.clear(screen.getByRole('textbox', { name: 'Encoded token' }));
    await paste(user, 'Encoded token', OWN_KEY_TOKEN);
    const warning = within(panel()).getByRole('note', { name: "Token's own key" });
    expect(warning.textContent).toContain('This token names its own key (jwk): a verifier must not trust it — anyone can sign with their own key');
    expect(warning.textContent).toContain(JWK.x);

    // A secret is used as entered; the header's jwk is not.
    await paste(user, 'Secret', 'something');
    await waitFor(() => expect(host.callsTo('crypto.verify').length).toBeGreaterThan(0));
    expect(host.callsTo('crypto.verify').every((c) => c.request.key.type !== 'token-key')).toBe(true);

    await user.selectOptions(keyType(), 'token-key');
    expect(keyType().selectedOptions[0]!.textContent).toBe("Token's own key (self-asserted)");
    await waitFor(() => expect(host.callsTo('crypto.verify').at(-1)!.request.key).toEqual({ type: 'token-key' }));
    const call = host.callsTo('crypto.verify').at(-1)!;
    act(() =>
      call.respond({
        ok: true,
        value: { ...verifyResult({ valid: true, alg: 'ES256' }), key: { kid: null, thumbprint: 't', kty: 'EC', index: null, source: 'self-asserted:jwk' } },
      }),
    );
    await waitFor(() => expect(verdict().textContent).toContain("Signature valid under the token's own key — self-asserted, proves nothing about the signer"));
    expect(verdict().className).toContain('verdict-box-invalid');
    expect(verdict().textContent).toContain('self-asserted:jwk');
    expect(within(panel()).getByText('self-asserted:jwk', { selector: 'dd code' })).toBeTruthy();
  });

  it('signs no edit with the token own key', async () => {
    const { user, store } = renderApp();
    await paste(user, 'Encoded token', OWN_KEY_TOKEN);
    await user.selectOptions(keyType(), 'token-key');
    expect(store.getState().signingKey()).toBeNull();
  });
});

describe('token-pair and key-binding fields', () => {
  it('sends only the filled values to crypto.verify, shows the host checks with the others, and remembers none but the audience', async () => {
    const { user, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await paste(user, 'Secret', 'k');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    expect(host.callsTo('crypto.verify')[0]!.request.options).toEqual({ now: NOW, leeway: 0 });

    const values: [label: string, text: string][] = [
      ['Access token', 'at-123'],
      ['Authorization code', 'code-1'],
      ['State', 'st'],
      ['Nonce', 'n-0S6'],
      ['Key-binding audience', 'https://verifier.example'],
      ['Key-binding nonce', 'kb-n'],
    ];
    for (const [label, text] of values) await paste(user, label, text);
    await waitFor(() =>
      expect(host.callsTo('crypto.verify').at(-1)!.request.options).toEqual({
        now: NOW,
        leeway: 0,
        accessToken: 'at-123',
        code: 'code-1',
        state: 'st',
        nonce: 'n-0S6',
        kbAudience: 'https://verifier.example',
        kbNonce: 'kb-n',
      }),
    );
    const last = host.callsTo('crypto.verify').at(-1)!;
    act(() =>
      last.respond({
        ok: true,
        value: verifyResult({
          valid: true,
          ok: false,
          alg: 'ES256',
          claims: [
            { claim: 'exp', ok: true, checked: true, message: 'not expired' },
            { claim: 'at_hash', ok: false, checked: true, message: 'does not match the access token' },
            { claim: 'nonce', ok: true, checked: true, message: 'matches the nonce sent' },
          ],
        }),
      }),
    );
    const checks = await within(panel()).findByRole('list', { name: 'Claim checks' });
    await waitFor(() => expect(checks.textContent).toContain('at_hash does not match the access token'));
    expect(checks.textContent).toContain('nonce matches the nonce sent');
    expect(verdict().textContent).toContain('at_hash check fails');

    // Only the key-binding audience (like the expected audience) is remembered; the exchange's values are not.
    const stored = localStorage.getItem(EXPECTATIONS_STORAGE_KEY) ?? '';
    expect(JSON.parse(stored)).toMatchObject({ kbAudience: 'https://verifier.example' });
    for (const [label, text] of values.filter(([label]) => label !== 'Key-binding audience')) expect(stored, label).not.toContain(text);
  });
});
