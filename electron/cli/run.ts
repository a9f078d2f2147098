import { parseCommandArgs, flagOption } from './args';
import type { Command } from './command';
import { COMMANDS } from './commands/index';
import type { CliIo } from './io';
import { UsageError } from './usage-error';
import { VERSION } from './version';

export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `jwtdbg ${VERSION}: decode, verify, sign and lint JSON Web Tokens

Usage: jwtdbg <command> [TOKEN] [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

A token is taken from the TOKEN argument or, without one, from stdin: one token per line, blank
lines skipped, one JSON line printed per token in input order.

Options:
  --json       machine-readable output
  -h, --help   help (also: jwtdbg <command> --help, jwtdbg help <command>)
  --version    print the version

Exit status: 0 ok, 1 invalid token or failed verification, 2 bad usage or unreadable input.`;
}

/**
 * Runs one CLI invocation and returns its exit code. Nothing escapes: usage problems and anything
 * unexpected end as one line on stderr with exit 2, so a user never sees a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch([...argv], io);
  } catch (err) {
    io.stderr.write(`${errorLine(err)}\n`);
    return EXIT_USAGE;
  }
}

/** The one stderr line for an error that ended the run. */
export function errorLine(err: unknown): string {
  if (err instanceof UsageError) {
    const prefix = err.command ? `jwtdbg ${err.command}` : 'jwtdbg';
    const hint = !err.pointsToHelp ? '' : err.command ? ` (see jwtdbg ${err.command} --help)` : ' (see jwtdbg --help)';
    return `${prefix}: ${oneLine(err.message)}${hint}`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return `jwtdbg: unexpected error: ${oneLine(message)}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}...` : flat;
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`missing command: ${commandList()}`);
  if (first === '--version' || first === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return EXIT_OK;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(`${generalHelp()}\n`);
    return EXIT_OK;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic === undefined) {
      io.stdout.write(`${generalHelp()}\n`);
      return EXIT_OK;
    }
    io.stdout.write(`${findCommand(topic).help}\n`);
    return EXIT_OK;
  }
  const command = findCommand(first);
  const args = parseCommandArgs(command.name, rest, command.options);
  if (flagOption(args.values, 'help')) {
    io.stdout.write(`${command.help}\n`);
    return EXIT_OK;
  }
  return command.run(args, io);
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command) return command;
  if (name.startsWith('-')) throw new UsageError(`expected a command before options: ${commandList()}`);
  // Echo the word only when it cannot be a token someone pasted in the wrong place.
  const shown = /^[A-Za-z][A-Za-z-]{0,19}$/.test(name) ? ` '${name}'` : '';
  throw new UsageError(`unknown command${shown}: expected ${commandList()}`);
}

/** "decode, verify, …, or issuer": derived from the registry so a new command is never left out. */
function commandList(): string {
  const names = COMMANDS.map((c) => c.name);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
}
