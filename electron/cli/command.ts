import type { OptionSpec, ParsedArgs } from './args';
import type { CliIo } from './io';

/** One `jwtdbg` subcommand: its flags, its help text and what it does. Returns the exit code. */
export interface Command {
  name: string;
  summary: string;
  help: string;
  options: OptionSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}
