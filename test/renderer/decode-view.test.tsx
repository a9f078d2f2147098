import { act, isInaccessible, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { APP_INFO, NOW, createFakeHost, makeToken, paneProblems, paneText, renderApp } from './harness';

const HEADER = { alg: 'HS256', typ: 'JWT' };
const PAYLOAD = { sub: '1234567890', name: 'Ada Lovelace', iss: 'https://issuer.example', aud: 'api', iat: NOW - 60, exp: NOW + 600 };

function region(name: string): HTMLElement {
  return screen.getByRole('region', { name });
}

describe('decoding in the app shell', () => {
  it('shows the decoded header and payload of a pasted token', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(makeToken(HEADER, PAYLOAD));

    const header = paneText('Header');
    expect(JSON.parse(header)).toEqual(HEADER);
    const payload = paneText('Payload');
    expect(JSON.parse(payload)).toEqual(PAYLOAD);
    expect(JSON.parse(paneText('Signature'))).toEqual({ alg: 'HS256', signature: 'c2lnbmF0dXJl', bytes: 9, hex: '7369676e6174757265' });
    // exp is shown against the (fixed) clock.
    expect(within(region('Payload')).getByText(/expires in 10 min/)).toBeTruthy();
  });

  it('shows a JWE as encrypted: its protected header, a read-only note for the payload, its parts labelled as JWE parts', async () => {
    const { user } = renderApp();
    const box = screen.getByRole('textbox', { name: 'Encoded token' }) as HTMLTextAreaElement;
    await user.click(box);
    await user.paste(makeToken(HEADER, PAYLOAD));
    const jwsPayload = paneText('Payload');
    const jweHeader = { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' };
    const jwe = `${btoa(JSON.stringify(jweHeader)).replace(/=+$/, '')}.a2V5.aXYxMjM0NTY3ODkw.${btoa('x'.repeat(40)).replace(/=+$/, '')}.dGFnMTIzNDU2Nzg5MDEyMw`;
    box.setSelectionRange(0, box.value.length);
    await user.paste(jwe);

    expect(JSON.parse(paneText('Header'))).toEqual(jweHeader);
    expect(within(region('Header')).getByText('The JWE’s protected header (read-only).')).toBeTruthy();
    // The Payload pane says what the payload is instead of showing an empty editor.
    const payloadNote = within(region('Payload')).getByLabelText('Payload (encrypted)');
    expect(payloadNote.textContent).toMatch(/^Encrypted \(JWE\) — the payload is the ciphertext; decrypt to inspect\./);
    expect(payloadNote.textContent).toContain('A256GCM (enc)');
    expect(document.querySelector('.editor-payload')!.getAttribute('data-view')).toBe('encrypted');
    // The region keeps its name; its content is the JWE's parts, not a signature.
    const signature = region('Signature');
    expect(within(signature).getByText('Not signed: a JWE is encrypted. Its parts (RFC 7516):')).toBeTruthy();
    const parts = within(signature).getByRole('list', { name: 'JWE parts' });
    expect(within(parts).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Encrypted key a2V5',
      'Initialization vector aXYxMjM0NTY3ODkw',
      'Ciphertext 40 bytes',
      'Authentication tag dGFnMTIzNDU2Nzg5MDEyMw',
    ]);
    expect(screen.getByText(/^Encrypted \(JWE\) · RSA-OAEP-256 · A256GCM · compact serialization$/)).toBeTruthy();

    // Back to a JWS: the payload editor shows its JSON again, and no JWE parts remain.
    box.setSelectionRange(0, box.value.length);
    await user.paste(makeToken(HEADER, PAYLOAD));
    expect(within(region('Payload')).queryByLabelText('Payload (encrypted)')).toBeNull();
    expect(within(region('Signature')).queryByRole('list', { name: 'JWE parts' })).toBeNull();
    expect(paneText('Payload')).toBe(jwsPayload);
    expect(JSON.parse(paneText('Signature'))).toMatchObject({ alg: 'HS256' });
  });

  it('decodes on every keystroke, without a button', async () => {
    const { user } = renderApp();
    const box = screen.getByRole('textbox', { name: 'Encoded token' });
    const token = makeToken(HEADER, PAYLOAD);
    // Everything but the last signature character, pasted; then the last one typed.
    await user.click(box);
    await user.paste(token.slice(0, -1));
    await user.type(box, token.slice(-1));
    expect((box as HTMLTextAreaElement).value).toBe(token);
    expect(JSON.parse(paneText('Payload'))).toEqual(PAYLOAD);
  });

  it('shows a payload that is not UTF-8 as a hex dump over the editor, which keeps its JSON for the way back', async () => {
    const { user } = renderApp();
    const box = screen.getByRole('textbox', { name: 'Encoded token' }) as HTMLTextAreaElement;
    const token = makeToken(HEADER, PAYLOAD);
    await user.click(box);
    await user.paste(token);
    const json = paneText('Payload');
    expect(document.querySelector('.editor-payload[data-view]')).toBeNull();

    // `__8` decodes to ff ff, never UTF-8: the payload now decodes to bytes.
    const [h, p, s] = token.split('.') as [string, string, string];
    // One change, as a keystroke is (clearing first would empty the panes).
    box.setSelectionRange(0, box.value.length);
    await user.paste(`${h}.__8${p.slice(3)}.${s}`);
    const dump = within(region('Payload')).getByLabelText('Payload bytes (hex)');
    expect(dump.textContent).toMatch(/^00000000  ff ff /);
    expect(within(region('Payload')).getByText(/Not UTF-8 text: [\d,]+ bytes, shown as hex/)).toBeTruthy();
    expect(document.querySelector('.editor-payload')!.getAttribute('data-view')).toBe('bytes');
    // The covered editor was left as it was: the same JSON, still JSON.
    expect(paneText('Payload')).toBe(json);
    expect(within(region('Payload')).getByRole('textbox', { name: 'Payload' }).getAttribute('data-language')).toBe('json');

    // A preview of 1 KB (64 lines); every byte on request.
    const big = `${h}.${'_'.repeat(8 * 1024)}.${s}`; // 6 KB of ff bytes
    box.setSelectionRange(0, box.value.length);
    await user.paste(big);
    const preview = within(region('Payload')).getByLabelText('Payload bytes (hex)').textContent!;
    expect(preview.split('\n')).toHaveLength(65);
    expect(preview).toMatch(/… 5120 more bytes$/);
    await user.click(within(region('Payload')).getByRole('button', { name: 'Show all' }));
    const all = within(region('Payload')).getByLabelText('Payload bytes (hex)').textContent!;
    expect(all.split('\n')).toHaveLength(384);
    expect(all.split('\n').at(-1)).toMatch(/^000017f0  ff ff/);
    expect(within(region('Payload')).queryByRole('button', { name: 'Show all' })).toBeNull();

    box.focus();
    box.setSelectionRange(0, box.value.length);
    await user.paste(token);
    // The hex view leaves the accessibility tree (kept in the page, hidden, for the next broken keystroke).
    const kept = within(region('Payload')).getByLabelText('Payload bytes (hex)');
    expect(isInaccessible(kept)).toBe(true);
    expect(within(region('Payload')).queryByRole('button', { name: 'Show all' })).toBeNull();
    expect(paneText('Payload')).toBe(json);
  });

  it('accepts what people paste: Bearer prefix, quotes, surrounding whitespace', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(`  Bearer ${makeToken(HEADER, PAYLOAD)}\n`);
    expect(JSON.parse(paneText('Header'))).toEqual(HEADER);
  });

  it('names the error code, segment and offset of a broken token and keeps the last good decode', async () => {
    const { user } = renderApp();
    const box = screen.getByRole('textbox', { name: 'Encoded token' }) as HTMLTextAreaElement;
    const token = makeToken(HEADER, PAYLOAD);
    await user.click(box);
    await user.paste(token);

    // A character outside the base64url alphabet, in the middle of the payload.
    const at = token.indexOf('.') + 5;
    box.setSelectionRange(at, at);
    await user.keyboard('*');
    expect(box.value).toBe(`${token.slice(0, at)}*${token.slice(at)}`);

    const status = document.getElementById('decode-status')!;
    expect(status.textContent).toContain('base64url-invalid-char');
    expect(status.textContent).toContain('segment payload');
    expect(status.textContent).toContain(`offset ${at}`);
    expect(status.querySelector('mark')!.textContent).toBe('*');
    expect(box.getAttribute('aria-invalid')).toBe('true');
    // The editor is asked to underline exactly the offending character.
    expect(paneProblems('Encoded token')).toEqual([expect.objectContaining({ start: at, end: at + 1, severity: 'error' })]);

    // The panes still show the token that last decoded, marked as such.
    expect(JSON.parse(paneText('Header'))).toEqual(HEADER);
    expect(JSON.parse(paneText('Payload'))).toEqual(PAYLOAD);
    expect(within(region('Header')).getByText('last valid decode')).toBeTruthy();

    // Fixing the input clears the error and the marker.
    await user.keyboard('{Backspace}');
    expect(box.value).toBe(token);
    expect(status.textContent).not.toContain('base64url-invalid-char');
    expect(within(region('Header')).queryByText('last valid decode')).toBeNull();
    expect(box.getAttribute('aria-invalid')).toBe('false');
  });

  it('reports JSON syntax errors with line and column', async () => {
    const { user } = renderApp();
    const broken = `${btoa('{"alg":"HS256",}').replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.${makeToken({}, PAYLOAD).split('.')[1]}.c2ln`;
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(broken);
    const status = document.getElementById('decode-status')!.textContent!;
    expect(status).toContain('json-syntax');
    expect(status).toContain('segment header');
    expect(status).toMatch(/line 1, column \d+/);
    // Nothing decoded before, so there is nothing to keep.
    expect(paneText('Header')).toBe('');
    expect(within(region('Header')).getByPlaceholderText('No token yet.')).toBeTruthy();
  });

  it('clears everything when the input is emptied', async () => {
    const { user } = renderApp();
    const box = screen.getByRole('textbox', { name: 'Encoded token' });
    await user.click(box);
    await user.paste(makeToken(HEADER, PAYLOAD));
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(paneText('Header')).toBe('');
    expect(within(region('Header')).getByPlaceholderText('No token yet.')).toBeTruthy();
    expect(within(region('Claim warnings')).getByText(/Paste a token/)).toBeTruthy();
  });

  it('shows a payload that is not JSON as text', async () => {
    const { user } = renderApp();
    const token = makeToken(HEADER, {}).split('.');
    token[1] = btoa('plain text payload').replace(/=+$/, '');
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(token.join('.'));
    expect(paneText('Payload')).toBe('plain text payload');
    expect(within(region('Payload')).getByText(/Not JSON/)).toBeTruthy();
  });
});

