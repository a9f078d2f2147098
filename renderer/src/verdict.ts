/**
 * The one overall verdict the Verification panel leads with: what the token on screen amounts to, from its
 * decode, the host's signature verdict and the claim checks judged at "now". Pure, so every case is tested
 * without the UI; the panel re-renders it as the clock moves (the store re-judges the claims).
 */
import type { TokenErrorInfo } from '../../shared/core/errors';
import type { DecodedToken } from '../../shared/core/token';
import type { ClaimCheck, VerifyReason } from '../../shared/core/verify-types';
import type { Verification } from './store';

export type VerdictTone = 'valid' | 'invalid' | 'warning' | 'neutral';

export interface Verdict {
  tone: VerdictTone;
  headline: string;
  /** One sentence more, or null. */
  detail: string | null;
}

export interface VerdictInput {
  /** True while the input box is blank. */
  blank: boolean;
  /** The decode of the input, or null when it does not decode. */
  decoded: DecodedToken | null;
  decodeError: TokenErrorInfo | null;
  verification: Verification;
  /** The claim checks judged at the store's claimsNow (its claimChecks). */
  claims: readonly ClaimCheck[];
}

/** Reasons that are about the key (or its policy), not about the signature: "Key problem", never "Signature invalid". */
const KEY_REASONS: ReadonlySet<VerifyReason> = new Set<VerifyReason>([
  'invalid-key',
  'key-type-mismatch',
  'alg-not-allowed',
  'no-matching-key',
  'jwks-mixed',
  'jwks-duplicate-kid',
]);

/** Reasons the token itself is refused before any key is tried. */
const TOKEN_REASONS: ReadonlySet<VerifyReason> = new Set<VerifyReason>(['crit-unsupported', 'base64url-noncanonical']);

export function verdictOf(input: VerdictInput): Verdict {
  const { decoded, verification } = input;
  if (input.blank) return { tone: 'neutral', headline: 'No token', detail: 'Paste a token to verify it.' };
  if (decoded === null) {
    return { tone: 'invalid', headline: 'Token does not decode', detail: input.decodeError ? `${input.decodeError.message}, so it cannot be verified.` : 'It cannot be verified.' };
  }
  if (decoded.kind === 'jwe') {
    return { tone: 'neutral', headline: 'Encrypted token (JWE) — decrypt to inspect', detail: 'A JWE is encrypted, not signed: there is no signature to verify, and its claims are inside the ciphertext.' };
  }
  if (isUnsecured(decoded)) {
    return {
      tone: 'warning',
      headline: 'Unsecured token (alg none) — nothing to verify',
      detail: 'It has no signature, so anyone can make or change it; no key can verify it and a verifier must refuse it (RFC 8725 §3.2).',
    };
  }
  const claimPart = claimsSummary(input.claims);
  switch (verification.status) {
    case 'idle':
      if (verification.reason === 'no-key') {
        return { tone: 'neutral', headline: 'Not verified — no key', detail: `Enter a secret or key to verify the signature.${claimPart.failed ? ` Meanwhile: ${claimPart.text}.` : ''}` };
      }
      return { tone: 'neutral', headline: 'Not verified', detail: verification.reason === 'no-token' ? 'Paste a token to verify it.' : 'The token does not decode, so it cannot be verified.' };
    case 'pending':
      return { tone: 'neutral', headline: 'Verifying…', detail: null };
    case 'failed':
      return { tone: 'invalid', headline: 'Could not verify', detail: `${verification.error.message} (${verification.error.code})` };
    case 'done':
      break;
  }
  const result = verification.result;
  const source = verification.source ?? result.key?.source ?? null;
  if (result.valid && source?.startsWith('self-asserted:')) {
    // The token chose this key itself: never green, whatever the claims say.
    return {
      tone: 'invalid',
      headline: "Signature valid under the token's own key — self-asserted, proves nothing about the signer",
      detail: `Key source: ${source}. Anyone can sign a token with a key of their own and name it in the header; only a key you trust independently shows who signed (RFC 8725 §3.10). Claims: ${claimPart.text}.`,
    };
  }
  if (result.valid) {
    const keyError = result.warnings.find((w) => w.severity === 'error');
    const detail = withOrigin(source, result.message);
    if (claimPart.failed) return { tone: 'warning', headline: `Signature valid — ${claimPart.text}`, detail };
    if (keyError) return { tone: 'warning', headline: `Signature valid — ${claimPart.text}`, detail: `But the key is weak: ${keyError.message}.` };
    return { tone: 'valid', headline: `Signature valid — ${claimPart.text}`, detail };
  }
  const reason = result.reason;
  if (reason === 'not-a-jws') return { tone: 'neutral', headline: 'Encrypted token (JWE) — decrypt to inspect', detail: result.message };
  if (reason === 'alg-none') return { tone: 'warning', headline: 'Unsecured token (alg none) — nothing to verify', detail: result.message };
  if (reason === 'malformed-token') return { tone: 'invalid', headline: 'Token does not decode', detail: result.message };
  if (reason !== null && KEY_REASONS.has(reason)) return { tone: 'invalid', headline: `Key problem: ${keyProblem(result.message)}`, detail: null };
  if (reason !== null && TOKEN_REASONS.has(reason)) return { tone: 'invalid', headline: 'Token refused', detail: result.message };
  if (reason === 'unsupported-alg' || reason === 'payload-detached') return { tone: 'neutral', headline: 'Not verified', detail: result.message };
  if (reason === 'internal-error') return { tone: 'invalid', headline: 'Could not verify', detail: result.message };
  return { tone: 'invalid', headline: 'Signature invalid — it does not match the key', detail: result.message };
}

