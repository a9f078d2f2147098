/**
 * `GET /resource/naive`: a DELIBERATELY VULNERABLE protected resource, for the security lab (`jwtdbg probe`,
 * the attack tokens). OFF by default: it answers 404 unless the `demoVulnerable` setting is on
 * (`jwtdbg issuer --demo-vulnerable`). Kept out of the discovery document.
 *
 * Every mistake it makes is marked `MISTAKE:`; `/resource/me` (resource.ts) is the correct counterpart. The one
 * thing it does carefully is what would harm the machine running it: it fetches a `jku` only from loopback
 * addresses, with a bounded size and time, never following redirects.
 */
import { KeyObject, type webcrypto } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose';
import type { CryptoKey, JWK, JWTPayload, KeyObject as JoseKeyObject, ProtectedHeaderParameters } from 'jose';
import { WorkbenchError } from '../../../../shared/core/errors';
import { HttpError, invalidToken } from '../errors';
import { bearerToken, sendJson } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';

export const NAIVE_RESOURCE_PATH = '/resource/naive';

const REALM = 'resource-naive';
const MAX_TOKEN_LENGTH = 16 * 1024;
const JKU_TIMEOUT_MS = 3_000;
const JKU_MAX_BYTES = 64 * 1024;

/** How the naive verifier came to accept a token: which of its mistakes (or none) let it through. */
type Acceptance = 'alg-none' | 'embedded-jwk' | 'jku' | 'hmac-with-public-key' | 'signature';

/** Why the naive resource refused a token: its message becomes the 401's description. */
class NaiveRefusal extends WorkbenchError<'naive-refused'> {
  override readonly name = 'NaiveRefusal';
  constructor(message: string) {
    super('naive-refused', message);
  }
}

export function naiveRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: NAIVE_RESOURCE_PATH,
      cors: 'public',
      methods: {
        GET: async (ctx) => {
          // Off unless asked for: the same 404 as any unknown path.
          if (!core.settings.demoVulnerable) throw new HttpError(404, 'not_found', 'no such endpoint');
          const token = bearerToken(ctx.req);
          if (token === null) throw invalidToken('an access token is required (Authorization: Bearer)', REALM, false);
          let outcome: { payload: JWTPayload; how: Acceptance };
          try {
            outcome = await naiveVerify(core, token);
          } catch (error) {
            const description = error instanceof NaiveRefusal ? error.message : 'access token does not verify';
            core.log.info('resource-naive.refused', description);
            throw invalidToken(description, REALM, true);
          }
          core.log.warn('resource-naive.accepted', `the deliberately vulnerable resource accepted a token (${outcome.how})`, { how: outcome.how });
          const p = outcome.payload;
          sendJson(ctx, 200, {
            sub: p.sub ?? null,
            client_id: p.client_id ?? null,
            scope: p.scope ?? '',
            accepted_by: outcome.how,
            warning: 'deliberately vulnerable demo resource: never verify tokens this way',
          });
        },
      },
    },
  ];
}

