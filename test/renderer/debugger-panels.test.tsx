import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { copyTexts } from '../../renderer/src/panels/CopyButtons';
import { LAYOUT_STORAGE_PREFIX } from '../../renderer/src/panels/SplitPane';
import { fromLocalInput, toLocalInput } from '../../renderer/src/panels/TimeControls';
import { NOW, makeToken, paneText, renderApp } from './harness';

const HEADER = { alg: 'HS256', typ: 'JWT' };
const PAYLOAD = { sub: 'u1', iss: 'https://issuer.example', aud: 'api', iat: NOW - 60, exp: NOW + 600 };
const TOKEN = makeToken(HEADER, PAYLOAD);

const region = (name: string) => screen.getByRole('region', { name });
const box = (name: string) => screen.getByRole('textbox', { name }) as HTMLTextAreaElement;

async function paste(user: ReturnType<typeof renderApp>['user'], name: string, text: string) {
  await user.click(box(name));
  await user.clear(box(name));
  await user.paste(text);
}

describe('editing the decoded panes', () => {
  it('marks an edited token as modified, and goes back to the original', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    fireEvent.change(box('Payload'), { target: { value: JSON.stringify({ ...PAYLOAD, sub: 'u2' }, null, 2) } });

    expect(screen.getByText(/Modified — signature no longer valid \(no signing key is entered\)/)).toBeTruthy();
    expect(box('Encoded token').value).not.toBe(TOKEN);
    expect(box('Encoded token').value.split('.')[2]).toBe(TOKEN.split('.')[2]);

    await user.click(screen.getByRole('button', { name: 'Back to the original token' }));
    expect(box('Encoded token').value).toBe(TOKEN);
    expect(screen.queryByText(/^Modified/)).toBeNull();
    expect(JSON.parse(paneText('Payload'))).toEqual(PAYLOAD);
  });

  it('shows an edit that is not JSON as an error in that pane', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    fireEvent.change(box('Header'), { target: { value: '{"alg": }' } });
    expect(within(region('Header')).getByRole('alert').textContent).toMatch(/Header is not valid JSON.*line 1, column 9/);
    expect(box('Header').getAttribute('aria-invalid')).toBe('true');
    expect(box('Encoded token').value).toBe(TOKEN);
  });
});

describe('claim warnings', () => {
  it('puts the cursor on the claim a warning is about', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', makeToken(HEADER, { sub: 'u1', password: 'hunter2', exp: NOW + 60 }));
    const warning = within(region('Claim warnings')).getByRole('button', { name: /sensitive-data/ });
    await user.click(warning);
    const payload = box('Payload');
    expect(document.activeElement).toBe(payload);
    expect(payload.value.slice(payload.selectionStart)).toMatch(/^"password"/);
  });

  it('asks the Payload editor to underline a finding at its member', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', makeToken(HEADER, { sub: 'u1', exp: (NOW + 60) * 1000 }));
    const problems = JSON.parse(box('Payload').getAttribute('data-problems')!) as Array<{ start: number; message: string }>;
    const text = paneText('Payload');
    const ms = problems.find((p) => p.message.includes('milliseconds'));
    expect(ms).toBeDefined();
    expect(text.slice(ms!.start)).toMatch(/^"exp"/);
  });
});

describe('examples, history, copy', () => {
  it('loads an example with its key, verified as pasted', async () => {
    const { user, host } = renderApp();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Examples' }), 'rs256');
    expect(box('Encoded token').value.startsWith('eyJhbGciOiJSUzI1NiIs')).toBe(true);
    expect((screen.getByRole('combobox', { name: 'Key type' }) as HTMLSelectElement).value).toBe('pem');
    await waitFor(() => expect(host.callsTo('crypto.verify')).toHaveLength(1));
    const request = host.callsTo('crypto.verify')[0]!.request;
    expect(request.token).toBe(box('Encoded token').value);
    expect(request.key).toMatchObject({ type: 'pem', value: expect.stringContaining('BEGIN PUBLIC KEY') });
    expect(host.callsTo('crypto.sign')).toHaveLength(0);
  });

  it('lists visited tokens in History and reloads one; Clear empties it', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    const history = screen.getByRole('combobox', { name: 'History' }) as HTMLSelectElement;
    await waitFor(() => expect(history.disabled).toBe(false));
    await paste(user, 'Encoded token', '');
    await user.selectOptions(history, '0');
    expect(box('Encoded token').value).toBe(TOKEN);
    await user.selectOptions(history, 'clear');
    expect(history.disabled).toBe(true);
  });

  it('copies the token, as an Authorization header and as curl', async () => {
    const { user } = renderApp();
    await paste(user, 'Encoded token', TOKEN);
    await user.click(screen.getByRole('button', { name: 'Copy Authorization header' }));
    expect(await navigator.clipboard.readText()).toBe(`Authorization: Bearer ${TOKEN}`);
    expect(within(screen.getByRole('group', { name: 'Copy' })).getByRole('status').textContent).toBe('Copied authorization header');
    await user.click(screen.getByRole('button', { name: 'Copy curl' }));
    expect(await navigator.clipboard.readText()).toBe(`curl -H 'Authorization: Bearer ${TOKEN}' https://api.example.com/`);
  });

  it('quotes a token with a quote safely for the shell', () => {
    expect(copyTexts(`a'b`, '', '').curl).toBe(`curl -H 'Authorization: Bearer a'\\''b' https://api.example.com/`);
  });
});

describe('time controls', () => {
  it('judges at the picked local time, and back at the system clock', async () => {
    const { store, user } = renderApp();
    const input = screen.getByLabelText('Judge at (local time)');
    fireEvent.change(input, { target: { value: toLocalInput(NOW + 3600) } });
    expect(store.getState().nowOverride).toBe(NOW + 3600);
    await user.click(screen.getByRole('button', { name: 'Use the system clock' }));
    expect(store.getState().nowOverride).toBeNull();
    fireEvent.change(screen.getByLabelText('Leeway (s)'), { target: { value: '30' } });
    expect(store.getState().leeway).toBe(30);
  });

  it('reads and writes datetime-local values as local time', () => {
    expect(fromLocalInput(toLocalInput(NOW + 59))).toBe(NOW + 59);
    expect(fromLocalInput('not a date')).toBeNaN();
  });
});

describe('layout', () => {
  it('resizes the columns from the keyboard and remembers the split (layout only)', async () => {
    localStorage.clear();
    const first = renderApp();
    const separator = screen.getByRole('separator', { name: 'Resize the encoded and decoded columns' });
    expect(separator.getAttribute('aria-valuenow')).toBe('42');
    act(() => separator.focus());
    await first.user.keyboard('{ArrowRight}{ArrowRight}');
    expect(separator.getAttribute('aria-valuenow')).toBe('46');
    await paste(first.user, 'Encoded token', TOKEN);
    first.unmount();

    renderApp();
    expect(screen.getByRole('separator', { name: 'Resize the encoded and decoded columns' }).getAttribute('aria-valuenow')).toBe('46');
    const stored = Object.keys(localStorage).map((k) => `${k}=${localStorage.getItem(k)}`);
    expect(stored.every((entry) => entry.startsWith(LAYOUT_STORAGE_PREFIX))).toBe(true);
    expect(stored.join()).not.toContain(TOKEN.slice(0, 20));
  });
});
