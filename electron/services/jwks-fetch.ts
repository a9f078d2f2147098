/**
 * Fetches a JWKS for the debugger, on the user's request only. The renderer cannot (its CSP admits no
 * other origin), so the host does it with limits: http(s) only, a deadline, a body size cap read as a
 * stream (a lying Content-Length does not help), and the body must be a JWKS. No cookies or credentials
 * are sent; redirects are followed (the final URL is reported) but only to http(s).
 */
import { JWKS_FETCH_LIMITS, httpUrlProblem } from '../../shared/contract/jwks';
import type { JwksFetchResponse } from '../../shared/contract/jwks';
import { WorkbenchError } from '../../shared/core/errors';

export type { JwksFetchErrorCode } from '../../shared/contract/errors';
import type { JwksFetchErrorCode } from '../../shared/contract/errors';

export class JwksFetchError extends WorkbenchError<JwksFetchErrorCode> {
  override readonly name = 'JwksFetchError';
}

export interface JwksFetchOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
}

export async function fetchJwks(urlText: string, options: JwksFetchOptions = {}): Promise<JwksFetchResponse> {
  const { text, url } = await fetchLimited(urlText, 'application/jwk-set+json, application/json;q=0.9', options);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new JwksFetchError('jwks-invalid', 'The answer is not JSON, so it is not a JWKS');
  }
  const keys = typeof parsed === 'object' && parsed !== null ? (parsed as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys)) throw new JwksFetchError('jwks-invalid', 'The answer is JSON but not a JWKS: it has no "keys" array');
  return { jwks: text, keys: keys.length, url };
}

/**
 * One GET under the JWKS limits (http(s) URL without credentials, deadline, size cap, redirects only to
 * http(s)), answering the body as UTF-8 text and the final URL. Exported so other fetches the user asks
 * for (key discovery's metadata document) share these limits instead of restating them.
 */
export async function fetchLimited(urlText: string, accept: string, options: JwksFetchOptions = {}): Promise<{ text: string; url: string }> {
  const problem = httpUrlProblem(urlText);
  if (problem) throw new JwksFetchError('url-invalid', `Cannot fetch this URL: ${problem}`);
  let url: URL;
  try {
    url = new URL(urlText.trim());
  } catch {
    throw new JwksFetchError('url-invalid', 'Cannot fetch this URL: it does not parse');
  }
  const timeoutMs = options.timeoutMs ?? JWKS_FETCH_LIMITS.timeoutMs;
  const maxBytes = options.maxBytes ?? JWKS_FETCH_LIMITS.bytes;
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'GET',
        headers: { Accept: accept },
        credentials: 'omit',
        redirect: 'follow',
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) throw new JwksFetchError('fetch-timeout', `No answer from ${url.host} within ${timeoutMs / 1000} s`);
      throw new JwksFetchError('fetch-failed', `Could not reach ${url.host}: ${causeOf(error)}`);
    }
    const finalUrl = response.url || url.href;
    if (!/^https?:/i.test(finalUrl)) throw new JwksFetchError('fetch-failed', 'The server redirected to a URL that is not http(s)');
    if (!response.ok) throw new JwksFetchError('http-status', `${url.host} answered HTTP ${response.status}`);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
    const text = await readCapped(response, maxBytes, controller.signal, timeoutMs, url.host);
    return { text, url: finalUrl };
  } finally {
    clearTimeout(timer);
  }
}

async function readCapped(response: Response, maxBytes: number, signal: AbortSignal, timeoutMs: number, host: string): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof JwksFetchError) throw error;
    if (signal.aborted) throw new JwksFetchError('fetch-timeout', `No complete answer from ${host} within ${timeoutMs / 1000} s`);
    throw new JwksFetchError('fetch-failed', `The answer from ${host} broke off: ${causeOf(error)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new JwksFetchError('jwks-invalid', 'The answer is not UTF-8 text');
  }
}

function tooLarge(maxBytes: number): JwksFetchError {
  return new JwksFetchError('too-large', `The answer is larger than ${Math.round(maxBytes / 1024)} KB; a JWKS is much smaller`);
}

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}
