import { LineWriter, readLineBatches, type CliIo } from './io';
import { createStyle, type Style } from './style';
import { UsageError } from './usage-error';

/** What a token command does with one token, and how it prints the outcome. */
export interface TokenHandler<R> {
  handle(text: string): Promise<R> | R;
  /** Decides the exit code: 1 when any token is not ok. */
  ok(result: R): boolean;
  json(result: R): unknown;
  text(result: R, style: Style): string;
}

/**
 * Runs a handler on the TOKEN argument, or else on every non-blank stdin line. A batch always
 * prints one JSON line per token, in input order (readable text has no line-per-token shape),
 * and reads, handles and writes as it goes so memory stays bounded for any number of tokens.
 */
export async function runOnTokens<R>(
  io: CliIo,
  command: string,
  token: string | undefined,
  asJson: boolean,
  handler: TokenHandler<R>,
): Promise<number> {
  const out = new LineWriter(io.stdout);
  if (token !== undefined) {
    const result = await handler.handle(token);
    await out.line(asJson ? JSON.stringify(handler.json(result)) : handler.text(result, createStyle(io.stdout.isTTY, io.env)));
    await out.flush();
    return handler.ok(result) ? 0 : 1;
  }
  if (io.stdin.isTTY) {
    throw new UsageError('no TOKEN given: pass one as an argument or pipe tokens on stdin, one per line', command);
  }
  let count = 0;
  let failed = false;
  for await (const lines of readLineBatches(io.stdin)) {
    for (const line of lines) {
      const result = await handler.handle(line);
      if (!handler.ok(result)) failed = true;
      count++;
      await out.line(JSON.stringify(handler.json(result)));
    }
    await out.flush();
  }
  if (count === 0) throw new UsageError('no token on stdin (expected one per line)', command);
  return failed ? 1 : 0;
}
