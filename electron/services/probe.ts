/**
 * Probing a verifier with attack tokens (`jwtdbg probe`; the app may reuse it): the original token is sent
 * first and must be accepted, then every attack variant the token allows (shared/core/attacks), each as the
 * user's own request would be, and the verifier's answer is recorded. Accepted means a 2xx status.
 *
 * Bounded and narrow on purpose: sequential requests, a per-request timeout, no redirects followed, requests
 * only to the URL given — plus, for a loopback target, a loopback server the probe runs itself to host the
 * JWKS and certificate the jku and x5u variants point at. The token is never logged or put in an error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ATTACK_KINDS, planAttack, readAttackTarget, type AttackKind, type AttackOptions, type AttackTarget, type AttackVariant } from '../../shared/core/attacks/index';
import { WorkbenchError } from '../../shared/core/errors';
import type { ProbeErrorCode } from '../../shared/contract/errors';

export interface ProbeOptions {
  /** The verifier's URL (http or https), requested with GET. */
  url: string;
  /** A token the verifier accepts: the attacks are made from it. */
  token: string;
  /** The text of the verifier's PUBLIC key file (PEM, certificate, JWK, JWKS): enables key-confusion. */
  key?: string;
  /** The header the token goes in. Default `Authorization`. */
  header?: string;
  /** What precedes the token in that header; '' sends the bare token. Default `Bearer`. */
  scheme?: string;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Told of each variant's result as soon as it is known. */
  onResult?: (result: ProbeResult) => void | Promise<void>;
  /** Told the original token's status once it is known (the app shows it while the variants run). */
  onOriginal?: (status: number) => void;
  /** Aborting stops the run: the request in flight is aborted and nothing more is sent (`probe-cancelled`). */
  signal?: AbortSignal;
}

export interface ProbeResult {
  kind: AttackKind;
  variant: string;
  /** The HTTP status, or null when no answer came (connection refused, timeout). */
  status: number | null;
  /** A 2xx answer: the verifier took the forged token. */
  accepted: boolean;
  /** Why no answer came (e.g. `timeout`, `ECONNREFUSED`), when status is null. */
  error?: string;
}

export interface ProbeSkip {
  kind: AttackKind;
  reason: string;
}

export interface ProbeReport {
  /** The status the original token got (2xx, or the probe would have thrown). */
  original: number;
  results: ProbeResult[];
  /** Kinds not tried, and why. */
  skipped: ProbeSkip[];
  /** Where the probe's own loopback server hosted the jku JWKS and x5u certificate; null when not run. */
  keyServer: string | null;
}

// Declared in the contract (the app's probe.* methods answer them too); see shared/contract/errors.ts.
export type { ProbeErrorCode };

export class ProbeError extends WorkbenchError<ProbeErrorCode> {
  override readonly name = 'ProbeError';
}

const DEFAULT_TIMEOUT_MS = 10_000;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
/** Where the probe's key server hosts what the jku and x5u variants point at. */
const KEY_SERVER_PATHS = { jwks: '/jwks.json', cert: '/cert.pem' } as const;

/** 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackUrl(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

export interface PreparedProbe {
  url: URL;
  headerName: string;
  scheme: string;
  target: AttackTarget;
}

/**
 * Checks the options without sending anything: the URL, the header and scheme, and that attacks can be made
 * from the token. Throws ProbeError, or TokenError / AttackError for a token that cannot be attacked.
 */
export function prepareProbe(options: Pick<ProbeOptions, 'url' | 'token' | 'header' | 'scheme'>): PreparedProbe {
  const url = checkUrl(options.url);
  const headerName = options.header ?? 'Authorization';
  if (!HEADER_NAME.test(headerName)) throw new ProbeError('invalid-header', 'the header name must be an HTTP header name (letters, digits, -)');
  const scheme = options.scheme ?? 'Bearer';
  if (/[\x00-\x1f\x7f]/.test(scheme) || scheme.length > 64) throw new ProbeError('invalid-header', 'the scheme must be at most 64 characters, without control characters');
  // Parsed before anything is sent: a token that cannot be attacked stops here (TokenError).
  return { url, headerName, scheme, target: readAttackTarget(options.token) };
}

