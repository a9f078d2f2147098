/**
 * Bad usage or unreadable input: exit code 2 and one line on stderr. The message must name what is
 * wrong without echoing a token or key material.
 */
import { WorkbenchError } from '../../shared/core/errors';
export class UsageError extends WorkbenchError<'usage'> {
  override readonly name: string = 'UsageError';
  /** Whether the command's help would tell the user how to fix this (adds a "see --help" hint). */
  readonly pointsToHelp: boolean = true;
  /** The command whose help applies, if any. */
  readonly command: string | null;

  constructor(message: string, command: string | null = null) {
    super('usage', message);
    this.command = command;
  }
}

/** Input given in the right place that cannot be used: a missing file, a key that is not a key. */
export class InputError extends UsageError {
  override readonly name = 'InputError';
  override readonly pointsToHelp = false;
}
