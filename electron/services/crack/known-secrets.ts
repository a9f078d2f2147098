/**
 * The bundled list of publicly known JWT secrets (data/known-jwt-secrets/jwt.secrets.list, Wallarm, MIT):
 * where it is at run time, and the list loaded once into shared memory, cut into line-aligned chunks the
 * workers read without a copy.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CrackError } from './errors';
import type { CandidateChunk } from './pool';

/** The list's path below the folder that holds `data/`: the repository, or dist/ (copied there by the build). */
export const KNOWN_SECRETS_FILE = path.join('data', 'known-jwt-secrets', 'jwt.secrets.list');

/** Bytes per chunk: about 5,000 lines, a few milliseconds of work, so the cores share the list evenly. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The list as found from `fromDir` (the running bundle's folder) upward: dist/cli, dist/web and
 * dist/electron (also inside a packaged app.asar) find dist/data; the sources and test bundles under the
 * repository find its data/. Null when no folder up to the root has it.
 */
export async function findKnownSecretsList(fromDir: string): Promise<string | null> {
  for (let dir = path.resolve(fromDir); ; ) {
    const candidate = path.join(dir, KNOWN_SECRETS_FILE);
    const info = await stat(candidate).catch(() => null);
    if (info?.isFile() === true) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

export class KnownSecretsList {
  /** Lines in the list, each a candidate (the empty line too). */
  readonly lines: number;
  private readonly bounds: number[];

  /** `bytes` should live in a SharedArrayBuffer: then workers read it in place. */
  constructor(
    readonly file: string,
    readonly bytes: Uint8Array,
  ) {
    let lines = 0;
    for (let lf = bytes.indexOf(10); lf !== -1; lf = bytes.indexOf(10, lf + 1)) lines++;
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) lines++;
    this.lines = lines;
    // Chunk ends, each just after an LF (or the end).
    const bounds = [0];
    for (let from = 0; from < bytes.length; ) {
      const lf = from + CHUNK_BYTES >= bytes.length ? -1 : bytes.indexOf(10, from + CHUNK_BYTES);
      from = lf === -1 ? bytes.length : lf + 1;
      bounds.push(from);
    }
    this.bounds = bounds;
  }

  /** The list as chunks of `source`. */
  *chunks(source: number): Generator<CandidateChunk> {
    for (let i = 1; i < this.bounds.length; i++) {
      yield { bytes: this.bytes.subarray(this.bounds[i - 1], this.bounds[i]), source };
    }
  }
}

const loaded = new Map<string, Promise<KnownSecretsList>>();

/** Reads the list once per process (a batch of tokens reuses it). Throws CrackError `list-missing`. */
export function loadKnownSecretsList(file: string): Promise<KnownSecretsList> {
  let list = loaded.get(file);
  if (!list) {
    list = readIntoSharedMemory(file);
    loaded.set(file, list);
    list.catch(() => loaded.delete(file));
  }
  return list;
}

async function readIntoSharedMemory(file: string): Promise<KnownSecretsList> {
  let content: Buffer;
  try {
    // A plain read: the list is ours, and inside a packaged app.asar only fs's own reads see it.
    content = await readFile(file);
  } catch (error) {
    throw new CrackError('list-missing', `cannot read the list of known secrets at '${file}'`, { cause: error });
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(content.length));
  bytes.set(content);
  return new KnownSecretsList(file, bytes);
}
