/**
 * The issuer's view of its signing keys: which key signs now, which keys verify, and the JWKS it publishes.
 * A retired key stays published (and keeps verifying) until the last token it signed has expired; the
 * keyring knows when that is because it records the latest `exp` signed under each kid.
 */
import { importJWK } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';
import type { SigningAlg, SigningKey, SigningKeySource } from './keys';

export interface VerificationKey {
  kid: string;
  alg: SigningAlg;
  key: CryptoKey | KeyObject;
  symmetric: boolean;
}

/** A signing key as the issuer reports it (the contract's IssuerKeyView, with the issuer's alg type). */
export interface IssuerKeyInfo {
  kid: string;
  alg: SigningAlg;
  symmetric: boolean;
  status: 'current' | 'retired';
  createdAt: number;
  retiredAt: number | null;
  /** Until when (ms) the key stays in the JWKS and keeps verifying; null for the current key. */
  publishedUntil: number | null;
}

export class KeyRing {
  /** kid → latest `exp` (ms) of any token signed with it. */
  private readonly usage = new Map<string, number>();
  private verification = new Map<string, VerificationKey>();
  private jwksText = '{"keys":[]}';
  /** Earliest instant at which some retired key may be dropped; Infinity when none is retired. */
  private nextPruneAt = Infinity;

  constructor(
    private readonly source: SigningKeySource,
    /** The longest lifetime (ms) any token signed now could have: bounds a retired key whose usage is unknown. */
    private readonly maxTokenTtlMs: () => number,
  ) {}

  /** Imports the public keys once; call after construction and after every change of the source. */
  async load(now: number): Promise<void> {
    const current = this.source.current();
    const keys = [current, ...this.source.retired()];
    const verification = new Map<string, VerificationKey>();
    for (const key of keys) verification.set(key.kid, await toVerificationKey(key));
    this.verification = verification;
    // Usage restored from disk for keys the source no longer has (in-memory keys of an earlier run).
    for (const kid of this.usage.keys()) if (!verification.has(kid)) this.usage.delete(kid);
    this.prune(now);
    this.render();
  }

  current(): SigningKey {
    return this.source.current();
  }

  /** Records that a token with this `exp` (ms) is being signed by `kid`. Call before signing. */
  noteSigned(kid: string, expMs: number): void {
    const previous = this.usage.get(kid);
    if (previous === undefined || expMs > previous) this.usage.set(kid, expMs);
  }

  async rotate(now: number): Promise<SigningKey> {
    const next = await this.source.rotate(now);
    await this.load(now);
    return next;
  }

  /** The JWKS document: public keys only, current first. Cached; recomputed when a retired key lapses. */
  jwks(now: number): string {
    if (now >= this.nextPruneAt) {
      this.prune(now);
      this.render();
    }
    return this.jwksText;
  }

  verificationKey(kid: string, now: number): VerificationKey | undefined {
    if (now >= this.nextPruneAt) this.jwks(now);
    return this.verification.get(kid);
  }

  /** Drops retired keys whose tokens have all expired. Returns the kids dropped. */
  sweep(now: number): string[] {
    const dropped = this.prune(now);
    if (dropped.length > 0) this.render();
    return dropped;
  }

  describe(): IssuerKeyInfo[] {
    const current = this.source.current();
    const list: IssuerKeyInfo[] = [
      { kid: current.kid, alg: current.alg, symmetric: current.publicJwk === null, status: 'current', createdAt: current.createdAt, retiredAt: null, publishedUntil: null },
    ];
    for (const key of this.source.retired()) {
      if (!this.verification.has(key.kid)) continue;
      list.push({
        kid: key.kid, alg: key.alg, symmetric: key.publicJwk === null, status: 'retired',
        createdAt: key.createdAt, retiredAt: key.retiredAt, publishedUntil: this.publishedUntil(key.kid, key.retiredAt),
      });
    }
    return list;
  }

  usageSnapshot(): Array<[string, number]> {
    return [...this.usage];
  }

  restoreUsage(entries: Array<[string, number]>): void {
    for (const [kid, exp] of entries) if (typeof kid === 'string' && Number.isFinite(exp)) this.noteSigned(kid, exp);
  }

  private publishedUntil(kid: string, retiredAt: number): number {
    const signed = this.usage.get(kid);
    // Unknown usage (e.g. a key store key from before this run): assume a token signed just before retirement.
    return signed ?? retiredAt + this.maxTokenTtlMs();
  }

  private prune(now: number): string[] {
    const dropped: string[] = [];
    let next = Infinity;
    for (const key of [...this.source.retired()]) {
      const until = this.publishedUntil(key.kid, key.retiredAt);
      if (until <= now) {
        this.verification.delete(key.kid);
        this.usage.delete(key.kid);
        dropped.push(key.kid);
        this.source.release?.(key.kid);
      } else if (until < next) {
        next = until;
      }
    }
    this.nextPruneAt = next;
    return dropped;
  }

  private render(): void {
    const current = this.source.current();
    const keys: JWK[] = [];
    for (const key of [current, ...this.source.retired()]) {
      // Never an oct key: a published secret would let anyone mint tokens.
      if (key.publicJwk === null || !this.verification.has(key.kid)) continue;
      keys.push(publicOnly(key.publicJwk, key.kid, key.alg));
    }
    this.jwksText = JSON.stringify({ keys });
  }
}

const PUBLIC_MEMBERS: Record<string, readonly string[]> = {
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
};

/** Copies only the public members of a JWK, whatever the source handed over. */
function publicOnly(jwk: JWK, kid: string, alg: SigningAlg): JWK {
  const members = PUBLIC_MEMBERS[jwk.kty ?? ''] ?? [];
  const out: JWK = { kty: jwk.kty, kid, alg, use: 'sig' };
  for (const name of members) {
    const value = (jwk as Record<string, unknown>)[name];
    if (typeof value === 'string') (out as Record<string, unknown>)[name] = value;
  }
  return out;
}

async function toVerificationKey(key: SigningKey): Promise<VerificationKey> {
  if (key.publicJwk === null) return { kid: key.kid, alg: key.alg, key: key.privateKey, symmetric: true };
  const imported = await importJWK(publicOnly(key.publicJwk, key.kid, key.alg), key.alg);
  return { kid: key.kid, alg: key.alg, key: imported as CryptoKey, symmetric: false };
}
