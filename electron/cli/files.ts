import { open } from 'node:fs/promises';
import { InputError } from './usage-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Keys, JWKS documents and header/payload files are small; the cap stops `--key /dev/zero` from eating memory. */
export const MAX_INPUT_FILE_BYTES = 1024 * 1024;

/**
 * Reads a UTF-8 text file the user named (a leading BOM is dropped). Any failure becomes a UsageError
 * naming the file, never its content. Reads by chunks rather than by stat size so process
 * substitution (`--key <(vault read …)`) works too.
 */
export async function readTextFile(path: string, what: string, command: string): Promise<string> {
  let handle;
  try {
    handle = await open(path, 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    const buffer = new Uint8Array(64 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_FILE_BYTES) {
        throw new InputError(`${what} '${path}' is larger than ${MAX_INPUT_FILE_BYTES / 1024 / 1024} MiB`, command);
      }
      chunks.push(buffer.slice(0, bytesRead));
    }
    const bytes = concat(chunks, total);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new InputError(`${what} '${path}' is not UTF-8 text`, command);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(describeFsError(err, what, path), command);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function describeFsError(err: unknown, what: string, path: string): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
      return `${what} '${path}' does not exist`;
    case 'EACCES':
    case 'EPERM':
      return `cannot read ${what} '${path}': permission denied`;
    case 'EISDIR':
      return `${what} '${path}' is a directory`;
    default:
      return `cannot read ${what} '${path}'${typeof code === 'string' ? ` (${code})` : ''}`;
  }
}
