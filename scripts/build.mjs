// Builds every output: the renderer (Vite) and the Node/Electron bundles (esbuild).
// `node scripts/build.mjs [--if-needed]` skips the work when dist/ is newer than every source.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const sourceDirs = ['shared', 'electron', 'renderer', 'data', 'package.json', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p) {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) {
    if (entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

export function isBuildCurrent() {
  const stamp = fs.statSync(path.join(dist, '.build-stamp'), { throwIfNoEntry: false });
  if (!stamp) return false;
  return sourceDirs.every((d) => newestMtime(path.join(root, d)) <= stamp.mtimeMs);
}

const nodeBundle = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
};

/**
 * Bundles the `jwtdbg` CLI to `outfile` (default dist/cli/jwtdbg.mjs), executable. Tests build it
 * into a directory under the repository so its external packages (jose) still resolve.
 */
export async function buildCli(outfile = path.join(dist, 'cli/jwtdbg.mjs')) {
  await esbuild({
    ...nodeBundle,
    entryPoints: [path.join(root, 'electron/cli/jwtdbg.ts')],
    outfile,
    format: 'esm',
    banner: { js: '#!/usr/bin/env node' },
  });
  fs.chmodSync(outfile, 0o755);
}

// A sandboxed preload may require only `electron`: bundle everything else into one file.
// Exported so the preload test can check what this exact configuration produces.
export const preloadBundle = {
  bundle: true,
  platform: 'browser',
  target: 'chrome130',
  format: 'cjs',
  sourcemap: false,
  external: ['electron'],
  logLevel: 'warning',
  entryPoints: [path.join(root, 'electron/preload/index.ts')],
};

/**
 * The known-secrets list (with its licence and README) into dist/data/known-jwt-secrets: the CLI, the web
 * host and the packaged app (app.asar holds dist/data) find it there, next to their bundles.
 */
function copyData() {
  const from = path.join(root, 'data/known-jwt-secrets');
  const to = path.join(dist, 'data/known-jwt-secrets');
  fs.mkdirSync(to, { recursive: true });
  for (const file of ['jwt.secrets.list', 'LICENSE', 'README.md']) fs.copyFileSync(path.join(from, file), path.join(to, file));
}

export async function buildAll() {
  fs.rmSync(dist, { recursive: true, force: true });
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  await Promise.all([
    buildCli(),
    esbuild({
      ...nodeBundle,
      entryPoints: [path.join(root, 'electron/web/main.ts')],
      outfile: path.join(dist, 'web/main.mjs'),
      format: 'esm',
    }),
    // Electron loads main as CommonJS; `electron` itself is provided by the runtime.
    esbuild({
      ...nodeBundle,
      entryPoints: [path.join(root, 'electron/main/index.ts')],
      outfile: path.join(dist, 'electron/main.cjs'),
      format: 'cjs',
      external: ['electron'],
    }),
    esbuild({ ...preloadBundle, outfile: path.join(dist, 'electron/preload.cjs') }),
  ]);
  copyData();
  fs.writeFileSync(path.join(dist, '.build-stamp'), new Date().toISOString());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-needed') && isBuildCurrent()) {
    console.log('build is current');
  } else {
    await buildAll();
    console.log('built dist/');
  }
}
