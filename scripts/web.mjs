// `npm run web [-- --port N] [--json] [--data-dir DIR]`: build if anything changed, then serve the real
// renderer and services on 127.0.0.1 (dist/web/main.mjs prints the URL to open).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll, isBuildCurrent } from './build.mjs';
import { runForwarding } from './run-child.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

if (!isBuildCurrent()) {
  // stderr: with --json, stdout carries exactly one JSON line.
  process.stderr.write('building dist/ …\n');
  await buildAll();
}
runForwarding(process.execPath, [path.join(root, 'dist/web/main.mjs'), ...process.argv.slice(2)]);
