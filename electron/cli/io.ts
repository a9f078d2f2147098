import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

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
 * Yields the non-blank lines of a stream, one batch per chunk read, so the caller can flush output
 * once per chunk: streaming for an interactive pipe, few writes for a big file. Memory stays at one
 * chunk plus the line being assembled. Lines keep their own spacing (minus a CR before the LF) so
 * error offsets refer to the line as given.
 */
export async function* readLineBatches(stream: Readable): AsyncGenerator<string[]> {
  stream.setEncoding('utf8');
  let partial: string[] = [];
  for await (const chunk of stream as AsyncIterable<string>) {
    const lastBreak = chunk.lastIndexOf('\n');
    if (lastBreak === -1) {
      partial.push(chunk);
      continue;
    }
    const complete = partial.join('') + chunk.slice(0, lastBreak);
    partial = lastBreak + 1 < chunk.length ? [chunk.slice(lastBreak + 1)] : [];
    const lines: string[] = [];
    for (const raw of complete.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') lines.push(line);
    }
    if (lines.length > 0) yield lines;
  }
  const last = partial.join('');
  const line = last.endsWith('\r') ? last.slice(0, -1) : last;
  if (line.trim() !== '') yield [line];
}
