/**
 * HTTP plumbing for the issuer's endpoints on `node:http`: bounded body reading, form and JSON parsing with
 * 4xx answers for anything malformed, JSON/HTML/redirect responses, cookies and Bearer extraction.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readJson as parseJsonText } from '../../../shared/core/json';
import { HttpError, invalidRequest } from './errors';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** Path relative to the mount point (the issuer URL's path). */
  path: string;
  query: URLSearchParams;
  /** Values captured by a route pattern (`/users/{name}` → name). */
  params: Record<string, string>;
  ip: string;
  /** Headers every response of this request carries (CORS). */
  headers: Record<string, string>;
  maxBodyBytes: number;
  /** Set when the connection must close after the response (a body too large to drain). */
  closeConnection: boolean;
  /**
   * The answer, once a handler gave one: the front writes it after the state changes it reports are on
   * disk (writeResponse). The first answer given is the one sent.
   */
  response: StagedResponse | null;
}

export interface StagedResponse {
  status: number;
  text: string;
  headers: Record<string, string | string[]>;
}

/** Beyond this many times the limit, an oversized body is not drained but the connection closed. */
const DRAIN_FACTOR = 16;

/** The request body, or HttpError 413 when it exceeds `ctx.maxBodyBytes`. */
export function readBody(ctx: RequestContext): Promise<Buffer> {
  const { req, maxBodyBytes: limit } = ctx;
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > limit * DRAIN_FACTOR) {
    ctx.closeConnection = true;
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Keep reading (and discarding) so the client gets to read our answer; give up on floods.
      over = true;
      chunks.length = 0;
      if (size > limit * DRAIN_FACTOR) {
        cleanup();
        ctx.closeConnection = true;
        req.pause();
        reject(tooLarge(limit));
      }
    };
    const onEnd = (): void => {
      cleanup();
      if (over) reject(tooLarge(limit));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (): void => {
      cleanup();
      reject(new HttpError(400, 'invalid_request', 'request body could not be read'));
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    // A client that goes away mid-body: 'close' before 'end'.
    req.on('close', onError);
  });
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'payload_too_large', `request body exceeds ${limit} bytes`);
}

/** The media type of a request, lower-cased, without parameters ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  const header = req.headers['content-type'];
  if (!header) return '';
  const semi = header.indexOf(';');
  return (semi < 0 ? header : header.slice(0, semi)).trim().toLowerCase();
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * An `application/x-www-form-urlencoded` body (RFC 6749 §3.2). Parameters sent twice are refused
 * (§3.1); parameters with an empty value count as absent.
 */
export async function readForm(ctx: RequestContext): Promise<URLSearchParams> {
  if (mediaType(ctx.req) !== FORM) {
    throw invalidRequest(`Content-Type must be ${FORM}`);
  }
  const body = await readBody(ctx);
  return parseForm(body.toString('utf8'));
}

export function parseForm(text: string): URLSearchParams {
  const parsed = new URLSearchParams(text);
  const out = new URLSearchParams();
  const seen = new Set<string>();
  for (const [name, value] of parsed) {
    if (seen.has(name)) throw invalidRequest(`parameter ${name.slice(0, 64)} was sent more than once`);
    seen.add(name);
    if (value !== '') out.append(name, value);
  }
  return out;
}

/**
 * How deep a JSON body may nest. The deepest the issuer reads is a user's claims (16 levels, inside the body's
 * object); what is done with a value afterwards (JSON.stringify, structuredClone) recurses and would overflow
 * the stack at a few thousand levels, so anything deeper is refused at the door.
 */
export const MAX_JSON_BODY_DEPTH = 32;

/** A JSON object body. `optional`: an empty body (and no Content-Type) reads as `{}`. */
export async function readJson(ctx: RequestContext, optional = false): Promise<Record<string, unknown>> {
  const type = mediaType(ctx.req);
  const body = await readBody(ctx);
  if (body.length === 0 && optional) return {};
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new HttpError(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
  const parsed = parseJsonText(body.toString('utf8'), MAX_JSON_BODY_DEPTH);
  if (!parsed.ok) {
    const what = parsed.error.kind === 'too-deep' ? `JSON nested deeper than ${MAX_JSON_BODY_DEPTH} levels` : 'malformed JSON';
    throw invalidRequest(`${what}: ${parsed.error.message.slice(0, 160)}`);
  }
  const { value } = parsed;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('the JSON body must be an object');
  return value as Record<string, unknown>;
}

/** A string member of a parsed JSON body, or undefined; anything else is a 400. */
export function jsonString(body: Record<string, unknown>, name: string, maxLength = 4096): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`${name} must be a string`);
  if (value.length > maxLength) throw invalidRequest(`${name} is too long`);
  return value;
}

const JSON_HEADERS = {
  'Content-Type': 'application/json',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'X-Content-Type-Options': 'nosniff',
} as const;

export function sendJson(ctx: RequestContext, status: number, body: unknown, headers?: Record<string, string | string[]>): void {
  sendText(ctx, status, JSON.stringify(body), { ...JSON_HEADERS, ...headers });
}

/** Answers with a body as is (the request's own headers, CORS, are added when it is written). */
export function sendText(ctx: RequestContext, status: number, text: string, headers: Record<string, string | string[]>): void {
  ctx.response ??= { status, text, headers };
}

/** Writes the staged answer to the socket. */
export function writeResponse(ctx: RequestContext): void {
  const { res, response } = ctx;
  if (res.headersSent || response === null) return;
  const all: Record<string, string | string[] | number> = { ...response.headers, ...ctx.headers, 'Content-Length': Buffer.byteLength(response.text) };
  if (ctx.closeConnection) all.Connection = 'close';
  res.writeHead(response.status, all);
  res.end(ctx.method === 'HEAD' ? undefined : response.text);
}

export function sendError(ctx: RequestContext, error: HttpError): void {
  sendJson(ctx, error.status, error.body(), error.headers);
}

export function sendEmpty(ctx: RequestContext, status: number, headers: Record<string, string | string[]> = {}): void {
  sendText(ctx, status, '', { 'Cache-Control': 'no-store', ...headers });
}

const HTML_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Inline style only; no script at all. form-action is left open: the form's answer redirects to the client.
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'Referrer-Policy': 'no-referrer',
} as const;

export function sendHtml(ctx: RequestContext, status: number, html: string): void {
  sendText(ctx, status, html, HTML_HEADERS);
}

export function redirect(ctx: RequestContext, location: string, status = 302): void {
  sendText(ctx, status, '', { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The token of an `Authorization: Bearer` header (RFC 6750 §2.1), or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header || header.length < 8 || !/^bearer /i.test(header)) return null;
  const token = header.slice(7).trim();
  return token.length > 0 ? token : null;
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
}

/** A refresh-token cookie as the seeds set it, done right: HttpOnly; Secure; SameSite=Strict; path-scoped. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  return `${name}=${value}; Path=${options.path}; Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}; HttpOnly; Secure; SameSite=Strict`;
}
