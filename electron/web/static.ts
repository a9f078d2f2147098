/**
 * Maps a request path to a file of the built renderer, for both hosts (the HTTP host and Electron's
 * app:// protocol). A path is refused outright when any segment, once percent-decoded, could leave the
 * directory or name something hidden: `..`, `.`, dotfiles, slashes or backslashes smuggled in as %2F / %5C,
 * NUL, or a drive / stream colon. The resolved real path must still lie inside the real root (symlinks).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

// Vite names every built asset `name-<8-character content hash>.ext`: such a file never changes, so it may be
// cached for good — and only a cached script keeps its compiled code (V8's code cache), which saves most of
// Monaco's 3 MB compile on each later load. index.html (which names the current hashes) is revalidated.
const HASHED_ASSET = /^\/assets\/[^/]+-[A-Za-z0-9_-]{8}\.[a-z0-9]+$/;

/** The Cache-Control of a static response for `urlPath`. */
export function cacheControlOf(urlPath: string): string {
  return HASHED_ASSET.test(urlPath) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export type StaticLookup =
  | { ok: true; filePath: string; contentType: string }
  | { ok: false; reason: 'bad-path' | 'not-found' };

const BAD_SEGMENT = /[/\\\0:]/;

/** The decoded segments of a URL path, or null when the path must be refused. */
export function safeSegments(urlPath: string): string[] | null {
  if (!urlPath.startsWith('/')) return null;
  const segments: string[] = [];
  const raw = urlPath.slice(1).split('/');
  for (let i = 0; i < raw.length; i++) {
    const part = raw[i] as string;
    if (part === '') {
      if (i === raw.length - 1) break; // trailing slash: a directory, handled by the caller
      return null;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(part);
    } catch {
      return null;
    }
    if (decoded.startsWith('.') || BAD_SEGMENT.test(decoded)) return null;
    segments.push(decoded);
  }
  return segments;
}

/** Finds the file for `urlPath` (the path part of a URL, still percent-encoded) under `rootDir`. */
export async function lookupStatic(rootDir: string, urlPath: string): Promise<StaticLookup> {
  const segments = safeSegments(urlPath);
  if (!segments) return { ok: false, reason: 'bad-path' };
  if (segments.length === 0 || urlPath.endsWith('/')) segments.push('index.html');
  const root = path.resolve(rootDir);
  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return { ok: false, reason: 'bad-path' };
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(root), fs.realpath(candidate)]);
    if (!isInside(realRoot, realFile)) return { ok: false, reason: 'bad-path' };
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return { ok: false, reason: 'not-found' };
    return { ok: true, filePath: realFile, contentType: contentTypeOf(realFile) };
  } catch {
    return { ok: false, reason: 'not-found' };
  }
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