/** The host's message, after where the key came from ("key from <jwks_uri> (discovery)"), when known. */
function withOrigin(source: string | null, message: string): string | null {
  const origin = keyOriginText(source);
  if (origin === null) return message || null;
  return message ? `Verified with the ${origin}. ${message}` : `Verified with the ${origin}.`;
}

/** "key from <jwks_uri> (discovery)", "key from <url> (fetched JWKS)", or the source as is; null without one. */
export function keyOriginText(source: string | null | undefined): string | null {
  if (!source) return null;
  if (source.startsWith('discovery:')) return `key from ${source.slice('discovery:'.length)} (discovery)`;
  if (source.startsWith('jwks:')) return `key from ${source.slice('jwks:'.length)} (fetched JWKS)`;
  return `key from ${source}`;
}

/** An alg: none token (every signature of a JSON serialization says none). */
function isUnsecured(token: DecodedToken): boolean {
  if (token.kind === 'unsecured') return true;
  const algs = token.signatures.map((s) => (s.header ?? {}).alg ?? (s.unprotected ?? {}).alg ?? token.header.alg);
  return algs.length > 0 && algs.every((alg) => alg === 'none');
}

/** The host's key message without the KeyError code prefix ("jwk-invalid: …"), first letter as is. */
function keyProblem(message: string): string {
  return message.replace(/^[a-z0-9-]+: /, '');
}

/**
 * What the claims amount to: "token expired 3 min ago", "token not valid yet (in 2 min)", "aud check fails",
 * "2 claim checks fail", "all checked claims pass", "no claims checked".
 */
export function claimsSummary(claims: readonly ClaimCheck[]): { failed: boolean; text: string } {
  const failed = claims.filter((c) => c.checked && !c.ok);
  if (failed.length === 0) return { failed: false, text: claims.some((c) => c.checked) ? 'all checked claims pass' : 'no claims to check' };
  const exp = failed.find((c) => c.claim === 'exp');
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more claim check${failed.length > 2 ? 's' : ''} fail${failed.length > 2 ? '' : 's'})` : '';
  if (exp) return { failed: true, text: `token expired${relative(exp.message, 'ago')}${more}` };
  const nbf = failed.find((c) => c.claim === 'nbf');
  if (nbf) return { failed: true, text: `token not valid yet${relative(nbf.message, 'in')}${more}` };
  if (failed.length === 1) return { failed: true, text: `${failed[0]!.claim} check fails` };
  return { failed: true, text: `${failed.length} claim checks fail` };
}

/**
 * " 3 min ago" / " (in 2 min)" from a time check's own message, so the headline and the check below say
 * the same; '' when the message carries no such text (a NumericDate that is not a number).
 */
function relative(message: string, kind: 'ago' | 'in'): string {
  const m = kind === 'ago' ? /\((\d[^()]*?) ago/.exec(message) : /\(in (\d[^(),]*?)[,)]/.exec(message);
  if (!m) return '';
  return kind === 'ago' ? ` ${m[1]} ago` : ` (in ${m[1]})`;
}
