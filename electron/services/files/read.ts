/**
 * Checked reads of files that services and the CLI did not write themselves this instant (their own data
 * files, a key file the user named): the path is opened WITHOUT blocking (O_NONBLOCK, so a FIFO with no
 * writer cannot hang the open), the opened descriptor is fstat'ed, and anything but a regular file — a FIFO, a
 * socket, a device such as /dev/zero, a folder, or a symlink to one of those — is refused before a byte is
 * read. The size is capped twice: by the fstat size, and while reading, so a file that grows meanwhile cannot
 * exceed the cap either.
 */
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { errnoCode, FileReadError } from './errors';

export interface ReadCheckedOptions {
  /** Largest content accepted, in bytes. */
  maxBytes: number;
  /** 'utf8' returns a string (invalid sequences become U+FFFD); without it, a Buffer. */
  encoding?: 'utf8';
}

const CHUNK_BYTES = 64 * 1024;
// O_NONBLOCK: open a FIFO without waiting for a writer; O_NOCTTY: a terminal never becomes ours. Windows
// has neither (and no FIFOs in the file system).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * The content of `file`, or null when it does not exist. Throws FileReadError: `not-a-regular-file`
 * (details.kind says what it is), `too-large` (details.maxBytes), `unreadable` (details.errno).
 */
export function readFileChecked(file: string, options: ReadCheckedOptions & { encoding: 'utf8' }): Promise<string | null>;
export function readFileChecked(file: string, options: ReadCheckedOptions & { encoding?: undefined }): Promise<Buffer | null>;
export async function readFileChecked(file: string, options: ReadCheckedOptions): Promise<string | Buffer | null> {
  const { maxBytes } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) throw new RangeError('maxBytes must be a non-negative integer');
  let handle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return null;
    // ENXIO: a socket (or a FIFO opened for writing); EISDIR: a folder where the OS will not open one.
    if (code === 'ENXIO' || code === 'EISDIR') throw notRegular(file, code === 'EISDIR' ? 'a folder' : 'a socket or device', error);
    throw unreadable(file, error);
  }
  try {
    let info: Stats;
    try {
      info = await handle.stat();
    } catch (error) {
      throw unreadable(file, error);
    }
    if (!info.isFile()) throw notRegular(file, kindOf(info));
    if (info.size > maxBytes) throw tooLarge(file, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // One byte past the cap is enough to know the file is too large.
      const want = Math.min(CHUNK_BYTES, maxBytes + 1 - total);
      const buffer = Buffer.allocUnsafe(want);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, want, total));
      } catch (error) {
        throw unreadable(file, error);
      }
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(file, maxBytes);
      chunks.push(buffer.subarray(0, bytesRead));
    }
    const content = Buffer.concat(chunks, total);
    return options.encoding === 'utf8' ? content.toString('utf8') : content;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function kindOf(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}

function notRegular(file: string, kind: string, cause?: unknown): FileReadError {
  return new FileReadError('not-a-regular-file', `'${file}' is ${kind}, not a regular file`, { path: file, cause, details: { kind } });
}

function tooLarge(file: string, maxBytes: number): FileReadError {
  return new FileReadError('too-large', `'${file}' is larger than ${formatBytes(maxBytes)}`, { path: file, details: { maxBytes } });
}

function unreadable(file: string, cause: unknown): FileReadError {
  const code = errnoCode(cause);
  const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'error');
  return new FileReadError('unreadable', `cannot read '${file}' (${why})`, { path: file, cause });
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
