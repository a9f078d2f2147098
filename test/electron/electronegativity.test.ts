/**
 * The Electronegativity gate of `npm test` (scripts/electronegativity.mjs) fails when it should: on an
 * unsafe BrowserWindow it was not told about, on a file it cannot parse, and on an allow-list entry that
 * no longer matches anything. (That it passes on electron/ itself is `npm run electronegativity`, in
 * `npm test`.)
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { repoRoot } from './cli-harness';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-electronegativity-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('fails on an unlisted finding, an unparsable file and a stale allow-list entry, naming each', { timeout: 60_000 }, () => {
  const input = path.join(dir, 'electron');
  fs.mkdirSync(path.join(input, 'main'), { recursive: true });
  fs.writeFileSync(
    path.join(input, 'main/window.ts'),
    [
      "import { BrowserWindow } from 'electron';",
      'export function open(url: string): BrowserWindow {',
      '  const window = new BrowserWindow({ webPreferences: { sandbox: false, contextIsolation: false } satisfies Record<string, boolean> });',
      '  void window.loadURL(url);',
      '  return window;',
      '}',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(path.join(input, 'main/broken.ts'), 'export const x = ;\n');
  const allow = path.join(dir, 'allow.json');
  fs.writeFileSync(
    allow,
    JSON.stringify({ findings: [{ id: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/index.ts', reason: 'an entry for a file this scan does not have' }] }),
  );

  const r = spawnSync(process.execPath, [path.join(repoRoot, 'scripts/electronegativity.mjs'), '--input', input, '--allow', allow], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  expect(r.status, r.stdout + r.stderr).toBe(1);
  const fixture = path.relative(repoRoot, path.join(input, 'main/window.ts'));
  expect(r.stderr).toContain(`SANDBOX_JS_CHECK at ${fixture}:3:`);
  expect(r.stderr).toContain(`CONTEXT_ISOLATION_JS_CHECK at ${fixture}:3:`);
  expect(r.stderr).toMatch(/could not parse .*main\/broken\.ts/);
  expect(r.stderr).toContain('allow-list entry OPEN_EXTERNAL_JS_CHECK for electron/main/index.ts matches no finding any more');
});
