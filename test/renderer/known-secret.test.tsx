// The known-secret check in the debugger: an HS token is sent to the host's `secrets.check` (never scanned
// in the page); a found secret becomes the hmac-secret-known finding with "Use this secret", which makes
// it the Verification key; not found and cancelled leave no finding.
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NOW, makeToken, renderApp } from './harness';

const HS_TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });
const RS_TOKEN = makeToken({ alg: 'RS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });

function warnings(): HTMLElement {
  return screen.getByRole('region', { name: 'Claim warnings' });
}

async function pasteToken(user: ReturnType<typeof renderApp>['user'], token: string) {
  const input = screen.getByRole('textbox', { name: 'Encoded token' });
  await user.clear(input);
  await user.click(input);
  await user.paste(token);
}

describe('known-secret check', () => {
  it('found: the finding shows the secret, and "Use this secret" makes it the key that verifies', async () => {
    const { user, host, store } = renderApp();
    await pasteToken(user, HS_TOKEN);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(1));
    expect(host.callsTo('secrets.check')[0]!.request).toEqual({ token: HS_TOKEN });
    expect(within(warnings()).getByRole('status').textContent).toContain('Checking the known secrets…');
    expect(within(warnings()).queryByText(/hmac-secret-known/)).toBeNull();

    act(() =>
      host.callsTo('secrets.check')[0]!.respond({
        ok: true,
        value: { found: true, secret: 'your-256-bit-secret', alg: 'HS256', tried: 31, seconds: 0.01, source: 'builtin' },
      }),
    );
    const finding = await within(warnings()).findByRole('button', { name: /hmac-secret-known/ });
    expect(finding.textContent).toContain('publicly known');
    expect(finding.textContent).not.toContain('your-256-bit-secret'); // the secret is beside the message, not in it
    expect(within(warnings()).getByText('your-256-bit-secret')).toBeTruthy();
    expect(within(warnings()).queryByRole('status')).toBeNull();

    const verifiesBefore = host.callsTo('crypto.verify').length;
    await user.click(within(warnings()).getByRole('button', { name: 'Use this secret' }));
    expect(store.getState()).toMatchObject({ keySource: 'secret', keyText: 'your-256-bit-secret', secretEncoding: 'utf8' });
    expect((screen.getByRole('textbox', { name: 'Secret' }) as HTMLTextAreaElement).value).toBe('your-256-bit-secret');
    await waitFor(() => expect(host.callsTo('crypto.verify').length).toBeGreaterThan(verifiesBefore));
    expect(host.callsTo('crypto.verify').at(-1)!.request).toMatchObject({
      token: HS_TOKEN,
      key: { type: 'secret', value: 'your-256-bit-secret', encoding: 'utf8' },
    });
    // Still the same token: it is not checked again.
    expect(host.callsTo('secrets.check')).toHaveLength(1);
  });

  it('not found: no finding, no status line; the count of the list is remembered for the next check', async () => {
    const { user, host } = renderApp();
    await pasteToken(user, HS_TOKEN);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(1));
    act(() =>
      host.callsTo('secrets.check')[0]!.respond({
        ok: true,
        value: { found: false, secret: null, alg: 'HS256', tried: 103_979, seconds: 0.2, source: null },
      }),
    );
    await waitFor(() => expect(within(warnings()).queryByRole('status')).toBeNull());
    expect(within(warnings()).queryByText(/hmac-secret-known/)).toBeNull();
    expect(within(warnings()).queryByRole('button', { name: 'Use this secret' })).toBeNull();

    const other = makeToken({ alg: 'HS512' }, { sub: 'u2' });
    await pasteToken(user, other);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(2));
    expect(host.callsTo('secrets.check')[1]!.request).toEqual({ token: other });
    expect(within(warnings()).getByRole('status').textContent).toContain('Checking 103,979 known secrets…');
  });

  it('cancel: asks the host to stop, the status goes away, and a late answer adds no finding', async () => {
    const { user, host } = renderApp();
    await pasteToken(user, HS_TOKEN);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(1));
    await user.click(within(warnings()).getByRole('button', { name: 'Cancel' }));
    expect(host.callsTo('secrets.cancel')).toHaveLength(1);
    expect(within(warnings()).queryByRole('status')).toBeNull();

    act(() => host.callsTo('secrets.cancel')[0]!.respond({ ok: true, value: { cancelled: true } }));
    act(() =>
      host.callsTo('secrets.check')[0]!.respond({
        ok: true,
        value: { found: true, secret: 'secret', alg: 'HS256', tried: 2, seconds: 0, source: 'builtin' },
      }),
    );
    await act(async () => {});
    expect(within(warnings()).queryByText(/hmac-secret-known/)).toBeNull();
    expect(within(warnings()).queryByRole('status')).toBeNull();
  });

  it('a newer token drops the older answer; a non-HMAC token is never sent', async () => {
    const { user, host } = renderApp();
    await pasteToken(user, HS_TOKEN);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(1));
    await pasteToken(user, RS_TOKEN);
    // The scan of the token that left the screen is stopped, and no status line stays.
    await waitFor(() => expect(host.callsTo('secrets.cancel').length).toBeGreaterThan(0));
    expect(within(warnings()).queryByRole('status')).toBeNull();
    act(() =>
      host.callsTo('secrets.check')[0]!.respond({
        ok: true,
        value: { found: true, secret: 'secret', alg: 'HS256', tried: 2, seconds: 0, source: 'builtin' },
      }),
    );
    await act(async () => {});
    expect(within(warnings()).queryByText(/hmac-secret-known/)).toBeNull();
    expect(host.callsTo('secrets.check')).toHaveLength(1);
  });

  it('tokens that change within the quiet period send nothing: neither a check nor a cancel per keystroke', async () => {
    // A long quiet period: every change below lands while the check is still only scheduled.
    const { host, store } = renderApp({ verifyDelayMs: 60_000 });
    const tokens = ['u1', 'u2', 'u3', 'u4'].map((sub) => makeToken({ alg: 'HS256' }, { sub }));
    for (const token of tokens) act(() => store.getState().setInput(token));
    expect(store.getState().secretCheck).toMatchObject({ status: 'checking', token: tokens.at(-1) });
    await act(async () => {});
    expect(host.callsTo('secrets.check')).toHaveLength(0);
    expect(host.callsTo('secrets.cancel')).toHaveLength(0);
  });

  it('a scan that cannot run says so; a token the host refuses (wrong signature length) adds no line', async () => {
    const { user, host } = renderApp();
    await pasteToken(user, HS_TOKEN);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(1));
    act(() =>
      host.callsTo('secrets.check')[0]!.respond({
        ok: false,
        error: { code: 'signature-length', message: 'The signature is 9 bytes; HS256 signatures are 32 bytes, so no secret can produce it' },
      }),
    );
    await waitFor(() => expect(within(warnings()).queryByRole('status')).toBeNull());

    const other = makeToken({ alg: 'HS384' }, { sub: 'u3' });
    await pasteToken(user, other);
    await waitFor(() => expect(host.callsTo('secrets.check')).toHaveLength(2));
    act(() =>
      host.callsTo('secrets.check')[1]!.respond({
        ok: false,
        error: { code: 'scan-unavailable', message: 'The built-in list of known secrets is missing from this installation' },
      }),
    );
    await waitFor(() => expect(within(warnings()).getByRole('status').textContent).toContain('Known-secret check unavailable: The built-in list'));
    expect(within(warnings()).queryByText(/hmac-secret-known/)).toBeNull();
  });
});