async function naiveVerify(core: IssuerCore, token: string): Promise<{ payload: JWTPayload; how: Acceptance }> {
  if (token.length > MAX_TOKEN_LENGTH) throw new NaiveRefusal('access token is too long');
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decodeProtectedHeader(token);
    payload = decodeJwt(token);
  } catch {
    throw new NaiveRefusal('access token is malformed');
  }
  // MISTAKE: the algorithm comes from the token's own header, not from the key the verifier holds.
  const alg = typeof header.alg === 'string' ? header.alg : '';
  // Only expiry is checked: the point of this resource is the signature mistakes.
  if (typeof payload.exp === 'number' && payload.exp * 1000 <= core.clock.now()) throw new NaiveRefusal('access token has expired');

  // MISTAKE: "none" (in any letter case) means "no signature to check", so anything goes.
  if (alg.toLowerCase() === 'none') return { payload, how: 'alg-none' };

  const verifyWith = async (key: CryptoKey | JoseKeyObject | Uint8Array, how: Acceptance) => {
    try {
      // MISTAKE (again): the only algorithm allowed is whichever the header names.
      await compactVerify(token, key, { algorithms: [alg] });
    } catch {
      throw new NaiveRefusal('access token signature does not verify');
    }
    return { payload, how };
  };
  const importHeaderKey = async (jwk: unknown): Promise<CryptoKey | Uint8Array> => {
    try {
      return await importJWK(jwk as JWK, alg);
    } catch {
      throw new NaiveRefusal('the key named by the token is not usable');
    }
  };

  // MISTAKE: trusts the public key the token carries in its own header.
  if (header.jwk !== undefined) return verifyWith(await importHeaderKey(header.jwk), 'embedded-jwk');

  // MISTAKE: fetches keys from whatever URL the token names (here at least only on loopback).
  if (typeof header.jku === 'string') {
    const jwks = await fetchLoopbackJwks(header.jku);
    const jwk = jwks.find((k) => k.kid === header.kid) ?? jwks[0];
    if (jwk === undefined) throw new NaiveRefusal('the jku names no keys');
    return verifyWith(await importHeaderKey(jwk), 'jku');
  }

  // MISTAKE: the kid is looked up as given, and an unknown kid falls back to the current key instead of failing.
  const now = core.clock.now();
  const named = typeof header.kid === 'string' ? core.keys.verificationKey(header.kid, now) : undefined;
  const verification = named ?? core.keys.verificationKey(core.keys.current().kid, now);
  if (verification === undefined) throw new NaiveRefusal('no key to verify with');

  if (alg.startsWith('HS') && !verification.symmetric) {
    // MISTAKE (key confusion, RFC 8725 §2.1): the header says HMAC, so the public key's PEM text becomes the secret.
    return verifyWith(new TextEncoder().encode(publicPem(verification.key)), 'hmac-with-public-key');
  }
  return verifyWith(verification.key, 'signature');
}

/** The SPKI PEM of a public key, as `openssl pkey -pubout` writes it (and as a verifier would keep it on disk). */
function publicPem(key: CryptoKey | JoseKeyObject): string {
  const object = key instanceof KeyObject ? key : KeyObject.from(key as webcrypto.CryptoKey);
  return object.export({ type: 'spki', format: 'pem' }).toString();
}

/** The keys of a JWKS at a loopback URL: http only, no redirects, bounded in size and time. */
async function fetchLoopbackJwks(jku: string): Promise<JWK[]> {
  let url: URL;
  try {
    url = new URL(jku);
  } catch {
    throw new NaiveRefusal('the jku is not a URL');
  }
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname) || url.username !== '' || url.password !== '') {
    // Even a deliberately vulnerable demo must not become a request forgery toward other hosts.
    throw new NaiveRefusal('this demo fetches a jku only from a loopback http URL');
  }
  let text: string;
  try {
    const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(JKU_TIMEOUT_MS) });
    if (!response.ok || !response.body) throw new NaiveRefusal('the jku could not be fetched');
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > JKU_MAX_BYTES) throw new NaiveRefusal('the jku document is too large');
      chunks.push(chunk);
    }
    text = Buffer.concat(chunks).toString('utf8');
  } catch (error) {
    if (error instanceof NaiveRefusal) throw error;
    throw new NaiveRefusal('the jku could not be fetched');
  }
  let keys: unknown;
  try {
    keys = (JSON.parse(text) as { keys?: unknown }).keys;
  } catch {
    throw new NaiveRefusal('the jku is not a JWKS');
  }
  if (!Array.isArray(keys)) throw new NaiveRefusal('the jku is not a JWKS');
  return keys.filter((k): k is JWK => typeof k === 'object' && k !== null && !Array.isArray(k));
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts the naive resource fetches from. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}
