/**
 * The whole path in a real browser: Debian's Chromium opens the URL `npm run web` prints, the built
 * renderer decodes a pasted token in the page, and verification goes through the HTTP transport to
 * the real services. Any console output (errors, CSP violations), uncaught error or request to another
 * host fails the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser } from './browser';
import type { Browser } from './browser';
import { ensureBuilt, repoRoot, startWebHost } from './web-host';
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
let browser: Browser;
let page: Page;
/** What went wrong in the page during one test: console errors, uncaught errors, CSP violations, foreign requests. */
let problems: string[];

beforeAll(async () => {
  ensureBuilt();
  web = await startWebHost();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

beforeEach(async () => {
  problems = [];
  page = await browser.context.newPage();
  // Registered before any page script, so even a violation during load is seen.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  // A production build is silent: any log line (React's development-build banner included) is a finding.
  page.on('console', (message) => {
    if (message.type() !== 'debug') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.hostname !== '127.0.0.1') problems.push(`request left 127.0.0.1: ${url.origin}`);
  });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
});

afterEach(async () => {
  await page.close();
  expect(problems).toEqual([]);
});

async function openApp(): Promise<void> {
  await page.goto(web.url);
  // The footer fills in from app.info: proof the renderer reached the host with its secret.
  await page.getByRole('contentinfo').getByText('served from 127.0.0.1').waitFor();
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

  it('decodes a pasted token into the Header and Payload panes', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user', name: 'Grace Hopper' });
    await page.getByRole('textbox', { name: 'Encoded token' }).fill(token);

    const header = page.getByRole('region', { name: 'Header' });
    await header.getByText('"alg": "HS256"').waitFor();
    expect(JSON.parse((await header.locator('pre').textContent())!)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const payload = JSON.parse((await page.getByRole('region', { name: 'Payload' }).locator('pre').textContent())!);
    expect(payload).toMatchObject({ sub: 'e2e-user', name: 'Grace Hopper', iss: 'https://issuer.example' });
  });

  it('shows where a broken token breaks and keeps the last good decode', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    const box = page.getByRole('textbox', { name: 'Encoded token' });
    await box.fill(token);
    await page.getByRole('region', { name: 'Header' }).getByText('"alg": "HS256"').waitFor();

    // A character outside the base64url alphabet, inside the payload.
    const at = token.indexOf('.') + 4;
    await box.fill(`${token.slice(0, at)}*${token.slice(at)}`);
    const status = page.locator('#decode-status');
    await status.getByText('base64url-invalid-char').waitFor();
    expect(await status.textContent()).toContain(`segment payload, offset ${at}`);
    const header = page.getByRole('region', { name: 'Header' });
    await header.getByText('last valid decode').waitFor();
    expect(await header.locator('pre').textContent()).toContain('"alg": "HS256"');
  });

  it('verifies the signature with the right secret through the host, and rejects a wrong one', async () => {
    await openApp();
    const token = await hs256Token({ sub: 'e2e-user' });
    await page.getByRole('textbox', { name: 'Encoded token' }).fill(token);

    const verification = page.getByRole('region', { name: 'Verification' });
    const secret = verification.getByRole('textbox', { name: 'Secret' });
    await secret.fill(SECRET);
    const verdict = verification.getByRole('status');
    await verdict.getByText('Signature verified', { exact: true }).waitFor();
    expect(await verdict.textContent()).toContain('HS256');

    await secret.fill(`${SECRET}-wrong`);
    await verdict.getByText('Signature invalid', { exact: true }).waitFor();
    expect(await verdict.textContent()).toContain('signature-mismatch');
    // Entering a key never re-signs the pasted token.
    expect(await page.getByRole('textbox', { name: 'Encoded token' }).inputValue()).toBe(token);
  });

  it('lists claim warnings computed in the page', async () => {
    await openApp();
    const unsecured = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`;
    await page.getByRole('textbox', { name: 'Encoded token' }).fill(unsecured);
    const warnings = page.getByRole('region', { name: 'Claim warnings' });
    await warnings.getByText('alg-none').waitFor();
    expect(await warnings.getByRole('listitem').count()).toBeGreaterThan(1);
  });
});
