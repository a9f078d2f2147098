import type { LintRule } from '../types';
import { headersOf, memberPath } from './token-view';

const MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

/**
 * RFC 8725 §3.5: a human-memorable or published secret must not be an HMAC key. The scan that finds it
 * needs Node's worker threads, so it runs in the caller (`jwtdbg lint`), which passes what it found.
 */
export const hmacSecretKnown: LintRule = {
  id: 'hmac-secret-known',
  severity: 'error',
  rfc: 'RFC 8725 §3.5',
  summary:
    'The HS256/384/512 secret is publicly known: a scan of the bundled list of known JWT secrets found it (jwtdbg lint runs the scan), so anyone can forge tokens.',
  target: 'key',
  check(token, ctx) {
    const known = ctx.knownSecret;
    if (known === undefined) return [];
    const alg = headersOf(token)[0]!.header.alg;
    const min = typeof alg === 'string' && Object.hasOwn(MIN_BYTES, alg) ? MIN_BYTES[alg]! : null;
    if (min === null) return [];
    const where = known.source === 'builtin' ? 'the bundled list of publicly known JWT secrets' : `the wordlist ${known.source}`;
    return [
      {
        path: memberPath('header', 'alg'),
        // The secret itself goes in the finding's `secret`, never into the message.
        message:
          `The ${alg} secret is publicly known: it is in ${where}. Anyone holding one token can sign tokens of their own; ` +
          `sign with a random secret of at least ${min} bytes instead.`,
        secret: known.secret,
      },
    ];
  },
};
