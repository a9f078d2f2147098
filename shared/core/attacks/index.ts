/**
 * The attack-token generator: forged variants of a token, each with what a vulnerable verifier does wrong,
 * for testing verifiers (the CLI's `jwtdbg attack`, the debugger's Attacks menu). Platform-neutral: jose and
 * WebCrypto only.
 *
 * `planAttack` checks the options and does the per-run work once (reading key-confusion's key; the fresh key
 * of embedded-jwk, jku and x5u is made on first use and reused, so every token of a batch points at the same
 * JWKS or certificate); `plan.variants` then forges the variants of one token.
 */
import { attackUrl, embeddedJwkVariants, jkuVariants, x5uVariants } from './embedded-key';
import { freshKeyAlgorithm, generateFreshKey, type FreshKey } from './fresh-key';
import { selfSignedCertificatePem } from './certificate';
import { keyConfusionVariants, readConfusionKey } from './key-confusion';
import { kidInjectionVariants } from './kid-injection';
import { psychicVariants } from './psychic';
import { blankSecretVariants, weakSecretBytes, weakSecretVariants } from './secrets';
import { readAttackTarget, type AttackTarget } from './target';
import { ATTACK_KINDS, AttackError, FRESH_KEY_TYPES, isAttackKind, type AttackKind, type AttackOptions, type AttackVariant, type FreshKeyType } from './types';
import { noneVariants, nullSignatureVariants } from './unsigned';

export * from './types';
export { readAttackTarget, type AttackTarget } from './target';
export { KID_INJECTIONS } from './kid-injection';
export { NONE_SPELLINGS } from './unsigned';

export interface AttackPlan {
  readonly kind: AttackKind;
  /** The variants of one token, in a fixed order. */
  variants(target: AttackTarget): Promise<AttackVariant[]>;
}

/** Checks the options `kind` needs and prepares what every token shares. Throws AttackError. */
export async function planAttack(kind: AttackKind, options: AttackOptions = {}): Promise<AttackPlan> {
  if (!isAttackKind(kind)) throw new AttackError('kind-unknown', `unknown attack kind: expected ${ATTACK_KINDS.join(', ')}`);
  const plan = (variants: AttackPlan['variants']): AttackPlan => ({ kind, variants });
  switch (kind) {
    case 'none':
      return plan(async (t) => noneVariants(t));
    case 'null-signature':
      return plan(async (t) => nullSignatureVariants(t));
    case 'blank-secret':
      return plan(blankSecretVariants);
    case 'kid-injection':
      return plan(kidInjectionVariants);
    case 'psychic':
      return plan(async (t) => psychicVariants(t));
    case 'weak-secret': {
      const secret = weakSecretBytes(options.secret);
      return plan((t) => weakSecretVariants(t, secret));
    }
    case 'key-confusion': {
      if (options.key === undefined) {
        throw new AttackError('option-missing', 'key-confusion needs the public key the verifier holds (--key FILE: PEM, X.509 certificate or JWK)');
      }
      const source = await readConfusionKey(options.key);
      return plan((t) => keyConfusionVariants(t, source));
    }
    case 'embedded-jwk':
    case 'jku':
    case 'x5u': {
      const keys = freshKeys(checkKeyType(options.keyType));
      if (kind === 'embedded-jwk') return plan(async (t) => embeddedJwkVariants(t, await keys.key(t)));
      const url = attackUrl(options.url, kind);
      if (kind === 'jku') return plan(async (t) => jkuVariants(t, await keys.key(t), url));
      return plan(async (t) => {
        const key = await keys.key(t);
        return x5uVariants(t, key, url, await keys.certificate(key));
      });
    }
  }
}

/** The variants of one token: planAttack, then readAttackTarget (which throws the decoder's TokenError). */
export async function generateAttacks(kind: AttackKind, token: string, options: AttackOptions = {}): Promise<AttackVariant[]> {
  const plan = await planAttack(kind, options);
  return plan.variants(readAttackTarget(token));
}

function checkKeyType(keyType: unknown): FreshKeyType | undefined {
  if (keyType === undefined) return undefined;
  if (!(FRESH_KEY_TYPES as readonly unknown[]).includes(keyType)) {
    throw new AttackError('option-invalid', `the key type must be ${FRESH_KEY_TYPES.join(' or ')}`);
  }
  return keyType as FreshKeyType;
}

/** One fresh key per alg (and its certificate), made on first use and kept for the whole run. */
function freshKeys(keyType: FreshKeyType | undefined) {
  const keys = new Map<string, Promise<FreshKey>>();
  const certificates = new Map<FreshKey, Promise<string>>();
  return {
    key(target: AttackTarget): Promise<FreshKey> {
      const alg = freshKeyAlgorithm(target.alg, keyType);
      let key = keys.get(alg.name);
      if (!key) keys.set(alg.name, (key = generateFreshKey(alg)));
      return key;
    },
    certificate(key: FreshKey): Promise<string> {
      let pem = certificates.get(key);
      if (!pem) certificates.set(key, (pem = selfSignedCertificatePem(key)));
      return pem;
    },
  };
}
