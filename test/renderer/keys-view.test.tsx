// The Keys view against a fake host: what it sends for each user action, what it shows for each answer
// (busy states, specific errors), and that nothing private is ever asked of the host.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createWorkbenchStore } from '../../renderer/src/store';
import { WorkbenchProvider } from '../../renderer/src/store/context';
import { keysFittingAlg } from '../../renderer/src/store/keys-slice';
import { KeysView } from '../../renderer/src/views/KeysView';
import type { KeysStatus, StoredKeyInfo } from '../../shared/contract/keys';
import type { MethodName } from '../../shared/contract';
import { createFakeHost, type FakeHost, type HostCall } from './harness';

const UNLOCKED: KeysStatus = { state: 'unlocked', protection: 'passphrase', setupChoices: ['passphrase', 'unencrypted-test-store'], privateExport: ['file'], keyCount: 1, notice: null };

const ES_KEY: StoredKeyInfo = {
  id: '6f1c1f7e-0000-4000-8000-000000000001',
  kid: 'es-thumb',
  label: 'Signing key',
  createdAt: '2024-01-01T00:00:00.000Z',
  kty: 'EC',
  curve: 'P-256',
  size: 256,
  description: 'EC P-256',
  alg: 'ES256',
  algorithms: ['ES256'],
  thumbprint: 'es-thumb',
  hasPrivate: true,
  publicJwk: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ', kid: 'es-thumb', alg: 'ES256', use: 'sig' },
};

function setup() {
  const host = createFakeHost();
  const store = createWorkbenchStore({ host });
  const user = userEvent.setup();
  render(
    <WorkbenchProvider store={store}>
      <KeysView />
    </WorkbenchProvider>,
  );
  return { host, store, user };
}

/** The n-th call to `method` once it has been made (0-based). */
async function nthCall<M extends MethodName>(host: FakeHost, method: M, n = 0): Promise<HostCall<M>> {
  await waitFor(() => expect(host.callsTo(method).length).toBeGreaterThan(n));
  return host.callsTo(method)[n]!;
}

async function openWith(host: FakeHost, keys: StoredKeyInfo[]): Promise<void> {
  (await nthCall(host, 'keys.status')).respond({ ok: true, value: { ...UNLOCKED, keyCount: keys.length } });
  (await nthCall(host, 'keys.list')).respond({ ok: true, value: keys });
  await screen.findByRole('heading', { name: 'Stored keys' });
}

