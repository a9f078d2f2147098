// In-process tests of the CLI's parts: line reading, colour, error pointing, runCli with fake streams.
import { PassThrough, Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pointAt, describeNumericDate } from '../../electron/cli/format';
import { LineWriter, OversizedLine, readLineBatches, type CliIo, type InputLine } from '../../electron/cli/io';
import { runCli } from '../../electron/cli/run';
import { createStyle } from '../../electron/cli/style';

const A1_TOKEN =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

async function collect(chunks: string[], maxLength?: number): Promise<InputLine[]> {
  const lines: InputLine[] = [];
  for await (const batch of readLineBatches(Readable.from(chunks.map((c) => Buffer.from(c))), maxLength)) lines.push(...batch);
  return lines;
}

class Sink extends Writable {
  text = '';
  isTTY?: boolean;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

function fakeIo(options: { stdin?: string; tty?: boolean; env?: Record<string, string> } = {}) {
  const stdout = new Sink();
  const stderr = new Sink();
  if (options.tty) stdout.isTTY = true;
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const io: CliIo = { stdin, stdout, stderr, env: options.env ?? {} };
  return { io, stdout, stderr };
}

describe('readLineBatches', () => {
  it('joins lines split across chunks, drops CR before LF and blank lines, keeps a last unterminated line', async () => {
    expect(await collect(['aa', 'a.b', 'b\r\n\r\n  \ncc', 'c\n', '\n', 'dd'])).toEqual(['aaa.bb', 'ccc', 'dd']);
  });

  it('keeps a line’s own spacing so error offsets refer to it', async () => {
    expect(await collect(['  Bearer x.y.z \n'])).toEqual(['  Bearer x.y.z ']);
  });

  it('decodes UTF-8 split between chunks', async () => {
    const bytes = Buffer.from('é\n');
    const stream = Readable.from([bytes.subarray(0, 1), bytes.subarray(1)]);
    const lines: InputLine[] = [];
    for await (const batch of readLineBatches(stream)) lines.push(...batch);
    expect(lines).toEqual(['é']);
  });

  it('puts an OversizedLine (its length only) in place of a line over the limit, and reads on', async () => {
    // Over the limit within one chunk, across chunks, at the end without a newline; CR not counted.
    const lines = await collect(['abcd\n', 'x'.repeat(12), '\nefgh\r\n', 'yyy', 'yyy\r', '\nij\n', 'z'.repeat(9)], 5);
    expect(lines).toEqual(['abcd', new OversizedLine(12), 'efgh', new OversizedLine(6), 'ij', new OversizedLine(9)]);
    // Exactly at the limit is fine, with or without a CR.
    expect(await collect(['12345\r\n12345\n'], 5)).toEqual(['12345', '12345']);
  });
});

describe('LineWriter', () => {
  it('writes in chunks and waits for drain when the reader is slow', async () => {
    const writes: string[] = [];
    const slow = new Writable({
      highWaterMark: 8,
      write(chunk: Buffer, _enc, done) {
        writes.push(chunk.toString());
        setTimeout(done, 5);
      },
    });
    const out = new LineWriter(slow, 16);
    for (let i = 0; i < 10; i++) await out.line(`line-${i}`);
    await out.flush();
    expect(writes.join('')).toBe(Array.from({ length: 10 }, (_, i) => `line-${i}\n`).join(''));
    expect(writes.length).toBeLessThan(10);
  });
});

describe('style', () => {
  it('colours only a terminal, and not when NO_COLOR is set', () => {
    expect(createStyle(true, {}).bad('x')).toBe('\x1b[31mx\x1b[39m');
    expect(createStyle(true, { NO_COLOR: '1' }).bad('x')).toBe('x');
    expect(createStyle(false, {}).bad('x')).toBe('x');
    // no-color.org: an empty NO_COLOR does not disable colour.
    expect(createStyle(true, { NO_COLOR: '' }).ok('x')).toBe('\x1b[32mx\x1b[39m');
  });
});

describe('format', () => {
  it('puts the caret under the offending character, with an ellipsis when cut', () => {
    const text = `${'a'.repeat(100)}%${'b'.repeat(100)}`;
    const [excerpt, caret] = pointAt(text, 100, 10).split('\n') as [string, string];
    expect(excerpt[caret.indexOf('^')]).toBe('%');
    expect(excerpt.startsWith('  …')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    const [short, shortCaret] = pointAt('ab%', 2).split('\n') as [string, string];
    expect(short[shortCaret.indexOf('^')]).toBe('%');
  });

  it('spells out a NumericDate relative to now', () => {
    expect(describeNumericDate(1300819380, 1300819380 - 120)).toBe('2011-03-22T18:43:00Z (in 2 minutes)');
    expect(describeNumericDate(1300819380, 1300819380 + 86400 * 3)).toBe('2011-03-22T18:43:00Z (3 days ago)');
    expect(describeNumericDate(1e300, 0)).toBe('not a representable date');
  });
});

describe('runCli', () => {
  it('colours readable output on a terminal unless NO_COLOR is set', async () => {
    const tty = fakeIo({ tty: true });
    expect(await runCli(['lint', 'eyJhbGciOiJub25lIn0.e30.', '--now', '0'], tty.io)).toBe(0);
    expect(tty.stdout.text).toContain('\x1b[');
    const noColor = fakeIo({ tty: true, env: { NO_COLOR: '1' } });
    expect(await runCli(['lint', 'eyJhbGciOiJub25lIn0.e30.', '--now', '0'], noColor.io)).toBe(0);
    expect(noColor.stdout.text).not.toContain('\x1b[');
    expect(noColor.stdout.text.replace(/\x1b\[\d+m/g, '')).toBe(tty.stdout.text.replace(/\x1b\[\d+m/g, ''));
  });

  it('refuses to wait on a terminal stdin when no TOKEN is given', async () => {
    const { io, stderr } = fakeIo();
    (io.stdin as Readable & { isTTY?: boolean }).isTTY = true;
    expect(await runCli(['decode'], io)).toBe(2);
    expect(stderr.text).toMatch(/^jwtdbg decode: no TOKEN given/);
  });

  it('turns an unexpected failure into one line and exit 2', async () => {
    const { io, stderr } = fakeIo();
    const broken = new PassThrough();
    io.stdin = broken;
    const run = runCli(['decode'], io);
    broken.destroy(new Error('disk on fire\n    at somewhere (file.js:1:1)'));
    expect(await run).toBe(2);
    expect(stderr.text).toBe('jwtdbg: unexpected error: disk on fire at somewhere (file.js:1:1)\n');
  });

  it('answers a batch read from the stream in order', async () => {
    const { io, stdout } = fakeIo({ stdin: `${A1_TOKEN}\n\nnope\n` });
    expect(await runCli(['decode', '--json'], io)).toBe(1);
    const lines = stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { kind: string | null });
    expect(lines.map((l) => l.kind)).toEqual(['jws', null]);
  });
});
