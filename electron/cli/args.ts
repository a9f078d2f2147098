import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

/** Options every command takes. */
const COMMON: OptionSpec = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Strict parse: an unknown flag or a missing value is a UsageError (exit 2), in one line. */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...COMMON, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (err) {
    throw new UsageError(describeParseError(err), command);
  }
}

// node:util's messages span several lines and suggest `--` tricks; keep the one fact that matters.
function describeParseError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const quoted = /'(-[^' ]*)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted) return `unknown option '${quoted}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted) {
    if (message.includes('does not take an argument')) return `option '${quoted}' does not take a value`;
    if (message.includes('ambiguous')) return `option '${quoted}' needs a value (write ${quoted}=VALUE for one starting with '-')`;
    return `option '${quoted}' needs a value`;
  }
  return message.split('\n')[0] ?? 'invalid arguments';
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

export function flagOption(values: OptionValues, name: string): boolean {
  return values[name] === true;
}

/** At most one TOKEN; extra positionals are not echoed back (they may be tokens). */
export function singleTokenArgument(command: string, positionals: string[]): string | undefined {
  if (positionals.length > 1) {
    throw new UsageError(`expected at most one TOKEN argument, got ${positionals.length} (pipe several on stdin, one per line)`, command);
  }
  return positionals[0];
}
