/**
 * The HTTP front of the issuer: a node:http request listener over a Router, bound to 127.0.0.1 only. Every
 * failure becomes a JSON 4xx (or, for a bug, a logged 500 that never takes the process down); every request
 * is logged with its sensitive query values masked.
 */
import http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { HttpError } from './errors';
import { sendEmpty, sendError, writeResponse } from './http';
import type { RequestContext } from './http';
import { maskTarget } from './log';
import type { IssuerLog } from './log';
import { RouteParamError } from './router';
import type { Router } from './router';

export const LOOPBACK = '127.0.0.1';

export interface FrontOptions {
  router: Router;
  /** The issuer URL's path ('' at the root): every route lives under it. */
  mount: string;
  maxBodyBytes: number;
  log: IssuerLog;
  /** Origins allowed on `credentials` routes. */
  credentialedOrigins: () => readonly string[];
  /** Runs before routing; throws HttpError to refuse (the control plane's Host, Origin and secret checks). */
  guard?: (ctx: RequestContext) => void;
  /** Name used in log entries (`issuer` or `control`). */
  name: string;
  /** Raw paths served as another (mounted) path: RFC 8414 §3.1 puts metadata before the issuer's path. */
  aliases?: ReadonlyMap<string, string>;
  /** Resolves once every state change made so far is on disk: each answer waits for it before it is sent. */
  durable?: () => Promise<void>;
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Device-Id';

export function createRequestListener(options: FrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { log } = options;
  return (req, res) => {
    const started = performance.now();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const ctx: RequestContext = {
      req,
      res,
      method: req.method ?? 'GET',
      path: rawPath,
      query: new URLSearchParams(q < 0 ? '' : target.slice(q + 1)),
      params: {},
      ip: req.socket.remoteAddress ?? 'unknown',
      headers: {},
      maxBodyBytes: options.maxBodyBytes,
      closeConnection: false,
      response: null,
    };
    res.on('finish', () => {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const path = maskTarget(target);
      log.emit(res.statusCode >= 500 ? 'error' : 'info', 'request', `${ctx.method} ${path} → ${res.statusCode}`, {
        server: options.name, method: ctx.method, path, status: res.statusCode, ms,
      });
    });
    dispatch(ctx, options)
      .then(() => answer(ctx, options))
      .catch((error: unknown) => {
        // dispatch and answer handle their own errors; this is the last guard against a crash.
        log.error('server.error', `unhandled failure: ${(error as Error)?.name ?? typeof error}`);
        ctx.response = null;
        sendError(ctx, new HttpError(500, 'server_error', 'internal error'));
        writeResponse(ctx);
      });
  };
}

async function dispatch(ctx: RequestContext, options: FrontOptions): Promise<void> {
  try {
    options.guard?.(ctx);
    const { mount } = options;
    ctx.path = options.aliases?.get(ctx.path) ?? ctx.path;
    if (mount !== '' && ctx.path !== mount && !ctx.path.startsWith(`${mount}/`)) throw notFound();
    const path = ctx.path.slice(mount.length) || '/';
    const match = options.router.match(path);
    if (!match) throw notFound();
    ctx.path = path;
    ctx.params = match.params;
    const { route } = match;
    const allow = Object.keys(route.methods);
    if (route.methods.GET) allow.push('HEAD');
    allow.push('OPTIONS');

    const origin = ctx.req.headers.origin;
    if (origin !== undefined && route.cors === 'public') {
      ctx.headers['Access-Control-Allow-Origin'] = '*';
    } else if (origin !== undefined && route.cors === 'credentials' && options.credentialedOrigins().includes(origin)) {
      ctx.headers['Access-Control-Allow-Origin'] = origin;
      ctx.headers['Access-Control-Allow-Credentials'] = 'true';
      ctx.headers.Vary = 'Origin';
    }
    if (ctx.method === 'OPTIONS') {
      const preflight: Record<string, string> = { Allow: allow.join(', ') };
      if (ctx.headers['Access-Control-Allow-Origin']) {
        preflight['Access-Control-Allow-Methods'] = allow.join(', ');
        preflight['Access-Control-Allow-Headers'] = ALLOWED_HEADERS;
        preflight['Access-Control-Max-Age'] = '600';
      }
      sendEmpty(ctx, 204, preflight);
      return;
    }
    const handler = route.methods[ctx.method as keyof typeof route.methods] ?? (ctx.method === 'HEAD' ? route.methods.GET : undefined);
    if (!handler) {
      throw new HttpError(405, 'method_not_allowed', `${ctx.method.slice(0, 16)} is not allowed here; use ${allow.join(', ')}`, { Allow: allow.join(', ') });
    }
    await handler(ctx);
    if (ctx.response === null) throw new Error('handler sent no response');
  } catch (error) {
    if (error instanceof HttpError) {
      sendError(ctx, error);
    } else if (error instanceof RouteParamError) {
      sendError(ctx, new HttpError(400, 'invalid_request', error.message));
    } else {
      // Never the message: it might quote request data.
      options.log.error('server.error', `internal error in ${ctx.method} ${ctx.path.slice(0, 64)}: ${(error as Error)?.name ?? typeof error}`, {
        stack: (error as Error)?.stack?.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 6).join(' | ') ?? null,
      });
      sendError(ctx, new HttpError(500, 'server_error', 'internal error'));
    }
  }
}

/**
 * Sends the answer once what it reports is durable: a rotated refresh token, a revoked family, a new user
 * reaches the client only after the journal record holding it was synced. Should that fail, the client is
 * told the change may not have been kept, never that it was.
 */
async function answer(ctx: RequestContext, options: FrontOptions): Promise<void> {
  if (options.durable) {
    try {
      await options.durable();
    } catch {
      ctx.response = null;
      sendError(ctx, new HttpError(503, 'service_unavailable', 'the issuer cannot save changes to its data folder; restart it'));
    }
  }
  writeResponse(ctx);
}

function notFound(): HttpError {
  return new HttpError(404, 'not_found', 'no such endpoint');
}

const BAD_REQUEST_BODY = JSON.stringify({ error: 'invalid_request', error_description: 'malformed HTTP request' });
const HEADERS_TOO_LARGE_BODY = JSON.stringify({ error: 'invalid_request', error_description: 'request headers are too large' });

/** A node:http server for the listener, hardened against slow or malformed clients. */
export function createServer(listener: (req: IncomingMessage, res: ServerResponse) => void): Server {
  const server = http.createServer({ requestTimeout: 30_000, headersTimeout: 20_000, keepAliveTimeout: 5_000 }, listener);
  server.on('clientError', answerClientError);
  return server;
}

/**
 * Only a parse error (llhttp's HPE_*) is the client's malformed request. A reset, EPIPE or the headers
 * timeout on a connection a browser opened ahead of time is not: an answer there would be read as the
 * response to the request the browser later sends on that socket. Nothing is written once a response began.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!String(error.code ?? '').startsWith('HPE_') || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, body] = error.code === 'HPE_HEADER_OVERFLOW' ? ['431 Request Header Fields Too Large', HEADERS_TOO_LARGE_BODY] : ['400 Bad Request', BAD_REQUEST_BODY];
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Listens on 127.0.0.1:`port` (0 picks a free port). Resolves with the bound port. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Stops accepting, closes idle and then remaining connections, resolves once closed. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
    // In-flight requests get a moment to finish; then the rest are cut.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}
