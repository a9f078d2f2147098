/**
 * A pool of scan workers (one per core by default) and the scan itself: candidate chunks are handed to
 * whichever worker has the least work queued (two chunks each, so none waits for the next one), the first
 * match stops every worker through a shared flag, and progress is the running count of lines tried.
 * The workers outlive a scan — a batch of tokens pays their start-up once — and are unref'd while idle, so
 * a pool that is never closed does not keep the process alive. While no worker is running yet (a new
 * worker takes tens of milliseconds to start), this thread scans chunks itself rather than wait.
 */
import { hash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CrackError } from './errors';
import { createHmacScanner, type HmacScanner } from './hmac-scanner';
import type { HmacTarget } from './target';
import { WORKER_SOURCE, type FromWorker, type ToWorker } from './worker';

/** Whole candidate lines: cut just after an LF, or at the end of their source. */
export interface CandidateChunk {
  bytes: Uint8Array;
  /** Which of the caller's sources the lines come from. */
  source: number;
  /** The chunk owns its ArrayBuffer: it is moved to the worker instead of copied. */
  transfer?: boolean;
}

export interface PoolScan {
  /** Lines tried by all workers together. */
  tried: number;
  /** The matching line's bytes and source, or null. */
  match: { bytes: Uint8Array; source: number } | null;
}

export interface PoolScanOptions {
  /** Stops the scan: it then rejects with the signal's reason, once the workers have stopped. */
  signal?: AbortSignal;
  /** Called with the lines tried so far, as each chunk is done (from an event handler: it must not throw). */
  onProgress?: (tried: number) => void;
}

/** Chunks queued per worker. */
const DEPTH = 2;

interface PooledWorker {
  worker: Worker;
  queued: number;
  /** Running JavaScript: its queued chunks are being worked on. */
  online: boolean;
  dead: boolean;
}

/** The scan in progress: what the worker event handlers report to. */
interface ActiveScan {
  done(member: PooledWorker, answer: FromWorker): void;
  failed(member: PooledWorker, error: unknown): void;
}

