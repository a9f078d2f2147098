#!/usr/bin/env node
/**
 * `npm run electronegativity` (part of `npm test`): Doyensec's Electronegativity over the Electron sources,
 * assuming the Electron version pinned in package.json. It fails on any finding that
 * build/electronegativity-allow.json does not list (by check id and file, each with its reason), on an
 * allow-list entry that no longer matches a finding (so the list cannot go stale), and on any file the
 * scanner could not parse (a file it cannot read is a file it did not check).
 *
 * It scans the TypeScript sources, not dist/: its parser cannot read the ES2022 bundles.
 *
 * Offline by construction. Electronegativity asks a web server for updated translations on every run
 * (with its bundled en-US strings as the fallback) and its AvailableSecurityFixesGlobalCheck downloads
 * Electron's release list. The second is not run (the Electron pin is kept current by
 * build/electron-support.json and its test); the first is refused by the network guard loaded below
 * before anything leaves the machine, so a run is the same with or without a network.
 *
 *   node scripts/electronegativity.mjs [--input DIR] [--allow FILE]   (defaults: electron/, the allow-list)
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Before Electronegativity loads: every connection it tries is checked (and refused) from here on.
const guard = require('../test/e2e/net-guard.cjs');

/** Not run: it downloads Electron's release list (see above). */
const EXCLUDED_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

const { values } = parseArgs({
  options: {
    input: { type: 'string', default: path.join(repoRoot, 'electron') },
    allow: { type: 'string', default: path.join(repoRoot, 'build/electronegativity-allow.json') },
  },
});
const input = path.resolve(values.input);

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const electronVersion = pkg.devDependencies?.electron;
if (!/^\d+\.\d+\.\d+$/.test(electronVersion ?? '')) {
  fail([`package.json must pin electron to an exact version (found ${JSON.stringify(electronVersion)})`]);
}

/** @type {{ id: string; file: string; reason: string }[]} */
const allowed = JSON.parse(fs.readFileSync(values.allow, 'utf8')).findings;
const badEntries = allowed.filter((e) => typeof e.id !== 'string' || typeof e.file !== 'string' || typeof e.reason !== 'string' || e.reason.trim().length < 20);
if (badEntries.length > 0) {
  fail(badEntries.map((e) => `allow-list entry without a check id, a file and a reason: ${JSON.stringify(e)}`));
}

// The scanner resolves translations from LANG; its bundled locales are en-US, es-ES and fr-FR.
process.env.LANG = 'en-US';
const run = require('@doyensec/electronegativity'); // runner.js: module.exports = run
const result = await quietly(() =>
  run({
    input,
    customScan: [],
    excludeFromScan: EXCLUDED_CHECKS,
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  }),
);

const problems = [];
for (const error of result.errors) {
  problems.push(`could not parse ${path.relative(repoRoot, error.file)}: ${error.message}`);
}
if (result.atomicChecks === 0) problems.push('no checks were loaded');

/** A finding's file as a repository path (global checks have none: "N/A"). */
const fileOf = (issue) => (issue.file === 'N/A' ? 'N/A' : path.relative(repoRoot, path.resolve(input, issue.file)).split(path.sep).join('/'));
const findings = result.issues.map((issue) => ({
  id: issue.id,
  file: fileOf(issue),
  where: `${fileOf(issue)}:${issue.location.line}:${issue.location.column}`,
  description: issue.description,
}));
const isAllowed = (f) => allowed.some((e) => e.id === f.id && e.file === f.file);
for (const f of findings.filter((f) => !isAllowed(f))) {
  problems.push(`${f.id} at ${f.where}: ${f.description} — fix it, or add { "id", "file", "reason" } to ${path.relative(repoRoot, values.allow)}`);
}
for (const e of allowed.filter((e) => !findings.some((f) => f.id === e.id && f.file === e.file))) {
  problems.push(`allow-list entry ${e.id} for ${e.file} matches no finding any more: remove it`);
}

const refused = [...new Set(guard.refused.map((r) => r.host))];
const scanned = path.relative(repoRoot, input) || '.';
if (problems.length > 0) fail(problems);
console.log(
  `electronegativity: ${scanned}/ with Electron ${electronVersion}: ${findings.length} finding(s), all allowed with a reason` +
    (refused.length > 0 ? `; network refused to it: ${refused.join(', ')}` : ''),
);

function fail(lines) {
  console.error(`electronegativity: ${lines.length} problem(s)\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  process.exit(1);
}

/** Runs `fn` with the scanner's one console line about its refused translation download left out. */
async function quietly(fn) {
  const log = console.log;
  console.log = (...args) => {
    if (args.length === 1 && args[0] === 'Could not retrieve updated translations for the current locale') return;
    log(...args);
  };
  try {
    return await fn();
  } finally {
    console.log = log;
  }
}
