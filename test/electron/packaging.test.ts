/**
 * Packages the app with the real electron-builder and the real electron-builder.cjs (target `dir`, Linux)
 * and inspects what it produced. The Electron binary cannot be downloaded here, so `electronDist` points at
 * a stand-in: a file carrying Electron's fuse sentinel and fuse wire, which lets @electron/fuses really flip
 * the fuses and this test read them back. Every download electron-builder might try is pointed at a closed
 * local port so it fails at once instead of hanging.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAll, extractFile, getRawHeader } from '@electron/asar';
import type { DirectoryRecord } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findKnownSecretsList, KNOWN_SECRETS_FILE } from '../../electron/services/crack';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const requireFromRoot = createRequire(path.join(repoRoot, 'package.json'));
const config = requireFromRoot('./electron-builder.cjs') as Configuration;
const rootPackage = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
};
const electronVersion = (requireFromRoot('electron/package.json') as { version: string }).version;

const BUILD_TIMEOUT_MS = 180_000;
const PACK_TIMEOUT_MS = 90_000;
const CLOSED_PORT_URL = 'http://127.0.0.1:9/';

// Electron's fuse sentinel, then wire version 1, wire length, and one byte per fuse ('0' off, '1' on).
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Each fuse starts opposite to what the config asks for, so every expected value proves a flip.
const STAND_IN_WIRE = '10110001';

const ENABLE = '1'.charCodeAt(0);
const DISABLE = '0'.charCodeAt(0);
const expectedFuses: Record<number, number> = {
  [FuseV1Options.RunAsNode]: DISABLE,
  [FuseV1Options.EnableCookieEncryption]: ENABLE,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: DISABLE,
  [FuseV1Options.EnableNodeCliInspectArguments]: DISABLE,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: ENABLE,
  [FuseV1Options.OnlyLoadAppFromAsar]: ENABLE,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: DISABLE,
};

/** vitest sets NODE_ENV=test, which Vite would honour with a development React build. */
function ensureBuilt(): void {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/build.mjs'), '--if-needed'], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (r.status !== 0) throw new Error(`build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function makeStandInElectron(dir: string): void {
  fs.mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in for the Electron binary"\nexit 1\n'),
    Buffer.from(FUSE_SENTINEL),
    Buffer.from([1, STAND_IN_WIRE.length]),
    Buffer.from(STAND_IN_WIRE),
  ]);
  fs.writeFileSync(path.join(dir, 'electron'), binary, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'version'), electronVersion);
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
}

