/**
 * The `hmac-secret-known` check for many tokens (`jwtdbg lint` on a batch): is this HS256/384/512 token
 * signed with a secret from the built-in list? The full scan is the cost, so what can be skipped is:
 *   - a token seen before (same alg, signing input and signature) gets its earlier answer;
 *   - secrets already found in this run are tried first, on this thread (a batch tends to share one key).
 */
import { createHash, hash } from 'node:crypto';
import type { DecodedToken } from '../../../shared/core/token';
import type { KnownSecret } from '../../../shared/lint/types';
import { crackHmac } from './crack';
import { CrackError } from './errors';
import { createHmacScanner } from './hmac-scanner';
import type { KnownSecretsList } from './known-secrets';
import type { ScanPool } from './pool';
import { hmacTargetOf, type HmacTarget } from './target';

/** Answers remembered (by token); beyond it the oldest go. */
const MEMO_SIZE = 4096;
/** Distinct secrets found, tried first. */
const FOUND_SIZE = 32;

export class KnownSecretCheck {
  private readonly memo = new Map<string, KnownSecret | null>();
  private found: { bytes: Uint8Array; secret: KnownSecret }[] = [];

  constructor(
    private readonly list: KnownSecretsList,
    private readonly pool: ScanPool,
  ) {}

  /** The secret, or null: not found, or not a token an HMAC secret could be tested on (JWE, RS256, …). */
  async check(token: DecodedToken): Promise<KnownSecret | null> {
    let target: HmacTarget;
    try {
      target = hmacTargetOf(token);
    } catch (error) {
      if (error instanceof CrackError) return null;
      throw error;
    }
    const key = memoKey(target);
    const remembered = this.memo.get(key);
    if (remembered !== undefined) return remembered;
    const answer = this.tryFound(target) ?? (await this.scan(target));
    if (this.memo.size >= MEMO_SIZE) this.memo.delete(this.memo.keys().next().value!);
    this.memo.set(key, answer);
    return answer;
  }

  private tryFound(target: HmacTarget): KnownSecret | null {
    if (this.found.length === 0) return null;
    const scanner = createHmacScanner(hash, target.hash, target.message, target.signature);
    return this.found.find((f) => scanner.matches(f.bytes, 0, f.bytes.length))?.secret ?? null;
  }

  private async scan(target: HmacTarget): Promise<KnownSecret | null> {
    const result = await crackHmac(target, [{ kind: 'builtin', list: this.list }], { pool: this.pool });
    if (!result.found) return null;
    const secret = { secret: result.secret!, source: result.source! };
    this.found = [{ bytes: result.secretBytes!, secret }, ...this.found].slice(0, FOUND_SIZE);
    return secret;
  }
}

/** One token's identity for the memo: a digest, so that a batch of large tokens does not pile up in memory. */
function memoKey(target: HmacTarget): string {
  return createHash('sha256').update(target.alg).update('\0').update(target.signature).update(target.message).digest('base64');
}
