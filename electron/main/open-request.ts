/**
 * Tokens opened from outside the app: a token or a .jwt / .txt file on the command line (first launch or
 * a second instance's argv), a file handed over by the OS ('Open with', a file association, macOS
 * open-file), a jwtdbg:// link (open-url, or argv on Windows and Linux). Each becomes a PendingOpen in a
 * queue the renderer pulls with `app.pendingOpen` when told there is something (an event that carries no
 * token). Files go through the checked read (size cap, no FIFOs or devices); nothing here is ever logged.
 */
import path from 'node:path';
import { decodeToken } from '../../shared/core/decode';
import { OPEN_FILE_EXTENSIONS, OPEN_FILE_MAX_BYTES, OPEN_LINK_SCHEME, tokenFileText } from '../../shared/contract/desktop';
import type { OpenSource, PendingOpen } from '../../shared/contract/desktop';
import { LIMITS } from '../../shared/contract/methods';
import { readFileChecked } from '../services/files';

/** What one argument or OS hand-over asks for, before any file is read. */
export type OpenRequest =
  | { kind: 'token'; source: OpenSource; token: string }
  | { kind: 'file'; source: OpenSource; path: string }
  | { kind: 'refused'; source: OpenSource; message: string };

// A compact JWS (three segments) or JWE (five), base64url only: all a link or a bare argument may carry.
const COMPACT = /^[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){2}(?:(?:\.[A-Za-z0-9_-]*){2})?$/;

/** True when `text` is a compact token the decoder accepts (and within the contract's token bound). */
export function isCompactToken(text: string): boolean {
  return text.length <= LIMITS.token && COMPACT.test(text) && decodeToken(text).ok;
}

/**
 * A jwtdbg:// link's token. Two forms: `jwtdbg://open?token=<token>` (the documented one) and
 * `jwtdbg://<token>` (a trailing slash is tolerated: some systems add one). The token must be a compact
 * JWS or JWE that decodes; the refusal never quotes the link.
 */
export function parseOpenLink(link: string): OpenRequest {
  const refused: OpenRequest = { kind: 'refused', source: 'link', message: 'The jwtdbg:// link does not carry a token that decodes' };
  const prefix = `${OPEN_LINK_SCHEME}:`;
  if (link.length > LIMITS.token + 64 || link.slice(0, prefix.length).toLowerCase() !== prefix) return refused;
  let rest = link.slice(prefix.length).replace(/^\/\//, '');
  let token: string | null;
  const query = /^open\/?\?(.*)$/i.exec(rest);
  if (query) {
    token = new URLSearchParams(query[1]).get('token');
  } else {
    rest = rest.replace(/\/$/, '');
    token = rest;
  }
  if (token === null || !isCompactToken(token)) return refused;
  return { kind: 'token', source: 'link', token };
}

const FILE_EXTENSION = new RegExp(`\\.(?:${OPEN_FILE_EXTENSIONS.join('|')})$`, 'i');

/**
 * What a command line asks to open. Each argument is looked at on its own, so Electron's and Chromium's
 * own arguments (the executable, the app folder in development, `--flags`) are simply not matched: a
 * jwtdbg: link, a path ending in .jwt or .txt (relative to `cwd`, the launching shell's folder), or a
 * compact token that decodes. Anything else is ignored, not refused.
 */
export function openRequestsFromArgv(argv: readonly string[], cwd: string): OpenRequest[] {
  const requests: OpenRequest[] = [];
  for (const arg of argv.slice(1)) {
    if (arg.startsWith('-')) continue;
    if (arg.slice(0, OPEN_LINK_SCHEME.length + 1).toLowerCase() === `${OPEN_LINK_SCHEME}:`) requests.push(parseOpenLink(arg));
    else if (FILE_EXTENSION.test(arg)) requests.push({ kind: 'file', source: 'command-line', path: path.resolve(cwd, arg) });
    else if (isCompactToken(arg.trim())) requests.push({ kind: 'token', source: 'command-line', token: arg.trim() });
  }
  return requests;
}

/** A file's text, or why it cannot be opened: not found, not a regular file, too large, not UTF-8 text. */
export async function readTokenFile(file: string, source: OpenSource): Promise<PendingOpen> {
  const name = path.basename(file);
  let bytes: Buffer | null;
  try {
    bytes = await readFileChecked(file, { maxBytes: OPEN_FILE_MAX_BYTES });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why =
      code === 'too-large' ? `is larger than ${OPEN_FILE_MAX_BYTES / 1024 / 1024} MiB`
      : code === 'not-a-regular-file' ? 'is not a regular file'
      : 'cannot be read';
    return { ok: false, source, message: `'${name}' ${why}` };
  }
  if (bytes === null) return { ok: false, source, message: `'${name}' does not exist` };
  const text = textOf(bytes);
  if (text === null) return { ok: false, source, message: `'${name}' is not a text file` };
  return { ok: true, source, token: text.trim(), name };
}

/** See tokenFileText (shared with the page's drop and Open). */
export const textOf = tokenFileText;

/**
 * The queue `app.pendingOpen` drains. `add` resolves files in order (a later argument never overtakes an
 * earlier file), then calls `notify` so main can tell the window and bring it to the front.
 */
export class OpenQueue {
  private pending: PendingOpen[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly notify: () => void) {}

  add(requests: readonly OpenRequest[]): Promise<void> {
    if (requests.length === 0) return this.chain;
    this.chain = this.chain.then(async () => {
      for (const request of requests) this.pending.push(await resolve(request));
      // Past a hundred unread opens the oldest go: a flood of links must not grow memory without bound.
      if (this.pending.length > 100) this.pending.splice(0, this.pending.length - 100);
      this.notify();
    });
    return this.chain;
  }

  /** Everything pending, oldest first; the queue is empty afterwards. */
  take(): PendingOpen[] {
    return this.pending.splice(0);
  }
}

async function resolve(request: OpenRequest): Promise<PendingOpen> {
  switch (request.kind) {
    case 'token':
      return { ok: true, source: request.source, token: request.token, name: null };
    case 'refused':
      return { ok: false, source: request.source, message: request.message };
    case 'file':
      return readTokenFile(request.path, request.source);
  }
}
