// Builds the jwtdbg bundle once per test file (same esbuild options as the release) and spawns it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from '../../scripts/build.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  dir: string;
  bin: string;
  /** Writes a file in the harness's temp directory and returns its path. */
  file(name: string, content: string): string;
  run(args: string[], options?: { input?: string; env?: Record<string, string> }): Promise<RunResult>;
  dispose(): void;
}

export async function buildCliHarness(): Promise<CliHarness> {
  // Inside the repository so the bundle's external imports (jose) resolve from node_modules.
  const cacheDir = path.join(repoRoot, 'node_modules', '.cache');
  fs.mkdirSync(cacheDir, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cacheDir, 'jwtdbg-test-'));
  const bin = path.join(dir, 'jwtdbg.mjs');
  await buildCli(bin);
  return {
    dir,
    bin,
    file(name, content) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content);
      return p;
    },
    run(args, options = {}) {
      return new Promise((resolve, reject) => {
        const env = { ...process.env, ...options.env };
        delete env.FORCE_COLOR;
        const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
        child.stdin.on('error', () => undefined); // the CLI may exit before reading stdin
        child.stdin.end(options.input ?? '');
      });
    },
    dispose() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The lines of a JSON-lines output, parsed. */
export function jsonLines(stdout: string): unknown[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as unknown);
}
