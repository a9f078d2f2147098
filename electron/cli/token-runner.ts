import { describeTokenError } from './format';
import { LineWriter, MAX_LINE_LENGTH, OversizedLine, readLineBatches, type CliIo, type InputLine } from './io';
import { createStyle, type Style } from './style';
import { UsageError } from './usage-error';

/** Why the runner answered for a token itself: a line over the length limit, or a handler that threw. */
export type TokenFailureCode = 'token-too-large' | 'internal-error';

/** Shaped like a TokenErrorInfo, so it takes the place of one in a command's `error` member. */
export interface TokenFailure {
  code: TokenFailureCode;
  message: string;
  segment: 'input';
  offset: null;
}

/** What a token command does with one token, and how it prints the outcome. */
export interface TokenHandler<R> {
  handle(text: string): Promise<R> | R;
  /** Decides the exit code: 1 when any token is not ok. */
  ok(result: R): boolean;
  json(result: R): unknown;
  text(result: R, style: Style): string;
  /** The command's JSON for a token it could not handle: its usual shape for a failed token, `error` set. */
  failure(error: TokenFailure): unknown;
}

/**
 * Runs a handler on the TOKEN argument, or else on every non-blank stdin line. A batch always
 * prints one JSON line per token, in input order (readable text has no line-per-token shape),
 * and reads, handles and writes as it goes so memory stays bounded for any number of tokens.
 * One token never ends the run: a line too long to read, or a handler that throws (a defect),
 * becomes that token's failed line (exit 1), and the next token is handled.
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
    const style = createStyle(io.stdout.isTTY, io.env);
    const answer = await answerToken(
      handler,
      token,
      asJson ? (result) => JSON.stringify(handler.json(result)) : (result) => handler.text(result, style),
      asJson ? (failure) => JSON.stringify(handler.failure(failure)) : (failure) => style.bad(`error ${describeTokenError(failure)}`),
    );
    await out.line(answer.line);
    await out.flush();
    return answer.ok ? 0 : 1;
  }
  if (io.stdin.isTTY) {
    throw new UsageError('no TOKEN given: pass one as an argument or pipe tokens on stdin, one per line', command);
  }
  const toJson = (result: R): string => JSON.stringify(handler.json(result));
  const failureJson = (failure: TokenFailure): string => JSON.stringify(handler.failure(failure));
  let count = 0;
  let failed = false;
  for await (const lines of readLineBatches(io.stdin)) {
    for (const line of lines) {
      const answer = await answerToken(handler, line, toJson, failureJson);
      if (!answer.ok) failed = true;
      count++;
      await out.line(answer.line);
    }
    await out.flush();
  }
  if (count === 0) throw new UsageError('no token on stdin (expected one per line)', command);
  return failed ? 1 : 0;
}

/** One token's output line and whether it was ok. Never throws: a failure is rendered in the token's place. */
async function answerToken<R>(
  handler: TokenHandler<R>,
  input: InputLine,
  render: (result: R) => string,
  renderFailure: (failure: TokenFailure) => string,
): Promise<{ line: string; ok: boolean }> {
  if (input instanceof OversizedLine) return { line: renderFailure(tooLarge(input)), ok: false };
  try {
    const result = await handler.handle(input);
    // Rendering is inside the try too: printing a result can throw (JSON.stringify of a value nested too deep).
    return { line: render(result), ok: handler.ok(result) };
  } catch (error) {
    return { line: renderFailure(internalError(error)), ok: false };
  }
}

function tooLarge(line: OversizedLine): TokenFailure {
  return {
    code: 'token-too-large',
    message: `The line is ${line.length} characters long: at most ${MAX_LINE_LENGTH} are read as one token`,
    segment: 'input',
    offset: null,
  };
}

/** The error's class only: its message may quote the token, and a token is a credential. */
function internalError(error: unknown): TokenFailure {
  const kind = error instanceof Error ? error.name : typeof error;
  return {
    code: 'internal-error',
    message: `This token could not be processed: an internal error (${kind}) in jwtdbg; please report it`,
    segment: 'input',
    offset: null,
  };
}
