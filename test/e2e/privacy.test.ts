/**
 * Privacy you can prove: one full session in Chromium — paste a token and verify it with a secret, generate
 * a key, start the mock issuer, verify one of its tokens with its JWKS fetched by URL, run the stepper —
 * with the web host process under the network guard (net-guard.cjs, preloaded with --require). Then:
 *
 * - the host reached nothing but loopback, and on loopback only the issuer the user started (the stepper's
 *   calls and the JWKS fetch the user asked for); the page talked to nothing but its own origin;
 * - nothing the host (and the issuer inside it) wrote to stdout or stderr holds a token, a secret or private
 *   key material used in the session.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, watchPage } from './browser';
import type { Browser } from './browser';
import { replaceText, waitForEditors } from './editor';
import { ensureBuilt, repoRoot, startWebHost } from './web-host';
import type { RunningWebHost } from './web-host';

const GUARD = path.join(repoRoot, 'test/e2e/net-guard.cjs');
const STEPPER_PASSWORD = 'stepper-demo-password'; // the issuer's demo user (see the stepper)

interface GuardRecord {
  kind: string;
  host: string | null;
  port: number | string | null;
  allowed: boolean;
}

let web: RunningWebHost;
let browser: Browser;
let page: Page;
let problems: string[] = [];
let recordDir: string;
let recordFile: string;

beforeAll(async () => {
  ensureBuilt();
  recordDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-privacy-'));
  recordFile = path.join(recordDir, 'net.jsonl');
  web = await startWebHost({
    extraArgs: ['--unencrypted-test-store'], // so the test can read back the private keys it must not find in the logs
    nodeArgs: ['--require', GUARD],
    env: { NET_GUARD_RECORD: recordFile },
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  problems = await watchPage(page, web.origin);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  if (recordDir) fs.rmSync(recordDir, { recursive: true, force: true });
});

function guardRecord(): GuardRecord[] {
  if (!fs.existsSync(recordFile)) return [];
  return fs.readFileSync(recordFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as GuardRecord);
}

const verdict = () => page.getByRole('region', { name: 'Verification' }).getByRole('status', { name: 'Verdict' });

it('a full session reaches nothing beyond loopback, asks for nothing unasked, and logs no secret', { timeout: 180_000 }, async () => {
  const secrets: string[] = [];

  // 1. Debugger: paste a token, verify it with its secret.
  const hmacSecret = `privacy-${randomBytes(24).toString('base64url')}`;
  const hmacToken = await new SignJWT({ sub: 'privacy-e2e', scope: 'read' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(hmacSecret));
  secrets.push(hmacSecret, hmacToken, web.secret);

  await page.goto(web.url);
  await page.getByRole('contentinfo').getByText('served from 127.0.0.1').waitFor();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', hmacToken);
  const verification = page.getByRole('region', { name: 'Verification' });
  await verification.getByLabel('Key type').selectOption({ label: 'Secret (HMAC)' });
  await verification.getByRole('textbox', { name: 'Secret' }).fill(hmacSecret);
  await verdict().locator('strong', { hasText: /^Signature valid —/ }).waitFor();

  // 2. Keys: generate a key (its private part goes to the test store).
  await page.getByRole('tab', { name: 'Keys' }).click();
  const generate = page.getByRole('form', { name: 'Generate a key' });
  await generate.getByLabel('Algorithm').selectOption('ES256');
  await generate.getByLabel('Key ID (kid)').fill('privacy-es256');
  await generate.getByLabel('Label').fill('privacy key');
  await generate.getByRole('button', { name: 'Generate' }).click();
  await generate.getByRole('status').getByText('Generated EC P-256 key privacy-es256.').waitFor();

  // 3. Issuer: start it.
  await page.getByRole('tab', { name: 'Issuer' }).click();
  await page.getByRole('button', { name: 'Start issuer' }).click();
  await page.getByRole('button', { name: 'Stop issuer' }).waitFor();
  const discovery = (await page.getByTestId('discovery-url').textContent())!;
  const issuerPort = Number(new URL(discovery).port);
  expect(issuerPort).toBeGreaterThan(0);

  // 4. Stepper: the whole story against the issuer (its first step creates the demo user).
  await page.getByRole('tab', { name: 'Stepper' }).click();
  await page.getByRole('button', { name: 'Run all remaining steps' }).click();
  await page.getByRole('button', { name: 'All steps done' }).waitFor({ timeout: 90_000 });
  // Tokens the stepper received and shows decoded; their signatures are on screen too.
  const shown = (await page.locator('body').textContent()) ?? '';
  for (const jws of shown.match(/eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{16,}/g) ?? []) secrets.push(jws);

  // 5. A client (this test) logs in to the issuer and gets tokens.
  const meta = (await (await fetch(discovery)).json()) as { issuer: string; jwks_uri: string };
  const login = await fetch(`${meta.issuer}/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'stepper', password: STEPPER_PASSWORD }),
  });
  expect(login.status).toBe(200);
  const issued = (await login.json()) as Record<string, unknown>;
  const accessToken = issued.accessToken as string;
  expect(accessToken.split('.')).toHaveLength(3);
  secrets.push(STEPPER_PASSWORD, ...Object.values(issued).filter((v): v is string => typeof v === 'string' && v.length >= 16));

  // 6. Debugger: verify the issuer's token with its JWKS, fetched by the host only when Fetch is pressed.
  await page.getByRole('tab', { name: 'Debugger' }).click();
  await waitForEditors(page);
  await replaceText(page, 'Encoded token', accessToken);
  await verification.getByLabel('Key type').selectOption({ label: 'JWKS' });
  await verification.getByLabel('JWKS URL').fill(meta.jwks_uri);
  await verification.getByRole('button', { name: 'Fetch' }).click();
  // (Whether the host opened a new connection for it depends on fetch's keep-alive pool: not asserted.)
  expect(await verification.getByText(/Fetched \d+ keys? from/).textContent()).toContain(meta.jwks_uri);
  await verdict().locator('strong', { hasText: /^Signature valid —/ }).waitFor();

  // The page talked only to its own origin, and logged nothing.
  expect(problems).toEqual([]);

  // Private key material the session created: the store is unencrypted for this test only.
  secrets.push(...privateMaterial(fs.readFileSync(path.join(web.dataDir, 'keys.json'), 'utf8')));

  await web.stop(); // so whatever the host writes on shutdown is scanned too

  // The network: loopback only, and there only the issuer the user started.
  const record = guardRecord();
  expect(record.filter((r) => !r.allowed)).toEqual([]);
  const tcp = record.filter((r) => r.kind === 'tcp');
  expect(tcp.length).toBeGreaterThan(0); // the guard was there and saw the stepper's and the JWKS fetch's calls
  expect(tcp.filter((r) => !['127.0.0.1', 'localhost', '::1'].includes(String(r.host)) || Number(r.port) !== issuerPort)).toEqual([]);
  expect(record.filter((r) => r.kind !== 'tcp' && !r.kind.startsWith('dns.'))).toEqual([]);

  // The logs: capture is live (the info line and the test-store warning are there), and holds no secret.
  const { stdout, stderr } = web.output();
  const [infoLine, ...rest] = stdout.split('\n');
  expect(JSON.parse(infoLine!)).toMatchObject({ port: web.port, secret: web.secret });
  expect(stderr).toContain('--unencrypted-test-store');
  const logs = `${rest.join('\n')}\n${stderr}`; // the info line hands the launch secret to the test, as designed
  const needles = [...new Set(secrets)].filter((s) => s.length >= 16);
  expect(needles.length).toBeGreaterThan(8);
  expect(needles.filter((s) => leaksPart(s, logs)).map(label)).toEqual([]);
  expect(logs).not.toMatch(/eyJ[\w-]{8,}\.(eyJ|[\w-]*\.)/); // no compact JWS/JWE at all, ours or not, not even cut short
  expect(logs).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(logs).not.toMatch(/"(d|p|q|dp|dq|qi|k)"\s*:\s*"/);
});

/** True when `text` holds `secret` or any 20 characters of it in a row: a truncated leak is a leak. */
function leaksPart(secret: string, text: string): boolean {
  const WINDOW = 20;
  if (secret.length <= WINDOW) return text.includes(secret);
  for (let i = 0; i + WINDOW <= secret.length; i += 2) if (text.includes(secret.slice(i, i + WINDOW))) return true;
  return false;
}

/** A needle named without repeating it (the failure message must not become the leak). */
function label(secret: string): string {
  return `${secret.slice(0, 4)}… (${secret.length} chars)`;
}

/**
 * Every private part in the unencrypted test store: the sealed plaintexts themselves, their JWK private
 * members (d, p, q, dp, dq, qi, k) and the base64 lines of any PEM.
 */
function privateMaterial(storeText: string): string[] {
  const found: string[] = [];
  const visit = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      if (key === 'plaintext') {
        found.push(value);
        try {
          visit(JSON.parse(value));
        } catch {
          // not JSON: a PEM or a raw secret
        }
        for (const line of value.split(/\r?\n/)) if (/^[A-Za-z0-9+/=]{40,}$/.test(line)) found.push(line);
      } else if (key !== undefined && ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'].includes(key)) {
        found.push(value);
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((v) => visit(v));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, k);
  };
  visit(JSON.parse(storeText));
  expect(found.length, 'the test store holds private parts').toBeGreaterThan(0);
  return found;
}
