/**
 * Errors of the file helpers, in the project's one error family. Callers that own a domain (the key store,
 * the issuer's store, the CLI) map them to their own codes; the message already names the file and, for a
 * lock, who holds it — never the file's content.
 */
import { WorkbenchError } from '../../../shared/core/errors';

export type FileLockErrorCode =
  | 'locked' // another live process (or another holder in this one) holds the lock past the wait
  | 'lock-failed'; // the lock file could not be created or read (permissions, disk, not a regular file)

/** Who holds a lock, as read from its lock file (null members when the file is empty or half-written). */
export interface LockHolder {
  pid: number | null;
  host: string | null;
  since: string | null;
}

export class FileLockError extends WorkbenchError<FileLockErrorCode> {
  override readonly name = 'FileLockError';
  /** The lock file. */
  readonly lockPath: string;
  /** For `locked`: the holder seen last; null when the lock file had no readable owner. */
  readonly holder: LockHolder | null;

  constructor(
    code: FileLockErrorCode,
    message: string,
    options: { lockPath: string; holder?: LockHolder | null; cause?: unknown },
  ) {
    super(code, message, {
      cause: options.cause,
      details: { lockPath: options.lockPath, holder: options.holder ?? null, errno: errnoCode(options.cause) ?? null },
    });
    this.lockPath = options.lockPath;
    this.holder = options.holder ?? null;
  }
}

export type FileReadErrorCode =
  | 'not-a-regular-file' // a FIFO, socket, device or directory (or a symlink to one): refused unread
  | 'too-large' // larger than the caller's maxBytes (by size, or grew past it while being read)
  | 'unreadable'; // the OS refused (permissions, I/O error, …); details.errno says which

export class FileReadError extends WorkbenchError<FileReadErrorCode> {
  override readonly name = 'FileReadError';
  readonly path: string;

  constructor(code: FileReadErrorCode, message: string, options: { path: string; cause?: unknown; details?: Record<string, unknown> }) {
    super(code, message, {
      cause: options.cause,
      details: { path: options.path, errno: errnoCode(options.cause) ?? null, ...options.details },
    });
    this.path = options.path;
  }
}

/** The errno code of a Node system error (`ENOENT`, `EACCES`, …), if it is one. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}