export class ScanPool {
  readonly size: number;
  private members: PooledWorker[] = [];
  private active: ActiveScan | null = null;
  private scanCount = 0;
  // Scans run one after another.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(size = availableParallelism()) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RangeError('the pool needs at least one worker');
    this.size = size;
  }

  /** Scans the chunks for a line that is the target's HMAC key. */
  scan(target: HmacTarget, chunks: AsyncIterable<CandidateChunk> | Iterable<CandidateChunk>, options: PoolScanOptions = {}): Promise<PoolScan> {
    const run = this.queue.then(() => this.run(target, chunks, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Starts the workers now (they take tens of milliseconds), so that they are ready by the time the
   * candidates are: call it before reading a list. They do not keep the process alive while idle.
   */
  prestart(): void {
    if (this.active !== null) return;
    for (const m of this.start()) m.worker.unref();
  }

  /** Ends the workers. A later scan starts new ones. */
  async close(): Promise<void> {
    const members = this.members;
    // A scan still running ends with worker-failed rather than waiting forever.
    for (const m of members) this.fail(m, new Error('the pool was closed'));
    this.members = [];
    await Promise.all(members.map((m) => m.worker.terminate()));
  }

  private start(): PooledWorker[] {
    if (this.members.some((m) => m.dead)) {
      for (const m of this.members) void m.worker.terminate();
      this.members = [];
    }
    while (this.members.length < this.size) {
      const member: PooledWorker = { worker: new Worker(WORKER_SOURCE, { eval: true }), queued: 0, online: false, dead: false };
      member.worker.once('online', () => (member.online = true));
      member.worker.on('message', (answer: FromWorker) => this.active?.done(member, answer));
      member.worker.on('error', (error) => this.fail(member, error));
      member.worker.on('exit', (code) => this.fail(member, new Error(`the worker exited (code ${code})`)));
      this.members.push(member);
    }
    return this.members;
  }

  private fail(member: PooledWorker, error: unknown): void {
    if (member.dead || !this.members.includes(member)) return; // closed, or already reported
    member.dead = true;
    this.active?.failed(member, error);
  }

  private run(target: HmacTarget, chunks: AsyncIterable<CandidateChunk> | Iterable<CandidateChunk>, options: PoolScanOptions): Promise<PoolScan> {
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const members = this.start();
    const scan = ++this.scanCount;
    const stopBuffer = new SharedArrayBuffer(4);
    const stop = new Int32Array(stopBuffer);
    for (const m of members) {
      m.queued = 0;
      m.worker.ref();
      // Compact copies: cloning a view sends its whole ArrayBuffer.
      post(m.worker, { type: 'target', scan, hash: target.hash, message: new Uint8Array(target.message), signature: new Uint8Array(target.signature), stop: stopBuffer });
    }
    const iterator: AsyncIterator<CandidateChunk> | Iterator<CandidateChunk> =
      Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : chunks[Symbol.iterator]();

    return new Promise<PoolScan>((resolve, reject) => {
      let tried = 0;
      let match: PoolScan['match'] = null;
      let failure: unknown = null;
      let aborted = false;
      let exhausted = false;
      let pumping = false;
      let settled = false;
      let nextChunk = 0;
      const sourceOf = new Map<number, number>();

      const stopped = (): boolean => match !== null || aborted || failure !== null;
      const halt = (): void => {
        Atomics.store(stop, 0, 1);
      };
      const onAbort = (): void => {
        aborted = true;
        halt();
        settle();
      };

      const settle = (): void => {
        if (settled || pumping) return;
        const queued = members.reduce((sum, m) => sum + (m.dead ? 0 : m.queued), 0);
        if (queued > 0 || !(exhausted || stopped())) return;
        settled = true;
        this.active = null;
        signal?.removeEventListener('abort', onAbort);
        for (const m of members) if (!m.dead) m.worker.unref();
        if (!exhausted) void Promise.resolve(iterator.return?.()).catch(() => undefined);
        // A match stands even if a worker failed or the signal fired after it was found.
        if (match !== null || (failure === null && !aborted)) resolve({ tried, match });
        else reject(failure ?? signal?.reason);
      };

      // This thread's own scanner, for the chunks it takes while the workers start.
      let local: HmacScanner | null = null;
      const scanHere = async ({ bytes, source }: CandidateChunk): Promise<void> => {
        local ??= createHmacScanner(hash, target.hash, target.message, target.signature);
        const result = local.scanLines(bytes, 0, bytes.length, stop);
        tried += result.tried;
        if (result.matchStart !== -1 && match === null) {
          match = { bytes: new Uint8Array(bytes.subarray(result.matchStart, result.matchEnd)), source };
          halt();
        }
        onProgress?.(tried);
        // Let the workers' 'online' and answers in before taking another chunk.
        await new Promise((resolve) => setImmediate(resolve));
      };

      const pump = async (): Promise<void> => {
        if (pumping) return;
        pumping = true;
        try {
          while (!stopped()) {
            const member = leastBusy(members);
            const starting = member === null && !members.some((m) => m.online && !m.dead);
            if (member === null && !starting) break;
            const next = await iterator.next();
            if (next.done === true) {
              exhausted = true;
              break;
            }
            if (stopped()) break;
            if (member === null) {
              await scanHere(next.value);
              continue;
            }
            const chunk = nextChunk++;
            sourceOf.set(chunk, next.value.source);
            member.queued++;
            sendChunk(member.worker, scan, chunk, next.value);
          }
        } catch (error) {
          // The source failed (a wordlist read error): stop the workers and report it.
          failure ??= error;
          halt();
        } finally {
          pumping = false;
        }
        settle();
      };

      this.active = {
        done(member, answer) {
          if (answer.scan !== scan) return;
          member.queued--;
          tried += answer.tried;
          const source = sourceOf.get(answer.chunk) ?? 0;
          sourceOf.delete(answer.chunk);
          if (answer.match !== null && match === null && failure === null) {
            match = { bytes: answer.match, source };
            halt();
          }
          onProgress?.(tried);
          void pump();
          settle();
        },
        failed(member, error) {
          member.queued = 0;
          failure ??= new CrackError('worker-failed', `a scan worker failed: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
          halt();
          settle();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      void pump();
    });
  }
}

function leastBusy(members: PooledWorker[]): PooledWorker | null {
  let best: PooledWorker | null = null;
  for (const m of members) if (!m.dead && m.queued < DEPTH && (best === null || m.queued < best.queued)) best = m;
  return best;
}

function post(worker: Worker, message: ToWorker, transfer: ArrayBuffer[] = []): void {
  worker.postMessage(message, transfer);
}

/**
 * Shared memory is sent as is; a chunk that owns its ArrayBuffer moves it; any other view is copied first,
 * because cloning a view sends its whole ArrayBuffer (Buffer's 8 KiB pool, say), not just the view.
 */
function sendChunk(worker: Worker, scan: number, chunk: number, { bytes, transfer }: CandidateChunk): void {
  if (bytes.buffer instanceof SharedArrayBuffer) {
    post(worker, { type: 'chunk', scan, chunk, buffer: bytes.buffer, offset: bytes.byteOffset, length: bytes.byteLength });
    return;
  }
  // new Uint8Array(view) copies (a Buffer's slice() would not).
  const owned = transfer === true ? bytes : new Uint8Array(bytes);
  const buffer = owned.buffer as ArrayBuffer;
  post(worker, { type: 'chunk', scan, chunk, buffer, offset: owned.byteOffset, length: owned.byteLength }, [buffer]);
}
