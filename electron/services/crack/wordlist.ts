/**
 * Wordlist files, streamed: read in fixed-size buffers, each cut after its last LF (the partial line moves
 * on to the next buffer) and handed on whole — the buffer is moved to a worker, not copied — so a file of
 * any size is scanned in bounded memory: a few buffers per worker. CRLF and LF both end a line; a UTF-8 BOM
 * at the start of the file is not part of the first secret.
 */
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { errnoCode } from '../files';
import { CrackError } from './errors';
import type { CandidateChunk } from './pool';

/** Bytes read at a time; also the longest line scanned (a longer one is skipped and reported). */
export const WORDLIST_CHUNK_BYTES = 256 * 1024;

// As the services' checked reads (files/read.ts): a FIFO cannot hang the open, a terminal never becomes ours.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Opens a wordlist: a regular file (or a symlink to one) only — a FIFO, a device or a folder is refused
 * unread. Throws CrackError `wordlist-unreadable` naming the file as given.
 */
export async function openWordlist(file: string): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (error) {
    throw unreadable(file, error);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new CrackError('wordlist-unreadable', `wordlist '${file}' is ${kindOf(info)}, not a regular file`);
    return handle;
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error instanceof CrackError ? error : unreadable(file, error);
  }
}

/** Checks that a wordlist can be opened and read (before a scan starts, so a typo fails at once). */
export async function checkWordlist(file: string): Promise<void> {
  const handle = await openWordlist(file);
  await handle.close().catch(() => undefined);
}

export interface WordlistOptions {
  chunkBytes?: number;
  /** Called for each line longer than the chunk size, which is skipped. */
  onLongLine?: () => void;
}

/** The file's lines as chunks of `source`. */
export async function* wordlistChunks(file: string, source: number, options: WordlistOptions = {}): AsyncGenerator<CandidateChunk> {
  const chunkBytes = options.chunkBytes ?? WORDLIST_CHUNK_BYTES;
  const handle = await openWordlist(file);
  try {
    let carry: Uint8Array | null = null;
    let skipping = false; // inside a line too long to scan: dropped up to its LF
    let first = true;
    for (;;) {
      // A buffer of its own (not Buffer's shared pool), so it can be moved to a worker.
      const buffer = Buffer.allocUnsafeSlow(chunkBytes);
      let end = 0;
      if (carry !== null) {
        buffer.set(carry);
        end = carry.length;
        carry = null;
      }
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, end, chunkBytes - end, null));
      } catch (error) {
        throw unreadable(file, error);
      }
      if (bytesRead === 0) {
        // The end of the file: what is left is its last line (it had no LF).
        if (end > 0 && !skipping) yield { bytes: buffer.subarray(0, end), source, transfer: true };
        return;
      }
      end += bytesRead;
      let start = 0;
      if (first) {
        first = false;
        if (end >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) start = 3;
      }
      if (skipping) {
        const lf = buffer.indexOf(10, start);
        if (lf === -1 || lf >= end) continue;
        start = lf + 1;
        skipping = false;
      }
      const lastLf = buffer.lastIndexOf(10, end - 1);
      if (lastLf < start) {
        // No complete line yet: keep it for the next read, unless it already fills a whole buffer.
        if (end - start >= chunkBytes) {
          skipping = true;
          options.onLongLine?.();
        } else carry = new Uint8Array(buffer.subarray(start, end));
        continue;
      }
      if (lastLf + 1 < end) carry = new Uint8Array(buffer.subarray(lastLf + 1, end));
      yield { bytes: buffer.subarray(start, lastLf + 1), source, transfer: true };
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function unreadable(file: string, error: unknown): CrackError {
  const code = errnoCode(error);
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'cannot be read: permission denied'
        : code === 'EISDIR'
          ? 'is a folder, not a regular file'
          : code === 'ENXIO'
            ? 'is a socket or device, not a regular file'
            : `cannot be read (${code ?? 'error'})`;
  return new CrackError('wordlist-unreadable', `wordlist '${file}' ${why}`, { cause: error });
}

function kindOf(info: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'a special file';
}
