/**
 * The HTTP transport of the host contract (`npm run web`, end-to-end tests): the built renderer as static
 * files and `POST /rpc/<method>` on 127.0.0.1 only. Other local web pages cannot drive it: the Host header
 * must name this server (DNS rebinding), an Origin header must be its own, and every call carries the
 * per-launch secret, which only the URL printed at start-up holds (in its fragment, never sent here).
 */
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createDispatcher, describeErrorForLog } from '../../shared/contract/dispatch';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract/csp';
import { isMethodName } from '../../shared/contract/method-names';
import type { Handlers } from '../../shared/contract/methods';
import { err } from '../../shared/contract/result';
import type { ErrorCode, Result } from '../../shared/contract/result';
import { cacheControlOf, lookupStatic } from './static';

export interface WebHostOptions {
  /** 0 or absent: any free port. */
  port?: number;
  handlers: Handlers;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Largest accepted RPC body in bytes (default 8 MiB: the largest valid request, JSON-escaped, fits). */
  maxBodyBytes?: number;
  /** Where handler failures are logged; default: stderr, without their message (it may quote input). */
  log?: (line: string) => void;
  /** How long a connection may take to send a request's headers (default 10 s); tests shorten it. */
  headersTimeoutMs?: number;
  /** How often Node looks for connections past that time (default 30 s); tests shorten it. */
  connectionsCheckingIntervalMs?: number;
}

export interface WebHost {
  /** What to open: `http://127.0.0.1:PORT/#secret=…`. */
  url: string;
  origin: string;
  port: number;
  secret: string;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024;
const LOOPBACK = '127.0.0.1';

const COMMON_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
} as const;