describe('claim warnings', () => {
  it('lists the lint findings of the token with rule id, path and RFC', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    // No exp, no iss, no aud, a password in the claims: several rules fire.
    await user.paste(makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', password: 'hunter2' }));

    const list = within(region('Claim warnings')).getByRole('list');
    const items = within(list).getAllByRole('listitem');
    const text = items.map((li) => li.textContent);
    expect(text.some((t) => t!.includes('exp-missing') && t!.includes('payload.exp'))).toBe(true);
    expect(text.some((t) => t!.includes('sensitive-data'))).toBe(true);
    expect(text.every((t) => /RFC \d+/.test(t!))).toBe(true);
  });

  it('flags alg none as an error, listed before warnings', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(`${makeToken({ alg: 'none' }, { sub: 'u1' }).split('.').slice(0, 2).join('.')}.`);
    const items = within(region('Claim warnings')).getAllByRole('listitem');
    expect(items[0]!.textContent).toContain('alg-none');
    expect(items[0]!.textContent).toContain('Error');
  });

  it('judges time claims at the clock the settings choose', async () => {
    const { user, store } = renderApp();
    await user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await user.paste(makeToken(HEADER, { ...PAYLOAD, exp: NOW + 600 }));
    const rules = () => within(region('Claim warnings')).queryAllByRole('listitem').map((li) => li.textContent!);
    expect(rules().some((t) => t.includes('exp-passed'))).toBe(false);

    act(() => store.getState().setNowOverride(NOW + 3600));
    expect((await within(region('Claim warnings')).findAllByRole('listitem')).some((li) => li.textContent!.includes('exp-passed'))).toBe(true);
    expect(within(region('Payload')).getByText(/expired 50 min ago/)).toBeTruthy();
  });
});

describe('footer', () => {
  it("shows the host's version and transport", async () => {
    renderApp();
    const footer = await screen.findByRole('contentinfo');
    await within(footer).findByText(APP_INFO.version);
    expect(footer.textContent).toContain('served from 127.0.0.1');
  });

  it('says when the host cannot be reached', async () => {
    const host = createFakeHost({ manualAppInfo: true });
    renderApp({ host });
    const footer = screen.getByRole('contentinfo');
    expect(footer.textContent).toContain('Connecting');
    act(() => host.callsTo('app.info')[0]!.respond({ ok: false, error: { code: 'unauthorized', message: 'Wrong secret' } }));
    await within(footer).findByText(/Host unavailable/);
    expect(footer.textContent).toContain('unauthorized');
  });
});
