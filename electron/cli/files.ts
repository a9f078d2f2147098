import { FileReadError, errnoCode, readFileChecked } from '../services/files';
import { InputError } from './usage-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Keys, JWKS documents and header/payload files are small; the cap stops a huge file from eating memory. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a UTF-8 text file the user named (a leading BOM is dropped). Only a regular file (or a symlink to
 * one) is read: a FIFO, a device such as /dev/zero, a socket or a folder is refused at once, never read
 * (a FIFO with no writer would hang the CLI, /dev/zero never ends) — so process substitution
 * (`--key <(vault read …)`, a pipe) is refused too: write the key to a file instead. Any failure becomes an
 * InputError (exit 2, one line) naming the file, never its content.
 */
export async function readTextFile(path: string, what: string, command: string): Promise<string> {
  let bytes: Buffer | null;
  try {
    bytes = await readFileChecked(path, { maxBytes: MAX_INPUT_FILE_BYTES });
  } catch (err) {
    throw new InputError(describeReadError(err, what, path), command);
  }
  if (bytes === null) throw new InputError(`${what} '${path}' does not exist`, command);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new InputError(`${what} '${path}' is not UTF-8 text`, command);
  }
}

function describeReadError(err: unknown, what: string, path: string): string {
  if (err instanceof FileReadError) {
    switch (err.code) {
      case 'not-a-regular-file':
        return `${what} '${path}' is ${String(err.details?.kind ?? 'a special file')}, not a regular file`;
      case 'too-large':
        return `${what} '${path}' is larger than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB`;
      case 'unreadable':
        return describeFsError(errnoCode(err.cause), what, path);
    }
  }
  return describeFsError(errnoCode(err), what, path);
}

function describeFsError(code: string | undefined, what: string, path: string): string {
  switch (code) {
    case 'ENOENT':
      return `${what} '${path}' does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${what} '${path}': permission denied`;
    case 'EISDIR':
      return `${what} '${path}' is a folder, not a regular file`;
    default:
      return `cannot read ${what} '${path}'${code !== undefined ? ` (${code})` : ''}`;
  }
}
