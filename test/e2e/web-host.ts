/**
 * Starts the real `npm run web` host (dist/web/main.mjs) on a free loopback port, with a throwaway data
 * directory, and stops it after. Builds first when dist/ is older than the sources, so the e2e project
 * also runs on its own (`npx vitest run --project e2e`).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface WebHostInfo {
  /** `http://127.0.0.1:PORT/#secret=…`: what a person would open. */
  url: string;
  origin: string;
  port: number;
  secret: string;
}

export interface RunningWebHost extends WebHostInfo {
  /** The host's throwaway data directory (removed by stop()). */
  dataDir: string;
  /** Everything the host process has written so far, its first (JSON info) line included. */
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

export interface WebHostOptions {
  /** Go to `dist/web/main.mjs` after the defaults (e.g. `--unencrypted-test-store`). */
  extraArgs?: readonly string[];
  /** Go to node before the script (e.g. `['--require', guard]`). */
  nodeArgs?: readonly string[];
  /** Added to the host's environment. */
  env?: Readonly<Record<string, string>>;
}

const START_TIMEOUT_MS = 30_000;

export function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--if-needed'], {
    cwd: repoRoot,
    // vitest sets NODE_ENV=test, which Vite would honour with a development React build.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

export async function startWebHost(options: WebHostOptions = {}): Promise<RunningWebHost> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-e2e-'));
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(repoRoot, 'dist/web/main.mjs'), '--port', '0', '--json', '--data-dir', dataDir, ...(options.extraArgs ?? [])],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...(options.env && { env: { ...process.env, ...options.env } }) },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  try {
    const info = await firstJsonLine(child, () => stderr);
    return { ...info, dataDir, output: () => ({ stdout, stderr }), stop: () => stop(child, dataDir) };
  } catch (error) {
    await stop(child, dataDir);
    throw error;
  }
}

function firstJsonLine(child: ChildProcess, stderr: () => string): Promise<WebHostInfo> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => fail(new Error(`web host printed nothing in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    function fail(error: Error) {
      clearTimeout(timer);
      lines.close();
      reject(new Error(`${error.message}\nstderr:\n${stderr()}`));
    }
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      child.stdout!.resume(); // drain anything later, so the host never blocks on a full pipe
      try {
        const info = JSON.parse(line) as WebHostInfo;
        if (typeof info.url !== 'string' || typeof info.port !== 'number') throw new Error('missing url or port');
        resolve(info);
      } catch (error) {
        fail(new Error(`web host's first line is not its JSON info (${(error as Error).message})`));
      }
    });
    child.once('exit', (code, signal) => fail(new Error(`web host exited early (code ${code}, signal ${signal})`)));
  });
}

async function stop(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5_000).unref());
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      child.kill('SIGKILL');
      await exited;
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** A contract call over the host's HTTP transport, as the page makes it (with the launch secret); an error answer throws. */
export async function hostCall<T>(web: RunningWebHost, method: string, request: unknown): Promise<T> {
  const res = await fetch(`${web.origin}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${web.secret}` },
    body: JSON.stringify(request),
  });
  const result = (await res.json()) as { ok: boolean; value: T; error?: unknown };
  if (!result.ok) throw new Error(`${method} answered an error: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** A password-grant access token for the seeded demo user, asked of the running mock issuer through the host. */
export async function demoAccessToken(web: RunningWebHost): Promise<string> {
  const exchange = await hostCall<{ status: number; body: string }>(web, 'issuer.request', {
    method: 'POST',
    path: '/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'workbench', username: 'demo', password: 'demo' }).toString(),
  });
  if (exchange.status !== 200) throw new Error(`the issuer refused the demo login: ${exchange.status} ${exchange.body}`);
  return (JSON.parse(exchange.body) as { access_token: string }).access_token;
}
