/** Text renderings of decoded values for the read-only panes. */

/** A classic hex dump (offset, 16 bytes, ASCII), cut after `maxBytes` so a huge payload stays cheap. */
export function hexDump(bytes: Uint8Array, maxBytes = 4096): string {
  // Built with lookup tables and string concatenation: it runs on every keystroke that breaks a large
  // payload's UTF-8, where the per-byte arrays of a naive version cost milliseconds.
  const lines: string[] = [];
  const end = Math.min(bytes.length, maxBytes);
  for (let offset = 0; offset < end; offset += 16) {
    const rowEnd = Math.min(offset + 16, end);
    let hex = '';
    let ascii = '';
    for (let i = offset; i < rowEnd; i++) {
      const b = bytes[i]!;
      hex += i === offset ? HEX[b] : ` ${HEX[b]}`;
      ascii += ASCII[b];
    }
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > end) lines.push(`… ${bytes.length - end} more bytes`);
  return lines.join('\n');
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lower-case hex of every byte, no separators. */
export function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}
const ASCII = Array.from({ length: 256 }, (_, b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'));

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
