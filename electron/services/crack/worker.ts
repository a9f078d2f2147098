/**
 * The scan worker: receives a target (alg, message, signature, the scan's stop flag), then chunks of
 * candidate lines, and answers each chunk with how many lines it tried and the matching line, if any.
 *
 * The worker runs from source text (`new Worker(WORKER_SOURCE, { eval: true })`), not from a file: the
 * same code then works from the TypeScript sources under vitest, from the CLI and web bundles (ESM) and from
 * Electron's main bundle (CJS, inside app.asar), with no worker file to build, ship and locate. The text is
 * made of workerMain and createHmacScanner themselves (Function.prototype.toString), so both must stay
 * self-contained: nothing in their bodies may refer to an import or a module-level name.
 */
import type { MessagePort } from 'node:worker_threads';
import { createHmacScanner, type HashName, type HmacScanner, type OneShotHash } from './hmac-scanner';

/** Main thread → worker. */
export type ToWorker =
  | { type: 'target'; scan: number; hash: HashName; message: Uint8Array; signature: Uint8Array; stop: SharedArrayBuffer }
  | { type: 'chunk'; scan: number; chunk: number; buffer: ArrayBufferLike; offset: number; length: number };

/** Worker → main thread: one answer per chunk, in order. `match` is a copy of the matching line's bytes. */
export interface FromWorker {
  type: 'done';
  scan: number;
  chunk: number;
  tried: number;
  match: Uint8Array | null;
}

type ScannerFactory = typeof createHmacScanner;

export function workerMain(port: MessagePort, hash: OneShotHash, createScanner: ScannerFactory): void {
  let scan = -1;
  let scanner: HmacScanner | null = null;
  let stop: Int32Array | null = null;
  port.on('message', (message: ToWorker) => {
    if (message.type === 'target') {
      scan = message.scan;
      stop = new Int32Array(message.stop);
      scanner = createScanner(hash, message.hash, message.message, message.signature);
      return;
    }
    const answer: FromWorker = { type: 'done', scan: message.scan, chunk: message.chunk, tried: 0, match: null };
    // A chunk of an earlier scan, or of one already stopped: answered untried, so the pool's count stays right.
    if (message.scan === scan && scanner !== null && stop !== null && Atomics.load(stop, 0) === 0) {
      const bytes = new Uint8Array(message.buffer, message.offset, message.length);
      const result = scanner.scanLines(bytes, 0, bytes.length, stop);
      answer.tried = result.tried;
      if (result.matchStart !== -1) {
        // Tell the other workers at once, before the main thread has even seen this answer.
        Atomics.store(stop, 0, 1);
        answer.match = bytes.slice(result.matchStart, result.matchEnd);
      }
    }
    port.postMessage(answer);
  });
}

/** The worker's whole program, as text. */
export const WORKER_SOURCE = [
  `'use strict';`,
  `const createHmacScanner = ${createHmacScanner.toString()};`,
  `const workerMain = ${workerMain.toString()};`,
  `workerMain(require('node:worker_threads').parentPort, require('node:crypto').hash, createHmacScanner);`,
].join('\n');
