/** Small text-formatting helpers for the readable (non-JSON) output. */
import type { TokenErrorInfo } from '../../shared/core/errors';

/** `base64url-invalid-char (payload, offset 22): message`: a decode error (or a runner's TokenFailure) in one line. */
export function describeTokenError(error: Pick<TokenErrorInfo, 'message' | 'segment' | 'offset'> & { code: string }): string {
  const where = [error.segment, error.offset !== null ? `offset ${error.offset}` : null].filter(Boolean).join(', ');
  return `${error.code}${where ? ` (${where})` : ''}: ${error.message}`;
}

/** A NumericDate as an ISO instant plus how far it is from `now`, e.g. `2011-03-22T18:43:00Z (13 years ago)`. */
export function describeNumericDate(seconds: number, now: number): string {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'not a representable date';
  const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
  return `${iso} (${relative(seconds - now)})`;
}

function relative(delta: number): string {
  const abs = Math.abs(delta);
  const units: [number, string][] = [
    [365 * 86400, 'year'],
    [30 * 86400, 'month'],
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  if (abs < 1) return 'now';
  const [size, name] = units.find(([size]) => abs >= size) ?? [1, 'second'];
  const n = Math.floor(abs / size);
  const amount = `${n} ${name}${n === 1 ? '' : 's'}`;
  return delta < 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * Two lines showing where in `text` an error sits: an excerpt around `offset` and a caret under it.
 * Goes to stdout with the result (the user's own token), never to stderr.
 */
export function pointAt(text: string, offset: number, radius = 32): string {
  const at = Math.max(0, Math.min(offset, text.length));
  const start = Math.max(0, at - radius);
  const end = Math.min(text.length, at + radius);
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  const excerpt = text.slice(start, end).replace(/[\r\n\t]/g, ' ');
  return `  ${lead}${excerpt}${tail}\n  ${' '.repeat(lead.length + at - start)}^`;
}

/** Indents every line of a block. */
export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => by + line)
    .join('\n');
}
