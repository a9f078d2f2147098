import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NOW, createFakeHost, makeToken, renderApp, verifyResult } from './harness';

const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });

function verification(): HTMLElement {
  return screen.getByRole('region', { name: 'Verification' });
}
/** The overall verdict: the first thing in the panel. */
function verdict(): string {
  return within(verification()).getByRole('status', { name: 'Verdict' }).textContent!;
}
/** Everything the panel shows (verdict, facts, claim checks, key warnings). */
function panelText(): string {
  return verification().textContent!;
}

/** Enters the key in one change (as a paste does), so exactly one verification is scheduled. */
async function enterKey(user: ReturnType<typeof renderApp>['user'], text: string, name = 'Secret') {
  await user.click(screen.getByRole('textbox', { name }));
  await user.paste(text);
}

async function pasteToken(user: ReturnType<typeof renderApp>['user'], token = TOKEN) {
  await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
  await user.paste(token);
}

describe('verification through the host', () => {
  it('sends the token as pasted and the secret to crypto.verify, and shows the verdict', async () => {
    const { user, host } = renderApp();
    await pasteToken(user, `Bearer ${TOKEN}`);
    expect(verdict()).toContain('Enter a secret or key');

    await enterKey(user, 'my-secret');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    const [call] = host.callsTo('crypto.verify');
    expect(call!.request).toEqual({
      token: TOKEN,
      key: { type: 'secret', value: 'my-secret', encoding: 'utf8' },
      options: { now: NOW, leeway: 0 },
    });
    expect(verdict()).toContain('Verifying');

    act(() => call!.respond({ ok: true, value: verifyResult({ valid: true, alg: 'HS256' }) }));
    await waitFor(() => expect(verdict()).toContain('Signature valid — all checked claims pass'));
    expect(panelText()).toContain('HS256');
  });

  it('shows why a signature is invalid', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await enterKey(user, 'wrong');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() =>
      host.callsTo('crypto.verify')[0]!.respond({
        ok: true,
        value: verifyResult({ valid: false, ok: false, reason: 'signature-mismatch', message: 'The signature does not match this key.', key: null }),
      }),
    );
    await waitFor(() => expect(verdict()).toContain('Signature invalid'));
    expect(panelText()).toContain('signature-mismatch');
    expect(verdict()).toContain('does not match this key');
  });

  it('shows a host error with its code', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Encoding' }), 'hex');
    await enterKey(user, 'zz');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    expect(host.callsTo('crypto.verify')[0]!.request.key).toEqual({ type: 'secret', value: 'zz', encoding: 'hex' });
    act(() => host.callsTo('crypto.verify')[0]!.respond({ ok: false, error: { code: 'bad-request', message: 'key.value: not hex' } }));
    await waitFor(() => expect(verdict()).toContain('Could not verify'));
    expect(verdict()).toContain('bad-request');
  });

  it('a rejected call is shown as a failure, not thrown', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await enterKey(user, 's');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() => host.callsTo('crypto.verify')[0]!.fail(new Error('connection refused')));
    await waitFor(() => expect(verdict()).toContain('connection refused'));
  });

  it('sends PEM, JWK and JWKS keys with their type', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Key type' }), 'jwks');
    const keyBox = screen.getByRole('textbox', { name: 'Key' });
    await user.click(keyBox);
    await user.paste('{"keys":[]}');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    expect(host.callsTo('crypto.verify')[0]!.request.key).toEqual({ type: 'jwks', value: '{"keys":[]}' });
  });

  it('drops a response that arrives after a newer request was made', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await enterKey(user, 'old');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    await enterKey(user, '-new');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(2));
    const [first, second] = host.callsTo('crypto.verify');
    expect(first!.request.key).toMatchObject({ value: 'old' });
    expect(second!.request.key).toMatchObject({ value: 'old-new' });

    // The newer answer arrives first, then the older one: the older must not replace it.
    act(() => second!.respond({ ok: true, value: verifyResult({ valid: true }) }));
    await waitFor(() => expect(verdict()).toContain('Signature valid'));
    act(() => first!.respond({ ok: true, value: verifyResult({ valid: false, ok: false, reason: 'signature-mismatch', key: null }) }));
    await new Promise((r) => setTimeout(r, 20));
    expect(verdict()).toContain('Signature valid');
    expect(verdict()).not.toContain('signature-mismatch');
  });

  it('a verdict never outlives the token it was about', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await enterKey(user, 'k');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() => host.callsTo('crypto.verify')[0]!.respond({ ok: true, value: verifyResult({ valid: true }) }));
    await waitFor(() => expect(verdict()).toContain('Signature valid'));

    // Break the token: the verdict goes at once, and no request is made for a token that does not decode.
    const box = screen.getByRole('textbox', { name: 'Encoded token' });
    await user.type(box, '!');
    expect(verdict()).toContain('does not decode');
    expect(verdict()).not.toContain('Signature valid');
    await new Promise((r) => setTimeout(r, 30));
    expect(host.callsTo('crypto.verify')).toHaveLength(1);
  });

  it('entering a key never changes the pasted token', async () => {
    const { user, host } = renderApp();
    await pasteToken(user);
    await enterKey(user, 'secret');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    act(() => host.callsTo('crypto.verify')[0]!.respond({ ok: true, value: verifyResult({ valid: true }) }));
    await waitFor(() => expect(verdict()).toContain('Signature valid'));
    expect((screen.getByRole('textbox', { name: 'Encoded token' }) as HTMLTextAreaElement).value).toBe(TOKEN);
  });

  it('feeds the secret length to the hmac-secret-short lint rule', async () => {
    const { user } = renderApp();
    await pasteToken(user);
    const warnings = () => within(screen.getByRole('region', { name: 'Claim warnings' })).queryAllByRole('listitem');
    expect(warnings().some((li) => li.textContent!.includes('hmac-secret-short'))).toBe(false);
    await enterKey(user, 'short');
    expect(warnings().some((li) => li.textContent!.includes('hmac-secret-short'))).toBe(true);
  });
});

describe('keyboard', () => {
  it('reaches the paste box and the key fields with Tab', async () => {
    const host = createFakeHost();
    const { user } = renderApp({ host });
    // Past the app's view tabs (if any) to the debugger's first control, the Examples menu.
    const examples = screen.getByRole('combobox', { name: 'Examples' });
    for (let i = 0; i < 10 && document.activeElement !== examples; i++) await user.tab();
    expect(document.activeElement).toBe(examples);
    // History is disabled while empty (Attacks and Probe without a token), so Tab goes on to Build a DPoP proof…
    // and Encrypt… (neither needs a token), the keep-on-this-computer toggle, then the Encoded pane.
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Build a DPoP proof…' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Encrypt…' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('checkbox', { name: 'Keep history on this computer' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Key type' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Secret' }));
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Encoding' }));
  });
});
