/**
 * The attack-token generator's vocabulary: the kinds, what one variant is, the options a kind needs and the
 * errors it throws. Outside tools read AttackVariant as JSON (`jwtdbg attack --json`), so its shape is a
 * contract: `kind`, `variant`, `token`, `explanation`, plus `key` / `jwks` / `pem` where the attack brings
 * its own key.
 */
import { WorkbenchError } from '../errors';
import type { PublicJwk } from '../keys';

/** In the order `jwtdbg attack --help` lists them. */
export const ATTACK_KINDS = [
  'none',
  'null-signature',
  'blank-secret',
  'key-confusion',
  'embedded-jwk',
  'jku',
  'x5u',
  'kid-injection',
  'psychic',
  'weak-secret',
] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

export function isAttackKind(value: unknown): value is AttackKind {
  return typeof value === 'string' && (ATTACK_KINDS as readonly string[]).includes(value);
}

/** The key families a fresh attack key can have (`--key-type`). */
export const FRESH_KEY_TYPES = ['rsa', 'ec'] as const;
export type FreshKeyType = (typeof FRESH_KEY_TYPES)[number];

export interface AttackOptions {
  /** key-confusion: the verifier's public key as its file's text (PEM key or certificate, JWK, JWKS). */
  key?: string;
  /** jku / x5u: where the attacker serves the JWKS or certificate. */
  url?: string;
  /** weak-secret: the cracked (or guessed) HMAC secret, as UTF-8 text. */
  secret?: string;
  /** embedded-jwk / jku / x5u: the fresh key's family; default from the token's alg, else EC P-256. */
  keyType?: FreshKeyType;
}

/** A public JWK made for an attack, named by its RFC 7638 thumbprint. */
export type AttackJwk = PublicJwk & { kid: string };

export interface AttackVariant {
  kind: AttackKind;
  /**
   * Which variant of the kind: the alg spelling (none), the secret's form (key-confusion), the injection
   * (kid-injection); for a kind with one variant, the alg the forged token carries.
   */
  variant: string;
  token: string;
  /** What a vulnerable verifier does wrong, and which RFC 8725 section forbids it. One or two sentences. */
  explanation: string;
  /** The public key the attack made and signed with (embedded-jwk, jku, x5u). */
  key?: AttackJwk;
  /** jku: the JWKS to serve at the URL. */
  jwks?: { keys: (AttackJwk & { use: 'sig'; alg: string })[] };
  /** x5u: the self-signed certificate (a chain of one, PEM) to serve at the URL. */
  pem?: string;
}

export const ATTACK_ERROR_CODES = [
  'kind-unknown',
  'option-missing', // the kind needs --key, --url or --secret
  'option-invalid', // an option given with a value the kind cannot use
  'not-a-jws', // a JWE: nothing signed to forge
  'payload-detached', // RFC 7515 Appendix F: no payload in the token to carry over
  'payload-unencoded', // RFC 7797 b64:false: the payload is not a base64url segment to copy
  'header-not-protected', // a JWS JSON serialization without a protected header
  'invalid-key', // key-confusion: the key file is not a usable key (the KeyError's code follows)
  'key-not-public', // key-confusion: a private key or secret, not the public key a verifier holds
  'key-ambiguous', // key-confusion: a JWKS of several keys, none named by the token's kid
  'crypto-failed', // key generation, signing or the certificate failed in the platform's crypto
] as const;
export type AttackErrorCode = (typeof ATTACK_ERROR_CODES)[number];

/** Why no variant could be made. A token the decoder refuses is a TokenError instead, with its code. */
export class AttackError extends WorkbenchError<AttackErrorCode> {
  override readonly name = 'AttackError';
}
