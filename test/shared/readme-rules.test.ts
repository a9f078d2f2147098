/**
 * The README's lint-rule table must list exactly the rules of LINT_RULES, in order, with their severity,
 * reference and summary. `UPDATE_README_RULES=1 npx vitest run test/shared/readme-rules.test.ts`
 * rewrites the table from the rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINT_RULES } from '../../shared/lint';
import type { LintRule } from '../../shared/lint';

const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
const START = '<!-- lint-rules:start -->';
const END = '<!-- lint-rules:end -->';
const HEAD = ['| Rule | Severity | Reference | What it flags |', '| --- | --- | --- | --- |'];

/** A table cell: pipes escaped, line breaks flattened, so a summary cannot break the table. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
}

function ruleRow(rule: LintRule): string {
  return `| \`${rule.id}\` | ${rule.severity} | ${cell(rule.rfc)} | ${cell(rule.summary)} |`;
}

function expectedTable(): string {
  return [...HEAD, ...LINT_RULES.map(ruleRow)].join('\n');
}

function tableInReadme(readme: string): string | null {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) return null;
  return readme.slice(start + START.length, end).trim();
}

describe('README lint-rule table', () => {
  if (process.env.UPDATE_README_RULES === '1') {
    const readme = fs.readFileSync(README, 'utf8');
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    if (start !== -1 && end > start) {
      fs.writeFileSync(README, `${readme.slice(0, start + START.length)}\n${expectedTable()}\n${readme.slice(end)}`);
    }
  }

  const readme = fs.readFileSync(README, 'utf8');

  it('has the table between its markers', () => {
    expect(tableInReadme(readme)).not.toBeNull();
  });

  it('lists every rule of LINT_RULES, in order, as the rules describe themselves', () => {
    // On failure the diff shows the table to paste (or run with UPDATE_README_RULES=1).
    expect(tableInReadme(readme)).toBe(expectedTable());
  });

  it('has unique kebab-case rule ids', () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
