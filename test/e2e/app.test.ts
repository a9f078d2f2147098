/**
 * The whole path in a real browser: Debian's Chromium opens the URL `npm run web` prints, the built
 * renderer decodes a token pasted into the Monaco editors in the page, and verification and re-signing
 * go through the HTTP transport to the real services. Any console output (errors, CSP violations), uncaught error or request to another
 * host fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import type { CryptoKey as JoseKey } from 'jose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appPagePerTest, openApp as openAppIn } from './app-page';
import { editorText, replaceText, waitForEditors, waitForText } from './editor';
import { repoRoot } from './web-host';
import type { RunningWebHost } from './web-host';

const SECRET = 'e2e-secret-that-is-long-enough-for-HS256!';

async function hs256Token(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setIssuer('https://issuer.example')
    .setAudience('api://e2e')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
}

let web: RunningWebHost;
let page: Page;
/** What went wrong in the page during one test: console errors, uncaught errors, CSP violations, foreign requests. */

appPagePerTest({}, (app) => ({ web, page } = app));

const openApp = () => openAppIn(page, web);

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** The same token with one claim changed and the old signature kept: what an attacker would send. */
function tampered(token: string, change: Record<string, unknown>): string {
  const [h, p, sig] = token.split('.');
  const payload = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${h}.${b64({ ...payload, ...change })}.${sig}`;
}

function verdict() {
  return page.getByRole('region', { name: 'Verification' }).locator('.verification-status');
}

/** Waits for the overall verdict's headline to start with `text` ("Signature valid — …"). */
async function expectVerdict(text: 'Signature valid' | 'Signature invalid'): Promise<string> {
  await verdict().getByRole('status', { name: 'Verdict' }).locator('strong', { hasText: new RegExp(`^${text} —`) }).waitFor();
  return (await verdict().textContent()) ?? '';
}

describe('JWT Workbench in Chromium', () => {
  it('serves the app with its CSP and shows the version from the host', async () => {
    const response = await page.goto(web.url);
    expect(response?.status()).toBe(200);
    const footer = page.getByRole('contentinfo');
    await footer.getByText('served from 127.0.0.1').waitFor();
    expect(await footer.textContent()).toMatch(/JWT Workbench \d+\.\d+\.\d+/);
    // The secret is taken out of the address bar once read.
    expect(page.url()).not.toContain('secret=');
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self'");
    // Monaco loads from the app's own files (workers included) under that policy: afterEach sees no violation.
    await waitForEditors(page);
  });

  it('ships a bundle that needs no eval (the CSP forbids it; this also covers paths no test runs)', () => {
    const assets = path.join(repoRoot, 'dist/renderer/assets');
    const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const code = fs.readFileSync(path.join(assets, file), 'utf8');
      expect(code, file).not.toMatch(/\beval\s*\(|\bnew\s+Function\s*\(/);
    }
  });

  it('decodes a pasted token into the Header, Payload and Signature panes, segments coloured', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user', name: 'Grace Hopper' });
    await replaceText(page, 'Encoded token', token);

    const header = await waitForText(page, 'Header', (t) => t.includes('"alg": "HS256"'));
    expect(JSON.parse(header)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = JSON.parse(await editorText(page, 'Payload'));
    expect(payload).toMatchObject({ sub: 'e2e-user', name: 'Grace Hopper', iss: 'https://issuer.example' });
    const signature = token.split('.')[2]!;
    expect(JSON.parse(await waitForText(page, 'Signature', (t) => t.includes(signature)))).toEqual({
      alg: 'HS256',
      signature,
      bytes: 32,
      hex: Buffer.from(signature, 'base64url').toString('hex'),
    });
    expect(await editorText(page, 'Encoded token')).toBe(token);
    const encoded = page.getByRole('region', { name: 'Encoded token' });
    for (const segment of ['header', 'payload', 'signature']) {
      expect(await encoded.locator(`.jwt-seg-${segment}`).count(), segment).toBeGreaterThan(0);
    }
  });

  it('underlines a broken token where it breaks, says why, and keeps the last good decode', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await replaceText(page, 'Encoded token', token);
    await waitForText(page, 'Header', (t) => t.includes('"alg": "HS256"'));

    // A character outside the base64url alphabet, inside the payload, typed at its place.
    const at = token.indexOf('.') + 4;
    await replaceText(page, 'Encoded token', `${token.slice(0, at)}*${token.slice(at)}`);
    const status = page.locator('#decode-status');
    await status.getByText('base64url-invalid-char').waitFor();
    expect(await status.textContent()).toContain(`segment payload, offset ${at}`);

    const encoded = page.getByRole('region', { name: 'Encoded token' });
    await encoded.locator('.squiggly-error').first().waitFor();
    // The squiggle sits on the `*`: hovering it shows the message.
    // (force: the squiggle is an overlay Playwright does not count as an actionable element)
    await encoded.locator('.squiggly-error').first().hover({ force: true });
    await page.locator('.monaco-hover').getByText(/base64url-invalid-char/).first().waitFor();

    const header = page.getByRole('region', { name: 'Header' });
    await header.getByText('last valid decode').waitFor();
    expect(await editorText(page, 'Header')).toContain('"alg": "HS256"');
  });

  it('shows a payload that stops being UTF-8 as a hex dump over the Payload editor, which keeps its JSON', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await replaceText(page, 'Encoded token', token);
    await waitForText(page, 'Payload', (t) => t.includes('"sub": "e2e-user"'));
    const json = await editorText(page, 'Payload');

    // `__8` at the start of the payload decodes to ff ff: never UTF-8, but still a token that decodes.
    const [h, p, s] = token.split('.') as [string, string, string];
    await replaceText(page, 'Encoded token', `${h}.__8${p.slice(3)}.${s}`);
    const payload = page.getByRole('region', { name: 'Payload' });
    const dump = payload.getByLabel('Payload bytes (hex)');
    await dump.waitFor();
    expect(await dump.textContent()).toMatch(/^00000000  ff ff /);
    await payload.getByText(/Not UTF-8 text: \d+ bytes/).waitFor();
    // The editor beneath is hidden, not rewritten: the same JSON, back on screen as soon as the bytes mend.
    expect(await payload.locator('.code-editor').evaluate((el) => getComputedStyle(el).visibility)).toBe('hidden');
    expect(await editorText(page, 'Payload')).toBe(json);

    await replaceText(page, 'Encoded token', token);
    // Hidden, not removed: the next keystroke that breaks the bytes again only shows it.
    await dump.waitFor({ state: 'hidden' });
    expect(await payload.locator('.code-editor').evaluate((el) => getComputedStyle(el).visibility)).toBe('visible');
    expect(await editorText(page, 'Payload')).toBe(json);
  });

  it('verifies the signature with the right secret through the host, and rejects a wrong one', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await replaceText(page, 'Encoded token', token);

    const verification = page.getByRole('region', { name: 'Verification' });
    const secret = verification.getByRole('textbox', { name: 'Secret' });
    await secret.fill(SECRET);
    expect(await expectVerdict('Signature valid')).toContain('HS256');

    await secret.fill(`${SECRET}-wrong`);
    expect(await expectVerdict('Signature invalid')).toContain('signature-mismatch');
    // Entering a key never re-signs the pasted token.
    expect(await editorText(page, 'Encoded token')).toBe(token);
    expect(await page.getByText(/^Modified/).count()).toBe(0);
  });

  it('lists claim warnings computed in the page, and a click puts the cursor on the claim', async () => {
    await openApp();
    const unsecured = `${b64({ alg: 'none' })}.${b64({ sub: 'x' })}.`;
    await replaceText(page, 'Encoded token', unsecured);
    const warnings = page.getByRole('region', { name: 'Claim warnings' });
    await warnings.getByText('alg-none').waitFor();
    expect(await warnings.getByRole('listitem').count()).toBeGreaterThan(1);

    await warnings.getByRole('button', { name: /alg-none/ }).click();
    const headerBox = page.getByRole('region', { name: 'Header' }).getByRole('textbox').first();
    await expect.poll(() => headerBox.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('re-signs an edited payload with the entered secret, and the new token verifies', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user', role: 'reader' });
    await replaceText(page, 'Encoded token', token);
    await page.getByRole('region', { name: 'Verification' }).getByRole('textbox', { name: 'Secret' }).fill(SECRET);
    await expectVerdict('Signature valid');

    const payload = JSON.parse(await waitForText(page, 'Payload', (t) => t.includes('reader'))) as Record<string, unknown>;
    await replaceText(page, 'Payload', JSON.stringify({ ...payload, role: 'admin' }, null, 2));

    await page.getByText(/Modified — re-signed with the secret \(utf8\) \(HS256\)/).waitFor();
    const resigned = await waitForText(page, 'Encoded token', (t) => t !== token && t.split('.').length === 3);
    expect(JSON.parse(Buffer.from(resigned.split('.')[1]!, 'base64url').toString('utf8'))).toMatchObject({ role: 'admin' });
    expect(await expectVerdict('Signature valid')).toContain('HS256');

    // The Payload pane kept the user's text (no feedback loop rewrote it).
    expect(await editorText(page, 'Payload')).toContain('"role": "admin"');

    await page.getByRole('button', { name: 'Back to the original token' }).click();
    expect(await waitForText(page, 'Encoded token', (t) => t === token)).toBe(token);
  });

  it('marks an edit made without a key as no longer valid', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await replaceText(page, 'Encoded token', token);
    const payload = JSON.parse(await waitForText(page, 'Payload', (t) => t.includes('e2e-user'))) as Record<string, unknown>;
    await replaceText(page, 'Payload', JSON.stringify({ ...payload, sub: 'someone-else' }));
    await page.getByText(/Modified — signature no longer valid/).waitFor();
    const edited = await waitForText(page, 'Encoded token', (t) => t !== token);
    expect(edited.split('.')[2]).toBe(token.split('.')[2]);
  });

  it('judges time claims at an overridden clock: exp-passed appears', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await replaceText(page, 'Encoded token', token);
    const warnings = page.getByRole('region', { name: 'Claim warnings' });
    await page.getByRole('region', { name: 'Header' }).getByText('"HS256"').first().waitFor();
    expect(await warnings.getByText('exp-passed').count()).toBe(0);

    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = `${tomorrow.getFullYear()}-${pad(tomorrow.getMonth() + 1)}-${pad(tomorrow.getDate())}T${pad(tomorrow.getHours())}:${pad(tomorrow.getMinutes())}:00`;
    await page.getByLabel('Judge at (local time)').fill(local);
    await warnings.getByText('exp-passed').waitFor();

    await page.getByRole('button', { name: 'Use the system clock' }).click();
    await expect.poll(() => warnings.getByText('exp-passed').count()).toBe(0);
  });

  it('explains a claim on hover, with its time relative to now', async () => {
    await openApp();
    await replaceText(page, 'Encoded token', await hs256Token({ sub: 'e2e-user' }));
    const payload = page.getByRole('region', { name: 'Payload' });
    await payload.locator('.view-line span span', { hasText: '"exp"' }).first().hover();
    const hover = page.locator('.monaco-hover').filter({ hasText: 'Expiration Time' }).first();
    await hover.waitFor();
    expect(await hover.textContent()).toMatch(/expires in (9|10) min/);
    expect(await hover.textContent()).toContain('RFC 7519 §4.1.4');
  });

  it('lets Tab leave the Encoded editor (a tab is never part of a token)', async () => {
    await openApp();
    await page.getByRole('region', { name: 'Encoded token' }).getByRole('textbox').first().focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('key-source');
    expect(await editorText(page, 'Encoded token')).toBe('');
  });

  it('loads an example that verifies with its own key', async () => {
    await openApp();
    await page.getByRole('combobox', { name: 'Examples' }).selectOption('eddsa');
    expect(await expectVerdict('Signature valid')).toContain('EdDSA');
    expect(await verdict().textContent()).toContain('example-ed25519');
  });
});

describe('each key source verifies a matching token and rejects a tampered one', () => {
  async function checkSource(token: string, choose: () => Promise<void>): Promise<void> {
    await openApp();
    await replaceText(page, 'Encoded token', token);
    await choose();
    await expectVerdict('Signature valid');

    const bad = tampered(token, { sub: 'mallory' });
    await replaceText(page, 'Encoded token', bad);
    expect(await expectVerdict('Signature invalid')).toContain('signature-mismatch');
    // The key never changed either token.
    expect(await editorText(page, 'Encoded token')).toBe(bad);
  }

  async function chooseKey(source: string, text: string): Promise<void> {
    const verification = page.getByRole('region', { name: 'Verification' });
    await verification.getByLabel('Key type').selectOption({ label: source });
    await verification.getByRole('textbox', { name: 'Key', exact: true }).fill(text);
  }

  async function signWith(alg: string, key: JoseKey | Uint8Array, kid?: string): Promise<string> {
    return new SignJWT({ sub: 'e2e-user' })
      .setProtectedHeader(kid ? { alg, kid } : { alg })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
  }

  it('secret in hex', async () => {
    const raw = Buffer.from('0123456789abcdef0123456789abcdef', 'utf8');
    await checkSource(await signWith('HS256', raw), async () => {
      const verification = page.getByRole('region', { name: 'Verification' });
      await verification.getByLabel('Encoding').selectOption('hex');
      await verification.getByRole('textbox', { name: 'Secret' }).fill(raw.toString('hex'));
    });
  });

  it('PEM public key', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    await checkSource(await signWith('RS256', privateKey), () => exportSPKI(publicKey).then((pem) => chooseKey('PEM key or X.509 certificate', pem)));
  });

  it('JWK', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    await checkSource(await signWith('ES256', privateKey), async () => chooseKey('JWK', JSON.stringify(await exportJWK(publicKey))));
  });

  it('JWKS, pasted', async () => {
    const { publicKey, privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] };
    await checkSource(await signWith('EdDSA', privateKey, 'k1'), () => chooseKey('JWKS', JSON.stringify(jwks)));
  });

  it('JWKS fetched from a URL through the host, only on the button press', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES384', { extractable: true });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'fetched', alg: 'ES384' }] });
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    try {
      await checkSource(await signWith('ES384', privateKey, 'fetched'), async () => {
        const verification = page.getByRole('region', { name: 'Verification' });
        await verification.getByLabel('Key type').selectOption({ label: 'JWKS' });
        await verification.getByLabel('JWKS URL').fill(url);
        expect(requests).toBe(0); // typing a URL fetches nothing
        await verification.getByRole('button', { name: 'Fetch' }).click();
        await verification.getByText(/Fetched 1 key from/).waitFor();
      });
      expect(requests).toBe(1);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
