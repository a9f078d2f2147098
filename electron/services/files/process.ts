import { errnoCode } from './errors';

/** Whether a process with this pid exists on this host (signal 0 probes without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM'; // exists, owned by someone else
  }
}
