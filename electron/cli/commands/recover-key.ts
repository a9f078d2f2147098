import {
  DEFAULT_EXPONENTS,
  RECOVER_KEY_USAGE_CODES,
  RecoverKeyError,
  recoverRsaPublicKey,
  type RecoverKeyResult,
  type RecoveredKeyCandidate,
} from '../../services/recover-key';
import { flagOption, listOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { createStyle, type Style } from '../style';
import { InputError, UsageError } from '../usage-error';

/** `recover-key --json`: the candidates, each with whether it verifies both tokens. */
export type RecoverKeyJson = RecoverKeyResult;

function candidateText(c: RecoveredKeyCandidate, style: Style): string {
  const bits = Buffer.from(c.n, 'base64url').length * 8;
  const head = c.verifies
    ? style.ok(`✓ RSA public key recovered (about ${bits} bits, e = ${c.e}): it verifies both tokens`)
    : style.warn(`? a ${bits}-bit candidate with e = ${c.e} that does not verify both tokens`);
  return `${head}\n${c.pem.trimEnd()}\n${style.dim(`JWK: ${JSON.stringify(c.jwk)}`)}`;
}

function parseExponents(values: OptionValues): number[] {
  const given = listOption(values, 'exponent');
  if (given.length === 0) return [...DEFAULT_EXPONENTS];
  return given
    .flatMap((v) => v.split(','))
    .map((v) => {
      const text = v.trim();
      if (!/^\d{1,6}$/.test(text)) throw new UsageError(`--exponent must be a whole number, got ${JSON.stringify(text.slice(0, 12))}`, 'recover-key');
      return Number(text);
    });
}

export const recoverKeyCommand: Command = {
  name: 'recover-key',
  summary: 'recover the RSA public key from two RS256/384/512 tokens signed with it',
  help: `Usage: jwtdbg recover-key TOKEN1 TOKEN2 [--exponent E]... [--json]

Recovers the RSA public key that signed two RS256/384/512 tokens (the same algorithm, two different
tokens): the modulus n divides gcd(s1^e − m1, s2^e − m2), where s is a signature and m the PKCS #1
v1.5 encoding of its token's signing input. Each candidate is checked by verifying both tokens with
it. The key is printed as an SPKI PEM and a public JWK, ready for \`jwtdbg verify --key FILE\` or
\`jwtdbg attack key-confusion --key FILE\`.

PS256/384/512 tokens cannot be used: PSS signs a randomly salted encoding that the token does not
reveal, so there is nothing to take the gcd of (exit 1, with that reason).

The work is a gcd of two numbers of e × (modulus bits) bits: instant for e = 3, minutes for
e = 65537 and a 2048-bit key (134 million bits each). Progress goes to stderr on a terminal.

Options:
  --exponent E  public exponent to try (repeatable or comma-separated, odd, 3 to 65537);
                default 3, then 65537. Each is tried in turn until a key verifies both tokens
  --json        {"candidates": [{"e", "n" (base64url), "pem", "jwk", "verifies": boolean}]}
  -h, --help    show this help

Exit status: 0 a recovered key verifies both tokens; 1 none does (or PS*, or signatures longer
than a 4096-bit modulus: not recoverable, with the reason on stderr);
2 bad usage (not two tokens, a token that does not decode, not RS*/PS*, different algorithms).`,
  options: {
    exponent: { type: 'string', multiple: true },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 2) {
      throw new UsageError(`expected two tokens (TOKEN1 TOKEN2), got ${positionals.length}`, 'recover-key');
    }
    const asJson = flagOption(values, 'json');
    const exponents = parseExponents(values);
    const style = createStyle(io.stdout.isTTY, io.env);
    const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
    let result: RecoverKeyResult;
    try {
      result = recoverRsaPublicKey(positionals[0]!, positionals[1]!, {
        exponents,
        onProgress: tty ? (message) => io.stderr.write(`recover-key: ${message}…\n`) : undefined,
      });
    } catch (error) {
      if (!(error instanceof RecoverKeyError)) throw error;
      if (RECOVER_KEY_USAGE_CODES.has(error.code)) {
        const Kind = error.code === 'token-invalid' ? InputError : UsageError;
        throw new Kind(`${error.code}: ${error.message}`, 'recover-key');
      }
      // The tokens are usable input but cannot yield a key (PS*, impossible signature length).
      io.stderr.write(`jwtdbg recover-key: ${error.code}: ${error.message}\n`);
      if (asJson) io.stdout.write(`${JSON.stringify({ candidates: [] } satisfies RecoverKeyJson)}\n`);
      return 1;
    }
    const found = result.candidates.some((c) => c.verifies);
    if (asJson) {
      io.stdout.write(`${JSON.stringify(result satisfies RecoverKeyJson)}\n`);
    } else if (result.candidates.length === 0) {
      io.stdout.write(`${style.bad(`✗ no RSA key found (tried e = ${exponents.join(', ')}): the tokens were not signed by one RSA key with these exponents`)}\n`);
    } else {
      io.stdout.write(`${result.candidates.map((c) => candidateText(c, style)).join('\n\n')}\n`);
    }
    return found ? 0 : 1;
  },
};