/** Checks the options, sends the original token, then every variant. Throws ProbeError, or TokenError for a token that cannot be attacked. */
export async function runProbe(options: ProbeOptions): Promise<ProbeReport> {
  const { url, headerName, scheme, target } = prepareProbe(options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { signal } = options;
  const stopIfCancelled = () => {
    if (signal?.aborted) throw new ProbeError('probe-cancelled', 'the probe was cancelled: nothing more was sent');
  };
  const send = async (token: string) => {
    stopIfCancelled();
    const answer = await sendToken(url, headerName, scheme === '' ? token : `${scheme} ${token}`, timeoutMs, signal);
    // An answer that came after the cancel (or the abort of its request) is not a result.
    stopIfCancelled();
    return answer;
  };

  // The token as the verifier expects it: without the whitespace or "Bearer " a paste may bring.
  const original = await send(options.token.trim().replace(/^bearer\s+/i, ''));
  if (original.status === null) throw new ProbeError('original-failed', `no answer from ${url.origin} for the original token (${original.error})`);
  if (!isAccepted(original.status)) {
    throw new ProbeError('original-refused', `the verifier refused the original token (HTTP ${original.status}): the probe needs a token it accepts`, {
      details: { status: original.status },
    });
  }
  options.onOriginal?.(original.status);

  const loopback = isLoopbackUrl(url);
  const keyServer = loopback ? await startKeyServer() : null;
  try {
    const skipped: ProbeSkip[] = [];
    const results: ProbeResult[] = [];
    for (const kind of ATTACK_KINDS) {
      const planned = planOptions(kind, options.key, keyServer?.url ?? null);
      if ('skip' in planned) {
        skipped.push({ kind, reason: planned.skip });
        continue;
      }
      const variants = await makeVariants(kind, planned.options, target);
      for (const v of variants) {
        if (keyServer && v.jwks) keyServer.content.set(KEY_SERVER_PATHS.jwks, { type: 'application/json', body: JSON.stringify(v.jwks) });
        if (keyServer && v.pem !== undefined) keyServer.content.set(KEY_SERVER_PATHS.cert, { type: 'application/x-pem-file', body: v.pem });
        const answer = await send(v.token);
        const result: ProbeResult = {
          kind: v.kind,
          variant: v.variant,
          status: answer.status,
          accepted: answer.status !== null && isAccepted(answer.status),
          ...(answer.error !== undefined && { error: answer.error }),
        };
        results.push(result);
        await options.onResult?.(result);
      }
    }
    return { original: original.status, results, skipped, keyServer: keyServer?.url ?? null };
  } finally {
    await keyServer?.close();
  }
}

function checkUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeError('invalid-url', 'the verifier URL must be an absolute http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProbeError('invalid-url', 'the verifier URL must be an http or https URL');
  if (url.username !== '' || url.password !== '') throw new ProbeError('invalid-url', 'the verifier URL must not carry credentials');
  return url;
}

function isAccepted(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The options a kind needs, or why it is skipped. */
function planOptions(kind: AttackKind, key: string | undefined, keyServerUrl: string | null): { options: AttackOptions } | { skip: string } {
  switch (kind) {
    case 'key-confusion':
      return key === undefined ? { skip: 'needs the verifier\'s public key (--key FILE)' } : { options: { key } };
    case 'jku':
    case 'x5u':
      if (keyServerUrl === null) return { skip: `needs a server to host the ${kind === 'jku' ? 'JWKS' : 'certificate'}: the probe hosts it only for a loopback target` };
      return { options: { url: `${keyServerUrl}${kind === 'jku' ? KEY_SERVER_PATHS.jwks : KEY_SERVER_PATHS.cert}` } };
    case 'weak-secret':
      return { skip: 'needs the cracked secret (jwtdbg crack, then jwtdbg attack weak-secret --secret)' };
    default:
      return { options: {} };
  }
}

async function makeVariants(kind: AttackKind, options: AttackOptions, target: AttackTarget): Promise<AttackVariant[]> {
  try {
    const plan = await planAttack(kind, options);
    return await plan.variants(target);
  } catch (error) {
    if (error instanceof WorkbenchError && !(error instanceof ProbeError)) {
      throw new ProbeError('attack-failed', `cannot make the ${kind} variants: ${error.code}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

/** One GET with the token in the given header; never follows a redirect; never throws for network failures. */
async function sendToken(url: URL, headerName: string, headerValue: string, timeoutMs: number, cancel?: AbortSignal): Promise<{ status: number | null; error?: string }> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'GET',
      headers: { [headerName]: headerValue },
      redirect: 'manual',
      signal: cancel ? AbortSignal.any([timeout, cancel]) : timeout,
    });
    // The body is not needed: drop it so the connection is freed.
    await response.body?.cancel().catch(() => {});
    return { status: response.status };
  } catch (error) {
    return { status: null, error: networkErrorName(error) };
  }
}

/** A short, token-free name for a failed request. */
function networkErrorName(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  return 'network-error';
}

interface KeyServer {
  url: string;
  /** Path → what is served there; filled in as the variants are made. */
  content: Map<string, { type: string; body: string }>;
  close(): Promise<void>;
}

/** A server on 127.0.0.1 (random port) serving the jku JWKS and the x5u certificate for the duration of a probe. */
function startKeyServer(): Promise<KeyServer> {
  const content = new Map<string, { type: string; body: string }>();
  const server = http.createServer({ requestTimeout: 10_000, headersTimeout: 5_000 }, (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    const entry = req.method === 'GET' ? content.get(path) : undefined;
    if (!entry) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': entry.type, 'Cache-Control': 'no-store' }).end(entry.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        content,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
