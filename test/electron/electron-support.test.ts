/**
 * The app ships a supported Electron: package.json pins it exactly (no range, so `npm ci` can never pick an
 * older release), and its major line is at least the oldest line Electron still supports, written once in
 * build/electron-support.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli-harness';

const read = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;

describe('Electron support policy', () => {
  const pkg = read('package.json') as { devDependencies: Record<string, string>; dependencies?: Record<string, string> };
  const pinned = pkg.devDependencies.electron ?? pkg.dependencies?.electron ?? '';
  const policy = read('build/electron-support.json') as { oldestSupportedMajor: number };

  it('pins Electron to one exact version', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('pins a major line Electron still supports', () => {
    expect(Number.isInteger(policy.oldestSupportedMajor)).toBe(true);
    expect(Number(pinned.split('.')[0])).toBeGreaterThanOrEqual(policy.oldestSupportedMajor);
  });

  it('installs the pinned version (the lock file agrees with package.json)', () => {
    const installed = read('node_modules/electron/package.json') as { version: string };
    const lock = read('package-lock.json') as { packages: Record<string, { version: string }> };
    expect(installed.version).toBe(pinned);
    expect(lock.packages['node_modules/electron']?.version).toBe(pinned);
  });
});