class HttpRejection {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly message: string,
    readonly headers: Record<string, string> = {},
  ) {}
}

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secret = randomBytes(32).toString('base64url');
  const expectedAuth = digest(`Bearer ${secret}`);
  const dispatch = createDispatcher(options.handlers, {
    onInternalError: (method, error) => log(`internal error in ${method}: ${describeErrorForLog(error)}`),
  });
  let allowedHosts = new Set<string>();

  const server = http.createServer({ connectionsCheckingInterval: options.connectionsCheckingIntervalMs ?? 30_000 }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`web host: request failed: ${describeErrorForLog(error)}`);
      if (!res.headersSent) sendJson(res, 500, err('internal', 'The request failed unexpectedly'));
      else res.destroy();
    });
  });
  server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  server.requestTimeout = 60_000;
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket));

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    req.on('error', () => res.destroy());
    const host = (req.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host)) {
      return reject(res, new HttpRejection(403, 'forbidden-host', `Host must be ${LOOPBACK}:${port()} or localhost:${port()}`), true);
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      return reject(res, new HttpRejection(403, 'forbidden-origin', 'Cross-origin requests are not accepted'), true);
    }
    const pathname = (req.url ?? '/').split('?', 1)[0] as string;
    if (pathname === '/rpc' || pathname.startsWith('/rpc/')) return handleRpc(req, res, pathname.slice('/rpc/'.length));
    return handleStatic(req, res, pathname);
  }

  async function handleRpc(req: http.IncomingMessage, res: http.ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      return reject(res, new HttpRejection(405, 'method-not-allowed', 'Use POST for /rpc/<method>', { Allow: 'POST' }), true);
    }
    const auth = req.headers.authorization;
    if (auth === undefined || !timingSafeEqual(digest(auth), expectedAuth)) {
      const message = auth === undefined ? 'Missing Authorization: Bearer <secret>' : 'Wrong secret';
      return reject(res, new HttpRejection(401, 'unauthorized', message, { 'WWW-Authenticate': 'Bearer' }), true);
    }
    const mediaType = (req.headers['content-type'] ?? '').split(';', 1)[0]!.trim().toLowerCase();
    if (mediaType !== 'application/json') {
      return reject(res, new HttpRejection(415, 'unsupported-media-type', 'Content-Type must be application/json'), true);
    }
    if (!isMethodName(method)) {
      return reject(res, new HttpRejection(404, 'unknown-method', `Unknown method ${JSON.stringify(method.slice(0, 64))}`), true);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body instanceof HttpRejection) return reject(res, body, body.status === 413);
    let request: unknown;
    try {
      request = JSON.parse(body);
    } catch {
      return reject(res, new HttpRejection(400, 'bad-request', 'The body is not valid JSON'), false);
    }
    sendJson(res, 200, await dispatch(method, request, { transport: 'http' }));
  }

  async function handleStatic(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return reject(res, new HttpRejection(405, 'method-not-allowed', 'Static files accept GET and HEAD', { Allow: 'GET, HEAD' }), true);
    }
    const found = await lookupStatic(options.rendererDir, pathname);
    if (!found.ok) {
      return found.reason === 'bad-path'
        ? reject(res, new HttpRejection(400, 'bad-request', 'Path refused'), false)
        : reject(res, new HttpRejection(404, 'not-found', 'Not found'), false);
    }
    const stat = await fs.promises.stat(found.filePath);
    res.writeHead(200, {
      ...COMMON_HEADERS,
      'Content-Type': found.contentType,
      'Content-Length': stat.size,
      'Cache-Control': cacheControlOf(pathname),
    });
    if (req.method === 'HEAD') return void res.end();
    const stream = fs.createReadStream(found.filePath);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  }

  function port(): number {
    return (server.address() as AddressInfo | null)?.port ?? 0;
  }

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen({ host: LOOPBACK, port: options.port ?? 0 }, () => {
      server.off('error', rejectListen);
      resolve();
    });
  });
  const actualPort = port();
  allowedHosts = new Set([`${LOOPBACK}:${actualPort}`, `localhost:${actualPort}`]);
  const origin = `http://${LOOPBACK}:${actualPort}`;

  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    port: actualPort,
    secret,
    close: () =>
      new Promise<void>((resolve, rejectClose) => {
        server.close((error) => (error ? rejectClose(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Node's 'clientError' carries every low-level failure of a connection, not only malformed HTTP: a peer
 * that reset the socket (ECONNRESET, EPIPE), and the headers timeout, which also fires on a connection the
 * browser opened ahead of time and has not used yet. Answering those with a 400 is what made "Start issuer"
 * fail with "Malformed HTTP request" although it had worked: Chromium later sends its request on that
 * preconnected socket and reads the stale 400 already waiting there as the answer. So only a real parse
 * error (llhttp's HPE_* codes) gets an answer, and only before any response began on the socket; anything
 * else closes the connection silently, which a browser retries or reports as a lost connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const code = typeof error.code === 'string' ? error.code : '';
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!code.startsWith('HPE_') || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] = code === 'HPE_HEADER_OVERFLOW' ? ['431 Request Header Fields Too Large', 'The request headers are too large'] : ['400 Bad Request', 'Malformed HTTP request'];
  const body = JSON.stringify(err('bad-request', message));
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fixed-length digests so the secret comparison takes the same time whatever the caller sent. */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function sendJson(res: http.ServerResponse, status: number, body: Result<unknown>, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/**
 * A transport-level refusal. When the request body was not read, the connection is closed after the
 * answer rather than draining an arbitrary amount of unwanted upload.
 */
function reject(res: http.ServerResponse, rejection: HttpRejection, bodyUnread: boolean): void {
  const headers = bodyUnread ? { ...rejection.headers, Connection: 'close' } : rejection.headers;
  sendJson(res, rejection.status, err(rejection.code, rejection.message), headers);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<string | HttpRejection> {
  const tooLarge = new HttpRejection(413, 'payload-too-large', `The body exceeds ${limit} bytes`);
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(tooLarge);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Stop collecting, answer 413; the connection closes after the answer (see reject).
      req.off('data', onData).off('end', onEnd);
      resolve(tooLarge);
    };
    const onEnd = (): void => {
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        resolve(new HttpRejection(400, 'bad-request', 'The body is not UTF-8'));
      }
    };
    req.on('data', onData).on('end', onEnd);
  });
}
