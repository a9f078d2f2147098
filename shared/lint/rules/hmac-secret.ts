import type { LintRule } from '../types';
import { headersOf, memberPath } from './token-view';

/** RFC 7518 §3.2: an HMAC key must be at least as long as the hash output. */
const MIN_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 };

export const hmacSecretShort: LintRule = {
  id: 'hmac-secret-short',
  severity: 'error',
  rfc: 'RFC 7518 §3.2',
  summary:
    'The secret used with HS256/384/512 is shorter than the hash output (32/48/64 bytes): it can be brute-forced offline.',
  target: 'key',
  check(token, ctx) {
    const length = ctx.secretLength;
    if (length === undefined) return [];
    const alg = headersOf(token)[0]!.header.alg;
    const min = typeof alg === 'string' && Object.hasOwn(MIN_BYTES, alg) ? MIN_BYTES[alg]! : null;
    if (min === null || length >= min) return [];
    return [
      {
        path: memberPath('header', 'alg'),
        message:
          `The ${alg} secret is ${length} byte${length === 1 ? '' : 's'}; ${alg} needs at least ${min} (the hash output size). ` +
          'Anyone holding one token can guess a short secret offline and then sign tokens of their own.',
      },
    ];
  },
};
