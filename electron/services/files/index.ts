/**
 * The services' file helpers — one implementation for every store (key store, history, issuer state) and
 * for the CLI's input files:
 *   - writeFileAtomic / removeOrphanTemps: crash-safe replacement (temp, fsync, rename, fsync of the folder).
 *   - acquireLock: an exclusive lock file with a safe stale-lock break; FileLockError `locked` names the holder.
 *   - readFileChecked: a bounded read that refuses FIFOs, devices, sockets and folders without blocking.
 * Errors are WorkbenchErrors (FileLockError, FileReadError); a write's Node system error is passed through.
 */
export { writeFileAtomic, removeOrphanTemps, syncDirectory, type AtomicWriteOptions } from './atomic-write';
export { acquireLock, describeHolder, type HeldLock, type LockOptions } from './lock';
export { readFileChecked, type ReadCheckedOptions } from './read';
export { isProcessAlive } from './process';
export {
  errnoCode,
  FileLockError,
  FileReadError,
  type FileLockErrorCode,
  type FileReadErrorCode,
  type LockHolder,
} from './errors';
