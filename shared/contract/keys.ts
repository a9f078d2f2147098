/**
 * The key store's part of the host contract (issue 4): request schemas and response types of the
 * `keys.*` methods, and the `stored` key input that crypto.sign / crypto.verify accept. Responses carry
 * public JWKs, ids and facts only: private material never crosses the contract (keys.exportPrivate is
 * carried out by the host itself and answers with where the key went).
 */
import type { KeyInput } from '../core/keys';
import * as s from './schema';

export const KEY_LIMITS = {
  id: 64,
  /** The store's own bounds are tighter (kid 200, label 200); these only keep requests finite. */
  kid: 1024,
  label: 1024,
  passphrase: 1024,
  alg: 32,
  ids: 256,
} as const;

/** A key in the store, named by its id (a UUID): what crypto.sign / crypto.verify accept besides key text. */
export interface StoredKeyInput {
  type: 'stored';
  id: string;
}

export const storedKeyInputSchema = s.object({ type: s.literal('stored'), id: s.string({ max: KEY_LIMITS.id, min: 1 }) });

/** What the host signs and verifies with: key text (the shared core's KeyInput) or a stored key's id. */
export type HostKeyInput = KeyInput | StoredKeyInput;

export type KeyStoreState =
  /** No usable store yet: keys.setup creates one (a bad file was set aside; `notice` says where). */
  | 'needs-setup'
  /** A passphrase-protected store exists and has not been unlocked in this host. */
  | 'locked'
  | 'unlocked'
  /** The store cannot be used here (written by a newer version, another protection): `notice` says why. */
  | 'unavailable';

/** How a store's private parts are protected at rest. `none` is the explicitly chosen unencrypted test store. */
export type KeyProtectionKind = 'safe-storage' | 'passphrase' | 'none';
export type KeySetupChoice = 'safe-storage' | 'passphrase' | 'unencrypted-test-store';
export type PrivateExportDestination = 'file' | 'clipboard';

export interface KeysStatus {
  state: KeyStoreState;
  /** How the existing (or open) store is protected; null when there is none yet. */
  protection: KeyProtectionKind | null;
  /** What keys.setup may choose on this host, best first. */
  setupChoices: KeySetupChoice[];
  /** Where keys.exportPrivate can put a private key on this host (empty: it refuses). */
  privateExport: PrivateExportDestination[];
  keyCount: number | null;
  /** A message for the user: a store set aside, or why the store is unavailable. */
  notice: string | null;
  /**
   * Damaged entries (malformed, or failing authentication) that were moved out of the store since this host
   * opened it, while every other key kept working. Absent when there are none.
   */
  setAside?: SetAsideKeyInfo[];
}

/** A stored key's entry that was damaged and set aside: removed from the store, kept as it was in a side file. */
export interface SetAsideKeyInfo {
  /** The entry's id, kid and label as the file had them; null when missing or not a plain short string. */
  id: string | null;
  kid: string | null;
  label: string | null;
  /** Why it was set aside, e.g. "it fails authentication (its metadata or private part was altered)". */
  reason: string;
  /** The side file that keeps it. */
  file: string;
}

/** A public JWK as stored (with kid, alg when pinned, use): members are strings. */
export type PublicJwkView = { readonly kty: string } & { readonly [member: string]: unknown };

/** A stored key as the contract shows it: identity, facts and public material only. */
export interface StoredKeyInfo {
  id: string;
  kid: string;
  label: string;
  /** ISO 8601. */
  createdAt: string;
  kty: 'RSA' | 'EC' | 'OKP' | 'oct';
  /** EC / OKP curve, else null. */
  curve: string | null;
  /** RSA modulus bits, curve bits, or HMAC secret bits. */
  size: number;
  /** "RSA 2048", "EC P-256", "OKP Ed25519", "HMAC secret of 256 bits". */
  description: string;
  /** The algorithm the key is pinned to, else null. */
  alg: string | null;
  /** Algorithms the key works with (signing needs hasPrivate). */
  algorithms: string[];
  /** RFC 7638 SHA-256 thumbprint, base64url (the default kid). */
  thumbprint: string;
  hasPrivate: boolean;
  /** Null for an HMAC secret: it has no public form. */
  publicJwk: PublicJwkView | null;
}

export interface KeysImportResult {
  /** Keys added, or public keys that gained their private part. */
  imported: StoredKeyInfo[];
  /** Keys already in the store (same thumbprint), left as they were. */
  existing: StoredKeyInfo[];
}

export type PublicExportFormat = 'jwk' | 'pem' | 'jwks';

export interface PublicExport {
  format: PublicExportFormat;
  /** The exported text: a JWK or JWKS as pretty JSON, or an SPKI PEM. */
  text: string;
  /** A file name to offer when downloading. */
  fileName: string;
  mediaType: string;
}

export type PrivateExportOutcome =
  | { status: 'saved'; path: string }
  | { status: 'copied'; clearsAfterSeconds: number }
  | { status: 'cancelled' };

const id = s.string({ max: KEY_LIMITS.id, min: 1 });
const kid = s.string({ max: KEY_LIMITS.kid, min: 1 });
const label = s.string({ max: KEY_LIMITS.label });
const passphrase = s.string({ max: KEY_LIMITS.passphrase, min: 1 });

export const keysRequests = {
  status: s.object({}),
  setup: s.discriminated('protection', [
    s.object({ protection: s.literal('passphrase'), passphrase }),
    s.object({ protection: s.literal('safe-storage') }),
    // Asked for by its full name, never a default: private parts are then stored in plain text.
    s.object({ protection: s.literal('unencrypted-test-store') }),
  ]),
  unlock: s.object({ passphrase }),
  /** Moves a store that cannot be opened aside (never deletes it); the user asked, knowing its keys are lost to this app. */
  reset: s.object({ confirmed: s.literal(true) }),
  list: s.object({
    /** Only keys that fit this algorithm (the debugger's offer for a token's alg). */
    alg: s.optional(s.string({ max: KEY_LIMITS.alg, min: 1 })),
    /** With alg: 'sign' keeps only keys with a private part. Default 'verify'. */
    purpose: s.optional(s.oneOf(['sign', 'verify'] as const)),
  }),
  generate: s.object({
    alg: s.string({ max: KEY_LIMITS.alg, min: 1 }),
    bits: s.optional(s.number({ integer: true, min: 1, max: 65536 })),
    kid: s.optional(kid),
    label: s.optional(label),
  }),
  update: s.object({ id, label: s.optional(label), kid: s.optional(kid) }),
  remove: s.object({ id }),
  exportPublic: s.object({
    ids: s.array(id, { max: KEY_LIMITS.ids, min: 1 }),
    format: s.oneOf(['jwk', 'pem', 'jwks'] as const),
  }),
  exportPrivate: s.object({
    id,
    format: s.oneOf(['jwk', 'pem'] as const),
    destination: s.oneOf(['file', 'clipboard'] as const),
    /** The user saw the warning and asked for it: no caller gets a private key out by default. */
    confirmed: s.literal(true),
  }),
} as const;
