/**
 * JWE in a real browser through the real web host: a JWE made here (jose in node) is pasted, decrypted in
 * the Decrypt panel with its private key, and its plaintext shown; a nested JWE opens its inner JWS in the
 * debugger, which verifies it, with the way back to the JWE; Encrypt… makes a JWE the panel decrypts again.
 */
import { generateKeyPairSync } from 'node:crypto';
import { CompactEncrypt, SignJWT, importSPKI } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appPagePerTest, openApp as openAppIn } from './app-page';
import { editorText, replaceText, waitForText } from './editor';
import type { RunningWebHost } from './web-host';

const SECRET = 'e2e-jwe-inner-secret-that-is-long-enough-for-HS256';

let web: RunningWebHost;
let page: Page;

appPagePerTest({}, (app) => ({ web, page } = app));

const openApp = () => openAppIn(page, web);

function rsaPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

async function encryptTo(publicPem: string, plaintext: string, cty?: string): Promise<string> {
  const key = await importSPKI(publicPem, 'RSA-OAEP-256');
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...(cty && { cty }) }).encrypt(key);
}

const decryptPanel = () => page.getByRole('region', { name: 'Decrypt' });
const verdict = () => page.getByRole('region', { name: 'Verification' }).getByRole('status', { name: 'Verdict' }).locator('strong');

async function decryptWithPem(privatePem: string): Promise<void> {
  await decryptPanel().getByRole('textbox', { name: 'Decryption key' }).fill(privatePem);
  await decryptPanel().getByRole('button', { name: 'Decrypt' }).click();
}

describe('decrypt a JWE in the debugger', () => {
  it('decrypts a pasted JWE with its private key and shows the plaintext', { timeout: 60_000 }, async () => {
    await openApp();
    const { publicPem, privatePem } = rsaPair();
    const claims = { sub: 'e2e-user', scope: 'read write' };
    const jwe = await encryptTo(publicPem, JSON.stringify(claims));
    await replaceText(page, 'Encoded token', jwe);
    await verdict().getByText('Encrypted token (JWE) — decrypt to inspect').waitFor();
    await decryptPanel().getByText('RSA-OAEP-256', { exact: true }).waitFor();

    // A wrong key first: the one generic reason.
    await decryptWithPem(rsaPair().privatePem);
    await decryptPanel().getByRole('alert').getByText(/not decryptable with this key/).waitFor();

    await decryptWithPem(privatePem);
    const plaintext = decryptPanel().getByLabel('Plaintext');
    await plaintext.waitFor();
    expect(JSON.parse((await plaintext.textContent()) ?? '')).toEqual(claims);
    expect(JSON.parse((await decryptPanel().getByLabel('Decrypted header').textContent()) ?? '')).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM' });
    expect(await decryptPanel().getByRole('button', { name: 'Open inner token' }).count()).toBe(0);
  });

  it('opens the inner token of a nested JWE in the debugger, verifies it, and goes back', { timeout: 60_000 }, async () => {
    await openApp();
    const { publicPem, privatePem } = rsaPair();
    const inner = await new SignJWT({ sub: 'nested-user' }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
    const jwe = await encryptTo(publicPem, inner, 'JWT');
    await replaceText(page, 'Encoded token', jwe);
    await decryptWithPem(privatePem);
    await decryptPanel().getByText(/nested JWT/).waitFor();
    await decryptPanel().getByRole('button', { name: 'Open inner token' }).click();

    await waitForText(page, 'Encoded token', (text) => text === inner);
    expect(JSON.parse(await editorText(page, 'Payload'))).toMatchObject({ sub: 'nested-user' });
    expect(await decryptPanel().count()).toBe(0);
    await page.getByRole('region', { name: 'Verification' }).getByRole('textbox', { name: 'Secret' }).fill(SECRET);
    await expect.poll(async () => (await verdict().textContent()) ?? '', { timeout: 15_000 }).toMatch(/^Signature valid/);

    // Back: the JWE again (its header in the Header pane), its decryption still shown. The Encoded pane scrolls
    // a token this long, so its rendered lines are not the whole token: the panes say which token it is.
    await page.getByRole('button', { name: 'Back to the JWE' }).click();
    await decryptPanel().getByLabel('Plaintext').waitFor();
    expect(await decryptPanel().getByLabel('Plaintext').textContent()).toBe(inner);
    expect(JSON.parse(await editorText(page, 'Header'))).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' });
    expect(await page.getByRole('button', { name: 'Back to the JWE' }).count()).toBe(0);
  });

  it('Encrypt… makes a JWE of the token on screen with a password, which the Decrypt panel opens again', { timeout: 60_000 }, async () => {
    await openApp();
    const inner = await new SignJWT({ sub: 'to-encrypt' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    await replaceText(page, 'Encoded token', inner);
    await page.getByRole('button', { name: 'Encrypt…' }).click();
    const panel = page.getByRole('region', { name: 'Encrypt' });
    await panel.getByRole('combobox', { name: 'Key management (alg)' }).selectOption('PBES2-HS256+A128KW');
    await panel.getByRole('combobox', { name: 'Encryption key type' }).selectOption('password');
    await panel.getByLabel('Encryption password').fill('e2e password');
    await panel.getByRole('button', { name: 'Encrypt', exact: true }).click();
    const out = panel.getByRole('textbox', { name: 'Encrypted token' });
    await out.waitFor();
    const jwe = await out.inputValue();
    expect(jwe.split('.')).toHaveLength(5);
    await panel.getByRole('button', { name: 'Open in the debugger' }).click();
    await waitForText(page, 'Encoded token', (text) => text === jwe);

    await decryptPanel().getByRole('combobox', { name: 'Decryption key type' }).selectOption('password');
    await decryptPanel().getByLabel('Password').fill('e2e password');
    await decryptPanel().getByRole('button', { name: 'Decrypt' }).click();
    await decryptPanel().getByRole('button', { name: 'Open inner token' }).waitFor();
    expect(await decryptPanel().getByLabel('Plaintext').textContent()).toBe(inner);
  });
});