function runElectronBuilder(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const cli = requireFromRoot.resolve('electron-builder/cli.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), PACK_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(new Error(`electron-builder failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/** Every file (not directory) in the archive, as a relative path with forward slashes. */
function asarFiles(archive: string): string[] {
  const files: string[] = [];
  const walk = (dir: DirectoryRecord, prefix: string): void => {
    for (const [name, entry] of Object.entries(dir.files)) {
      const rel = prefix + name;
      if ('files' in entry) walk(entry, `${rel}/`);
      else files.push(rel);
    }
  };
  walk(getRawHeader(archive).header, '');
  return files.sort();
}

function walkDisk(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walkDisk(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

/** Bare package names the Electron bundles still `require` at run time (not Node built-ins, not electron). */
function packagesRequiredByBundles(): string[] {
  const builtins = new Set(builtinModules);
  const names = new Set<string>();
  for (const bundle of ['dist/electron/main.cjs', 'dist/electron/preload.cjs']) {
    const code = fs.readFileSync(path.join(repoRoot, bundle), 'utf8');
    for (const [, specifier] of code.matchAll(/\brequire\("([^"]+)"\)/g)) {
      if (!specifier || specifier.startsWith('node:') || specifier.startsWith('.') || builtins.has(specifier)) continue;
      const parts = specifier.split('/');
      const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
      if (name !== 'electron') names.add(name);
    }
  }
  return [...names].sort();
}

describe('packaging with electron-builder (target dir, stand-in Electron)', () => {
  let tmp: string;
  let appOutDir: string;
  let archive: string;
  let files: string[];
  let builderOutput: string;

  beforeAll(async () => {
    ensureBuilt();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-pack-'));
    const electronDist = path.join(tmp, 'electron-dist');
    const output = path.join(tmp, 'release');
    makeStandInElectron(electronDist);
    // builder-util silences its log under VITEST; the log is what a failure message should show.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
    const env: NodeJS.ProcessEnv = {
      ...inherited,
      ELECTRON_BUILDER_OFFLINE: 'true',
      ELECTRON_BUILDER_CACHE: path.join(tmp, 'cache'),
      ELECTRON_BUILDER_BINARIES_MIRROR: CLOSED_PORT_URL,
      ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true',
      ELECTRON_MIRROR: CLOSED_PORT_URL,
      ELECTRON_CACHE: path.join(tmp, 'cache'),
      HTTP_PROXY: CLOSED_PORT_URL,
      HTTPS_PROXY: CLOSED_PORT_URL,
      NODE_ENV: 'production',
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    };
    // No --config: electron-builder must find electron-builder.cjs by itself, as `npm run pack` relies on.
    builderOutput = await runElectronBuilder(
      ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
      env,
    );
    const unpacked = fs.readdirSync(output).find((name) => /^linux(-[a-z0-9]+)?-unpacked$/.test(name));
    if (!unpacked) throw new Error(`no linux-*-unpacked in ${output}:\n${builderOutput}`);
    appOutDir = path.join(output, unpacked);
    archive = path.join(appOutDir, 'resources', 'app.asar');
    files = asarFiles(archive);
  }, BUILD_TIMEOUT_MS + PACK_TIMEOUT_MS);

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uses the repository config and writes one app.asar, nothing loose beside it', () => {
    expect(builderOutput).toContain('electron-builder.cjs');
    expect(fs.readdirSync(path.join(appOutDir, 'resources'))).toEqual(['app.asar']);
    expect(fs.existsSync(path.join(appOutDir, 'jwt-workbench'))).toBe(true);
  });

  it('holds the main entry, the preload and the whole renderer', () => {
    expect(files).toContain(rootPackage.main);
    expect(files).toContain('dist/electron/preload.cjs');
    const renderer = walkDisk(path.join(repoRoot, 'dist/renderer'))
      .filter((f) => !f.endsWith('.map'))
      .map((f) => `dist/renderer/${f}`);
    expect(renderer).toContain('dist/renderer/index.html');
    expect(files).toEqual(expect.arrayContaining(renderer));
  });

  it('holds only dist/electron, dist/renderer, dist/data, package.json and the runtime packages', () => {
    const topLevel = new Set(files.map((f) => (f.startsWith('dist/') ? f.split('/').slice(0, 2).join('/') : f.split('/')[0])));
    expect([...topLevel].sort()).toEqual(['dist/data', 'dist/electron', 'dist/renderer', 'node_modules', 'package.json']);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /\.(m|c)?tsx?$/.test(f))).toEqual([]);
  });

  it('holds the known-secrets list, whole, with its licence, where the main bundle looks for it', async () => {
    const dataFiles = files.filter((f) => f.startsWith('dist/data/'));
    const listEntry = 'dist/data/known-jwt-secrets/jwt.secrets.list';
    expect(dataFiles).toEqual(['dist/data/known-jwt-secrets/LICENSE', 'dist/data/known-jwt-secrets/README.md', listEntry]);
    const list = extractFile(archive, listEntry);
    expect(list.equals(fs.readFileSync(path.join(repoRoot, KNOWN_SECRETS_FILE)))).toBe(true);
    // The lookup the bundles make from their own folder (dist/electron for main.cjs), on the archive's layout.
    const extracted = path.join(tmp, 'app');
    extractAll(archive, extracted);
    expect(await findKnownSecretsList(path.join(extracted, 'dist/electron'))).toBe(path.join(extracted, 'dist', KNOWN_SECRETS_FILE));
  });

  it('ships exactly the packages the Electron bundles require, and they resolve', () => {
    const required = packagesRequiredByBundles();
    expect(required).toEqual(['@noble/hashes', 'jose']);
    const shipped = new Set(
      files
        .filter((f) => f.startsWith('node_modules/'))
        .map((f) => {
          const parts = f.split('/');
          return (parts[1] ?? '').startsWith('@') ? `${parts[1]}/${parts[2]}` : (parts[1] ?? '');
        }),
    );
    expect([...shipped].sort()).toEqual(required);
    for (const name of required) {
      // The file Node would load for require(name), relative to the repository, must be in the archive.
      const entry = path.relative(repoRoot, requireFromRoot.resolve(name)).split(path.sep).join('/');
      expect(files).toContain(entry);
      expect(files).toContain(`node_modules/${name}/package.json`);
    }
  });

  it('keeps scripts and devDependencies out of the packaged package.json', () => {
    const packaged = JSON.parse(extractFile(archive, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(packaged.main).toBe(rootPackage.main);
    expect(packaged).not.toHaveProperty('scripts');
    expect(packaged).not.toHaveProperty('devDependencies');
  });

  it('flips the fuses in the packaged binary as configured', async () => {
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'jwt-workbench'));
    for (const [fuse, state] of Object.entries(expectedFuses)) {
      expect({ fuse: FuseV1Options[Number(fuse)], state: wire[Number(fuse) as FuseV1Options] }).toEqual({
        fuse: FuseV1Options[Number(fuse)],
        state,
      });
    }
  });
});

describe('electron-builder.cjs', () => {
  it('sets the security fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages into release/ with asar, for AppImage + deb, dmg and nsis', () => {
    expect(config).toMatchObject({
      productName: 'JWT Workbench',
      asar: true,
      directories: { output: 'release', buildResources: 'build' },
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it('points at a PNG icon large enough for every platform (macOS wants at least 512×512)', () => {
    expect(config.icon).toBe('build/icon.png');
    const png = fs.readFileSync(path.join(repoRoot, 'build/icon.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR follows the signature: width and height as big-endian 32-bit at bytes 16 and 20.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });
});
