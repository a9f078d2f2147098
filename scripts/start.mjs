// `npm start`: the desktop app. The Electron binary is not fetched at install time (package.json
// allowScripts denies electron's postinstall, so `npm ci` works offline); the first `npm start` runs
// electron's own installer once. Where that cannot download, say so in one line and point to the web UI.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runForwarding } from './run-child.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = path.join(root, 'node_modules', 'electron');

/** The binary's path, as electron's index.js computes it, when the file is really there; else null. */
function installedElectron() {
  let relative;
  try {
    relative = fs.readFileSync(path.join(electronDir, 'path.txt'), 'utf8');
  } catch {
    return null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? path.join(override, relative || 'electron') : path.join(electronDir, 'dist', relative);
  return fs.existsSync(binary) ? binary : null;
}

async function tryInstallElectron() {
  const installer = path.join(electronDir, 'install.js');
  if (!fs.existsSync(installer)) return false;
  // The user asked for the desktop app: a skip flag meant for `npm ci` must not stop this download.
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  // Its output (a stack trace when offline) is discarded: the outcome is reported below, in one line.
  const child = spawn(process.execPath, [installer], { cwd: electronDir, env, stdio: 'ignore' });
  const slow = process.stderr.isTTY ? setTimeout(() => process.stderr.write('Downloading Electron…\n'), 2000) : null;
  const ok = await new Promise((resolve) => {
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (slow) clearTimeout(slow);
  return ok;
}

let electron = installedElectron();
if (!electron && (await tryInstallElectron())) electron = installedElectron();
if (!electron) {
  process.stderr.write(
    'The Electron binary is not installed and could not be downloaded: run `npm run web` to use the same UI in a browser.\n',
  );
  process.exit(1);
}

const { buildAll, isBuildCurrent } = await import('./build.mjs');
if (!isBuildCurrent()) {
  process.stderr.write('building dist/ …\n');
  await buildAll();
}
runForwarding(electron, [path.join(root, 'dist/electron/main.cjs'), ...process.argv.slice(2)], {
  // Electron treats this variable as "run as plain Node": never inherit it into the app.
  env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'ELECTRON_RUN_AS_NODE')),
});
