/** Text renderings of decoded values for the read-only panes. */

/** Indented JSON; values JSON cannot express (there are none after JSON.parse) fall back to String. */
export function prettyJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/** A classic hex dump (offset, 16 bytes, ASCII), cut after `maxBytes` so a huge payload stays cheap. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const row = bytes.subarray(offset, Math.min(offset + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

/** `segment header, offset 12 (line 1, column 5)`: where a decode error is, in words. */
export function describeLocation(where: {
  segment: string | null;
  offset: number | null;
  line?: number;
  column?: number;
}): string {
  const parts: string[] = [];
  if (where.segment) parts.push(`segment ${where.segment}`);
  if (where.offset !== null) parts.push(`offset ${where.offset}`);
  let text = parts.join(', ');
  if (where.line !== undefined && where.column !== undefined) {
    text += `${text ? ' ' : ''}(line ${where.line}, column ${where.column})`;
  }
  return text;
}
