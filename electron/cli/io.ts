import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { LIMITS } from '../../shared/contract/methods';

/** The process surface the CLI touches, injected so the same code runs under tests and as a binary. */
export interface CliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/**
 * Collects output lines and writes them in chunks: one write per line costs a syscall each, which
 * dominates a 100k-token batch. `flush` honours backpressure so a slow reader bounds our memory.
 */
export class LineWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: Writable,
    private readonly chunkSize = 64 * 1024,
  ) {}

  /** Queues one line; resolves after a flush when the chunk is full. */
  async line(text: string): Promise<void> {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.size === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}

/**
 * The longest line read as a token: the bound the app's host contract puts on a token, so the CLI takes
 * what the app takes. A longer line is answered as too large (its text is not kept), never buffered whole.
 */
export const MAX_LINE_LENGTH = LIMITS.token;

/** A line over the length limit, in place of its text: only its length was kept. */
export class OversizedLine {
  constructor(readonly length: number) {}
}

export type InputLine = string | OversizedLine;

/**
 * Yields the non-blank lines of a stream, one batch per chunk read, so the caller can flush output
 * once per chunk: streaming for an interactive pipe, few writes for a big file. Memory stays at one
 * chunk plus the line being assembled, itself at most `maxLength` characters: a longer line becomes an
 * OversizedLine in its place. Lines keep their own spacing (minus a CR before the LF) so error offsets
 * refer to the line as given.
 */
export async function* readLineBatches(stream: Readable, maxLength = MAX_LINE_LENGTH): AsyncGenerator<InputLine[]> {
  stream.setEncoding('utf8');
  // The line being assembled: its pieces, or once it has outgrown the limit only its length.
  let pieces: string[] = [];
  let length = 0;
  let oversized = false;
  let endsWithCr = false;

  const append = (piece: string): void => {
    if (piece === '') return;
    length += piece.length;
    endsWithCr = piece.charCodeAt(piece.length - 1) === 13;
    if (oversized) return;
    // + 1: a CR before the LF is not part of the line.
    if (length > maxLength + 1) {
      oversized = true;
      pieces = [];
    } else pieces.push(piece);
  };
  const finish = (lines: InputLine[]): void => {
    const lineLength = endsWithCr ? length - 1 : length;
    if (oversized || lineLength > maxLength) lines.push(new OversizedLine(lineLength));
    else if (length > 0) {
      const raw = pieces.length === 1 ? pieces[0]! : pieces.join('');
      const line = endsWithCr ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') lines.push(line);
    }
    pieces = [];
    length = 0;
    oversized = false;
    endsWithCr = false;
  };

  for await (const chunk of stream as AsyncIterable<string>) {
    const lines: InputLine[] = [];
    let from = 0;
    for (let lf = chunk.indexOf('\n'); lf !== -1; lf = chunk.indexOf('\n', from)) {
      append(chunk.slice(from, lf));
      finish(lines);
      from = lf + 1;
    }
    if (from < chunk.length) append(chunk.slice(from));
    if (lines.length > 0) yield lines;
  }
  const last: InputLine[] = [];
  finish(last);
  if (last.length > 0) yield last;
}