describe('Keys view: setting up and unlocking', () => {
  it('sets up a passphrase store only with a long enough, repeated passphrase', async () => {
    const { host, user } = setup();
    (await nthCall(host, 'keys.status')).respond({ ok: true, value: { ...UNLOCKED, state: 'needs-setup', protection: null, keyCount: null } });
    const create = await screen.findByRole('button', { name: 'Create the key store' });
    expect((screen.getByRole('radio', { name: 'Protect with a passphrase' }) as HTMLInputElement).checked).toBe(true);
    await user.type(screen.getByLabelText('New passphrase'), 'short');
    expect((create as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('The passphrase must be at least 8 characters long.')).toBeTruthy();
    await user.type(screen.getByLabelText('New passphrase'), ' but now long');
    await user.type(screen.getByLabelText('Repeat the passphrase'), 'short but now lon');
    expect(screen.getByText('The two passphrases differ.')).toBeTruthy();
    await user.type(screen.getByLabelText('Repeat the passphrase'), 'g');
    await user.click(create);
    const call = await nthCall(host, 'keys.setup');
    expect(call.request).toEqual({ protection: 'passphrase', passphrase: 'short but now long' });
    call.respond({ ok: true, value: { ...UNLOCKED, keyCount: 0 } });
    (await nthCall(host, 'keys.list')).respond({ ok: true, value: [] });
    expect(await screen.findByText('No keys yet: generate one or import one above.')).toBeTruthy();
  });

  it('the unencrypted test store needs its own explicit confirmation', async () => {
    const { host, user } = setup();
    (await nthCall(host, 'keys.status')).respond({ ok: true, value: { ...UNLOCKED, state: 'needs-setup', protection: null } });
    await user.click(await screen.findByRole('radio', { name: /Unencrypted test store/ }));
    expect((screen.getByRole('button', { name: 'Create the key store' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'I understand: test keys only' }));
    await user.click(screen.getByRole('button', { name: 'Create the key store' }));
    expect((await nthCall(host, 'keys.setup')).request).toEqual({ protection: 'unencrypted-test-store' });
  });

  it('a wrong passphrase shows the host’s specific error, and the form stays', async () => {
    const { host, user } = setup();
    (await nthCall(host, 'keys.status')).respond({ ok: true, value: { ...UNLOCKED, state: 'locked' } });
    await user.type(await screen.findByLabelText('Passphrase'), 'not it at all');
    await user.click(screen.getByRole('button', { name: 'Unlock' }));
    const call = await nthCall(host, 'keys.unlock');
    expect(call.request).toEqual({ passphrase: 'not it at all' });
    call.respond({ ok: false, error: { code: 'wrong-passphrase', message: 'the passphrase does not open this key store' } });
    const alert = await screen.findByRole('alert');
    expect((alert).textContent).toContain('Unlocking failed: the passphrase does not open this key store (wrong-passphrase)');
    expect(((screen.getByLabelText('Passphrase')) as HTMLInputElement).value).toBe('not it at all');
  });

  it('a forgotten passphrase can start a new store, after a confirmation', async () => {
    const { host, user } = setup();
    (await nthCall(host, 'keys.status')).respond({ ok: true, value: { ...UNLOCKED, state: 'locked' } });
    await user.click(await screen.findByRole('button', { name: 'Forgot the passphrase?' }));
    await user.click(screen.getByRole('button', { name: 'Move it aside and start over' }));
    const call = await nthCall(host, 'keys.reset');
    expect(call.request).toEqual({ confirmed: true });
    call.respond({ ok: true, value: { ...UNLOCKED, state: 'needs-setup', protection: null, keyCount: null, notice: 'The previous key store was moved to /d/keys.json.corrupt-1; set up a new one.' } });
    expect((await screen.findByRole('note')).textContent).toContain('moved to /d/keys.json.corrupt-1');
    expect(screen.getByRole('button', { name: 'Create the key store' })).toBeTruthy();
  });
});

describe('Keys view: generating and importing', () => {
  it('generating RSA 4096 shows a busy state while the rest of the view stays usable', async () => {
    const { host, user } = setup();
    await openWith(host, []);
    await user.selectOptions(screen.getByLabelText('Algorithm'), 'PS256');
    await user.selectOptions(screen.getByLabelText('Key size'), '4096 bits');
    await user.type(screen.getByLabelText('Key ID (kid)'), 'big-one');
    await user.click(screen.getByRole('button', { name: 'Generate' }));
    const call = await nthCall(host, 'keys.generate');
    expect(call.request).toEqual({ alg: 'PS256', bits: 4096, kid: 'big-one' });
    expect((screen.getByRole('button', { name: 'Generating…' }) as HTMLButtonElement).disabled).toBe(true);
    const form = screen.getByRole('form', { name: 'Generate a key' });
    expect((within(form).getByRole('status')).textContent).toContain('Generating PS256 key (RSA 4096)…');
    // The host works; the page does not wait: other inputs still take typing.
    await user.type(screen.getByLabelText('Key text'), 'typing while it works');
    expect(((screen.getByLabelText('Key text')) as HTMLInputElement).value).toBe('typing while it works');

    call.respond({ ok: true, value: { ...ES_KEY, id: 'rsa', kid: 'big-one', label: 'RSA 4096 (PS256)', kty: 'RSA', curve: null, size: 4096, description: 'RSA 4096', alg: 'PS256', algorithms: ['PS256'], thumbprint: 'rsa-thumb', publicJwk: { kty: 'RSA', n: 'AQ', e: 'AQAB' } } });
    await waitFor(() => expect(within(form).getByRole('status').textContent).toContain('Generated RSA 4096 key big-one.'));
    const item = screen.getByRole('listitem', { name: 'RSA 4096 (PS256)' });
    expect((item).textContent).toContain('RSA 4096');
    expect((item).textContent).toContain('PS256');
    expect((item).textContent).toContain('rsa-thumb');
  });

  it('a bad paste is refused with the host’s reason; nothing is added', async () => {
    const { host, user } = setup();
    await openWith(host, []);
    const csr = '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----';
    fireEvent.change(screen.getByLabelText('Key text'), { target: { value: csr } });
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const call = await nthCall(host, 'keys.import');
    expect(call.request).toEqual({ input: { type: 'auto', value: csr } });
    call.respond({ ok: false, error: { code: 'import-invalid', message: 'PEM block type CERTIFICATE REQUEST is not a key' } });
    expect((await screen.findByRole('alert')).textContent).toContain('Nothing was imported: PEM block type CERTIFICATE REQUEST is not a key (import-invalid)');
    expect(((screen.getByLabelText('Key text')) as HTMLInputElement).value).toBe(csr);
    expect(host.callsTo('keys.list')).toHaveLength(1);
  });

  it('a dropped file fills the text; a secret is sent with its encoding; binary files are refused', async () => {
    const { host, user } = setup();
    await openWith(host, []);
    const zone = screen.getByTestId('keys-drop-zone');
    fireEvent.drop(zone, { dataTransfer: { files: [new File([new Uint8Array([0x30, 0x82, 0xff, 0xfe])], 'key.der')] } });
    expect((await screen.findByRole('alert')).textContent).toContain('key.der is not text (DER or another binary form?)');
    fireEvent.drop(zone, { dataTransfer: { files: [new File(['736563726574'], 'secret.hex')] } });
    await waitFor(() => expect(((screen.getByLabelText('Key text')) as HTMLInputElement).value).toBe('736563726574'));
    expect(screen.queryByRole('alert')).toBeNull();
    await user.selectOptions(screen.getByLabelText('Format'), 'secret');
    await user.selectOptions(screen.getByLabelText('Secret encoding'), 'hex');
    await user.type(screen.getByLabelText('Label for the imported keys'), 'shared');
    await user.click(screen.getByRole('button', { name: 'Import' }));
    const call = await nthCall(host, 'keys.import');
    expect(call.request).toEqual({ input: { type: 'secret', value: '736563726574', encoding: 'hex' }, label: 'shared' });
    call.respond({ ok: true, value: { imported: [{ ...ES_KEY, id: 'hs', label: 'shared' }], existing: [] } });
    (await nthCall(host, 'keys.list', 1)).respond({ ok: true, value: [{ ...ES_KEY, id: 'hs', label: 'shared' }] });
    expect(await screen.findByText('Imported 1 key.')).toBeTruthy();
    expect(await screen.findByRole('listitem', { name: 'shared' })).toBeTruthy();
  });
});

describe('Keys view: the list and exports', () => {
  it('edits kid and label', async () => {
    const { host, user } = setup();
    await openWith(host, [ES_KEY]);
    await user.click(screen.getByRole('button', { name: 'Edit label and kid of Signing key' }));
    const kid = screen.getByLabelText('kid');
    await user.clear(kid);
    await user.type(kid, 'prod-2024');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const call = await nthCall(host, 'keys.update');
    expect(call.request).toEqual({ id: ES_KEY.id, kid: 'prod-2024' });
    call.respond({ ok: true, value: { ...ES_KEY, kid: 'prod-2024' } });
    await waitFor(() => expect((screen.getByRole('listitem', { name: 'Signing key' })).textContent).toContain('prod-2024'));
  });

  it('exports a JWKS of the selected keys, offered for copy and download', async () => {
    const { host, user } = setup();
    await openWith(host, [ES_KEY, { ...ES_KEY, id: 'two', label: 'Other', kid: 'other' }]);
    expect((screen.getByRole('button', { name: 'Export JWKS of selected (0)' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('checkbox', { name: 'Select Other for the JWKS' }));
    await user.click(screen.getByRole('button', { name: 'Export JWKS of selected (1)' }));
    const call = await nthCall(host, 'keys.exportPublic');
    expect(call.request).toEqual({ ids: ['two'], format: 'jwks' });
    const text = '{\n  "keys": []\n}\n';
    call.respond({ ok: true, value: { format: 'jwks', text, fileName: 'jwks.json', mediaType: 'application/jwk-set+json' } });
    expect(((await screen.findByRole('textbox', { name: 'Exported JWKS' })) as HTMLInputElement).value).toBe(text);
    expect(screen.getByRole('button', { name: 'Download jwks.json' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeTruthy();
  });

  it('exports a private key only after the warning is acknowledged, and learns only where it went', async () => {
    const { host, user } = setup();
    await openWith(host, [ES_KEY]);
    await user.click(screen.getByRole('button', { name: 'Export private key of Signing key…' }));
    const dialog = screen.getByRole('dialog', { name: 'Export the private key of Signing key' });
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)!.textContent).toMatch(/Anyone with this private key can sign tokens/);
    const exportButton = within(dialog).getByRole('button', { name: 'Export private key' });
    expect((exportButton as HTMLButtonElement).disabled).toBe(true);
    await user.click(within(dialog).getByRole('checkbox', { name: 'I understand the risk' }));
    await user.click(exportButton);
    const call = await nthCall(host, 'keys.exportPrivate');
    expect(call.request).toEqual({ id: ES_KEY.id, format: 'pem', destination: 'file', confirmed: true });
    call.respond({ ok: true, value: { status: 'saved', path: '/data/exports/es.private.pem' } });
    // The status line is there (empty) from the start: wait for the answer to show in it.
    await waitFor(() => expect(within(dialog).getByRole('status').textContent).toContain('Saved to /data/exports/es.private.pem'));
  });

  it('shows an export under the button that made it: a key’s under that key, a JWKS under the JWKS buttons', async () => {
    const { host, user } = setup();
    await openWith(host, [ES_KEY, { ...ES_KEY, id: 'two', label: 'Other', kid: 'other' }]);
    await user.click(screen.getByRole('button', { name: 'Export public JWK of Other' }));
    (await nthCall(host, 'keys.exportPublic')).respond({
      ok: true,
      value: { format: 'jwk', text: '{"kty":"EC"}', fileName: 'other.public.jwk', mediaType: 'application/jwk+json' },
    });
    const jwk = await screen.findByRole('textbox', { name: 'Exported Public JWK' });
    expect(screen.getByRole('listitem', { name: 'Other' }).contains(jwk)).toBe(true);
    expect(screen.getByRole('listitem', { name: 'Signing key' }).contains(jwk)).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Export JWKS of all public keys' }));
    (await nthCall(host, 'keys.exportPublic', 1)).respond({
      ok: true,
      value: { format: 'jwks', text: '{"keys":[]}', fileName: 'jwks.json', mediaType: 'application/jwk-set+json' },
    });
    const jwks = await screen.findByRole('textbox', { name: 'Exported JWKS' });
    // One export at a time, and the JWKS sits between its buttons and the first key, not after the list.
    expect(screen.queryByRole('textbox', { name: 'Exported Public JWK' })).toBeNull();
    const exportAll = screen.getByRole('button', { name: 'Export JWKS of all public keys' });
    const firstKey = screen.getByRole('listitem', { name: 'Signing key' });
    expect(exportAll.compareDocumentPosition(jwks) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(jwks.compareDocumentPosition(firstKey) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('the private-export dialog is a <dialog>: Escape (its cancel event) or Cancel closes it, and focus goes back to its button', async () => {
    const { host, user } = setup();
    await openWith(host, [ES_KEY]);
    const opener = screen.getByRole('button', { name: 'Export private key of Signing key…' });
    await user.click(opener);
    const dialog = screen.getByRole('dialog', { name: 'Export the private key of Signing key' });
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    expect(document.activeElement).toBe(within(dialog).getByRole('radio', { name: 'PEM (PKCS#8)' }));
    // What the browser sends on Escape to a modal dialog (jsdom has no showModal to do it).
    const cancel = new Event('cancel', { cancelable: true });
    fireEvent(dialog, cancel);
    expect(cancel.defaultPrevented).toBe(true);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);

    await user.click(opener);
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(opener);
  });

  it('keysFittingAlg offers keys by the token’s alg, signing keys only with a private part', () => {
    const pub = { ...ES_KEY, id: 'pub', hasPrivate: false };
    const rsa = { ...ES_KEY, id: 'rsa', algorithms: ['RS256', 'PS256'] };
    expect(keysFittingAlg([ES_KEY, pub, rsa], 'ES256', 'verify').map((k) => k.id)).toEqual([ES_KEY.id, 'pub']);
    expect(keysFittingAlg([ES_KEY, pub, rsa], 'ES256', 'sign').map((k) => k.id)).toEqual([ES_KEY.id]);
    expect(keysFittingAlg([ES_KEY, pub, rsa], 'PS256', 'sign').map((k) => k.id)).toEqual(['rsa']);
  });
});
