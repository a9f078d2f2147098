import type { LintRule } from '../types';
import { memberPath, show } from './token-view';

/** The same claim name twice: JSON.parse keeps the last, other parsers the first (parser differential). */
export const duplicateMember: LintRule = {
  id: 'duplicate-member',
  severity: 'error',
  rfc: 'RFC 7519 §4',
  summary: 'A member name appears twice in one JSON object: parsers disagree on which value wins.',
  target: 'payload',
  check(token) {
    return token.duplicates.map((d) => {
      const text = d.segment === 'payload' ? token.payloadText : token.headerText;
      const line = text === null ? null : lineOf(text, d.textOffset);
      const firstLine = text === null ? null : lineOf(text, d.firstTextOffset);
      const kept = valueAt(d.segment === 'payload' ? token.payload : token.header, [...d.pathSegments, d.name]);
      const where =
        line !== null && firstLine !== null && line !== firstLine ? ` (lines ${firstLine} and ${line})` : '';
      return {
        path: memberPath(d.segment, ...d.pathSegments, d.name),
        message:
          `"${d.name}" appears twice in the same object${where}: JSON.parse keeps the last value (${show(kept, 40)}) but other ` +
          'parsers keep the first, so two services can read different claims from one token. Names must be unique.',
      };
    });
  },
};

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
