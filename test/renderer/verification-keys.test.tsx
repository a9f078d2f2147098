// The Verification panel's key boxes (one text per key type, a mismatched paste recognised) and the
// expected-claims fields (sent to crypto.verify, remembered like the layout).
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { EXPECTATIONS_STORAGE_KEY } from '../../renderer/src/store/settings-slice';
import { NOW, makeToken, renderApp, verifyResult } from './harness';

const TOKEN = makeToken({ alg: 'HS256' }, { sub: 'u1', aud: 'api', iss: 'https://issuer.example', exp: NOW + 3600 });
const PEM = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----';

afterEach(() => localStorage.clear());

type User = ReturnType<typeof renderApp>['user'];
const panel = () => screen.getByRole('region', { name: 'Verification' });
const keyType = () => screen.getByRole('combobox', { name: 'Key type' }) as HTMLSelectElement;

async function paste(user: User, name: string, text: string) {
  await user.click(screen.getByRole('textbox', { name }));
  await user.paste(text);
}

describe('one key box per key type', () => {
  it('each key type keeps its own text: a secret never lands in the PEM box', async () => {
    const { user, store } = renderApp();
    await paste(user, 'Secret', 'my-secret');
    await user.selectOptions(keyType(), 'pem');
    expect((screen.getByRole('textbox', { name: 'Key' }) as HTMLTextAreaElement).value).toBe('');
    await paste(user, 'Key', PEM);
    await user.selectOptions(keyType(), 'secret');
    expect((screen.getByRole('textbox', { name: 'Secret' }) as HTMLInputElement).value).toBe('my-secret');
    await user.selectOptions(keyType(), 'pem');
    expect((screen.getByRole('textbox', { name: 'Key' }) as HTMLTextAreaElement).value).toBe(PEM);
    expect(store.getState().keyTexts).toMatchObject({ secret: 'my-secret', pem: PEM, jwk: '' });
    expect(store.getState().keyText).toBe(PEM);
  });

  it('a PEM pasted in the JWK box is recognised, and one click switches to PEM taking the text along', async () => {
    const { user, store, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await user.selectOptions(keyType(), 'jwk');
    await paste(user, 'Key', PEM);
    expect(within(panel()).getByText(/This looks like a PEM public key — switch to PEM\?/)).toBeTruthy();
    await user.click(within(panel()).getByRole('button', { name: 'Switch to PEM' }));
    expect(keyType().value).toBe('pem');
    expect((screen.getByRole('textbox', { name: 'Key' }) as HTMLTextAreaElement).value).toBe(PEM);
    expect(store.getState().keyTexts.jwk).toBe('');
    expect(within(panel()).queryByText(/This looks like/)).toBeNull();
    await waitFor(() => expect(host.callsTo('crypto.verify').at(-1)!.request.key).toEqual({ type: 'pem', value: PEM }));
  });

  it('a secret pasted in the PEM box, and a JWK in the secret box, are recognised too', async () => {
    const { user } = renderApp();
    await paste(user, 'Secret', '{"kty":"oct","k":"c2VjcmV0"}');
    expect(within(panel()).getByText(/This looks like a JWK — switch to JWK\?/)).toBeTruthy();
    await user.selectOptions(keyType(), 'pem');
    await paste(user, 'Key', 'just-a-secret');
    expect(within(panel()).getByText(/This looks like a shared secret — switch to Secret\?/)).toBeTruthy();
  });

  it('the callers that set a key still work: Use this secret, and setKeyText for the current type', () => {
    const { store } = renderApp();
    act(() => store.getState().setKeySource('jwk'));
    act(() => store.getState().setKeyText('{"kty":"oct","k":"AA"}'));
    act(() => store.getState().verifyWithSecret('found'));
    expect(store.getState()).toMatchObject({ keySource: 'secret', keyText: 'found' });
    expect(store.getState().keyTexts).toMatchObject({ secret: 'found', jwk: '{"kty":"oct","k":"AA"}' });
  });

  it('an unusable key is "Key problem: …", not "Signature invalid"', async () => {
    const { user, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await user.selectOptions(keyType(), 'jwk');
    await paste(user, 'Key', '{"kty":"oct"}');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() =>
      host.callsTo('crypto.verify')[0]!.respond({
        ok: true,
        value: verifyResult({ valid: false, ok: false, reason: 'invalid-key', message: 'jwk-invalid: JWK oct has no k', key: null }),
      }),
    );
    const verdict = within(panel()).getByRole('status', { name: 'Verdict' });
    await waitFor(() => expect(verdict.textContent).toContain('Key problem: JWK oct has no k'));
    expect(verdict.textContent).not.toContain('Signature invalid');
  });
});

describe('expected claims', () => {
  it('sends expected audience, issuer, allowed algorithms and required claims to crypto.verify', async () => {
    const { user, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await paste(user, 'Expected audience', 'api, web');
    await paste(user, 'Expected issuer', 'https://issuer.example');
    await paste(user, 'Allowed algorithms', 'HS256 HS512');
    await paste(user, 'Required claims', 'sub,tenant');
    await paste(user, 'Secret', 'k');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    expect(host.callsTo('crypto.verify')[0]!.request.options).toEqual({
      now: NOW,
      leeway: 0,
      audience: ['api', 'web'],
      issuer: 'https://issuer.example',
      algorithms: ['HS256', 'HS512'],
      requiredClaims: ['sub', 'tenant'],
    });
    // The claim checks below the verdict use them too.
    const checks = screen.getByRole('list', { name: 'Claim checks' }).textContent!;
    expect(checks).toContain('Passed: aud audience "api" is expected');
    expect(checks).toContain('Passed: iss issuer "https://issuer.example" is expected');
    expect(checks).toContain('Failed: tenant required claim "tenant" is missing');
  });

  it('without an expected audience, aud is shown as not checked ("–"), never ✓', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    const list = screen.getByRole('list', { name: 'Claim checks' });
    const aud = within(list).getAllByRole('listitem').find((li) => li.textContent!.includes('aud'))!;
    expect(aud.textContent).toContain('Not checked: aud');
    expect(aud.textContent).toContain('–');
    expect(aud.textContent).not.toContain('✓');
  });

  it('are remembered on this computer (with the layout), not with the token', async () => {
    const first = renderApp();
    await paste(first.user, 'Expected issuer', 'https://issuer.example');
    expect(JSON.parse(localStorage.getItem(EXPECTATIONS_STORAGE_KEY)!)).toMatchObject({ issuer: 'https://issuer.example' });
    first.unmount();
    renderApp();
    expect((screen.getByRole('textbox', { name: 'Expected issuer' }) as HTMLInputElement).value).toBe('https://issuer.example');
  });
});

describe('one severity per rule', () => {
  it('hmac-secret-short is an Error in Verification\'s key warnings and in Claim warnings alike', async () => {
    const { user, host } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await paste(user, 'Secret', 'short');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() =>
      host.callsTo('crypto.verify')[0]!.respond({
        ok: true,
        value: verifyResult({ valid: true, warnings: [{ rule: 'hmac-secret-short', severity: 'error', message: 'the secret is 5 bytes; HS256 needs at least 32 (RFC 7518 §3.2)' }] }),
      }),
    );
    const keyWarning = await within(panel()).findByRole('list', { name: 'Key warnings' });
    const finding = within(screen.getByRole('region', { name: 'Claim warnings' }))
      .getAllByRole('listitem')
      .find((li) => li.textContent!.includes('hmac-secret-short'))!;
    expect(keyWarning.textContent).toMatch(/^Error/);
    expect(finding.textContent).toContain('Error');
  });
});
