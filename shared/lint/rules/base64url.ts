import type { LintRule } from '../types';

/**
 * A part whose last character has non-zero unused bits: decoders ignore them, so the token has several
 * spellings that decode alike, and a strict verifier (ours included) refuses all but the canonical one.
 * The decoder notes where; this rule makes it a finding with a severity.
 */
export const base64urlNoncanonical: LintRule = {
  id: 'base64url-noncanonical',
  severity: 'error',
  rfc: 'RFC 4648 §3.5',
  summary: 'A part of the token ends in a character whose unused bits are not zero: not canonical base64url, so strict verifiers refuse it.',
  target: 'header',
  check(token) {
    return token.notes
      .filter((note) => note.code === 'base64url-noncanonical')
      .map((note) => ({
        path: 'token',
        message: `The ${note.segment ?? 'token'} part's last character (offset ${note.offset ?? '?'}) has non-zero unused bits: it is not the canonical base64url of its bytes, so the token can be altered without changing what it decodes to. Strict verifiers refuse it; re-encode the part.`,
      }));
  },
};
