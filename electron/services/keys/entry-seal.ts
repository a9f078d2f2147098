/**
 * Binding a stored entry's metadata to its seal. The AAD of every seal is the entry's canonical metadata —
 * id, kid, label, createdAt, alg, kty, crv, size, thumbprint, public JWK: every member but the seals — so
 * editing any of them in keys.json (or moving a sealed part to another entry) makes the entry fail
 * authentication. A public key has no private part to seal, so it carries a seal of the empty text
 * (`integrity`) for the same binding.
 * Under the unencrypted test store the "seal" is a digest: it detects accidental edits, it protects nothing.
 */
import type { JWK } from 'jose';
import { canonicalJson, type SecretProtector } from './encryption';
import { publicMembers } from './material';
import { STORE_VERSION, type StoredEntry } from './store-file';
import { jwkThumbprint } from './thumbprint';

/** Versioned, so a seal of another purpose or format version can never pass for an entry's. */
const ENTRY_AAD_PREFIX = 'jwt-workbench/keys/v2/entry:';

/**
 * Every member of the entry but its seals — so a member added to the format later is bound without a change
 * here, and a member added by hand to keys.json fails authentication like an edited one. Undefined members
 * are left out, as JSON leaves them out of the file.
 */
export function entryAad(entry: StoredEntry): string {
  const { secret: _secret, integrity: _integrity, ...metadata } = entry;
  const defined = Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined));
  return ENTRY_AAD_PREFIX + canonicalJson(defined);
}

/**
 * (Re)seals `entry` as its metadata now stands: `privateText` (the private JWK as JSON) into `secret`, or
 * for a public key (null) an empty seal into `integrity`. Call it after every change of the metadata.
 */
export function sealEntry(protector: SecretProtector, entry: StoredEntry, privateText: string | null): void {
  const aad = entryAad(entry);
  if (privateText === null) {
    entry.secret = null;
    entry.integrity = protector.seal('', aad);
  } else {
    entry.secret = protector.seal(privateText, aad);
    delete entry.integrity;
  }
}

/** The private JWK text of an authentic entry (null for a public key), or undefined when it is not authentic. */
export function openEntry(protector: SecretProtector, entry: StoredEntry): string | null | undefined {
  const aad = entryAad(entry);
  if (entry.secret === null) {
    return entry.integrity !== undefined && protector.open(entry.integrity, aad) === '' ? null : undefined;
  }
  return protector.open(entry.secret, aad) ?? undefined;
}

export type EntryCheck = { ok: true; privateText: string | null } | { ok: false; reason: string };

/**
 * Whether an entry read from a file of schema `fromVersion` can be trusted: its seal authenticates, and its
 * private part (if any) is a JWK of its type whose public members are its public JWK — or, for an HMAC
 * secret, whose thumbprint is its recorded one. A version-1 entry bound only its id to its private part
 * (its metadata was not authenticated then); the caller reseals it (sealEntry) to migrate it.
 */
export async function checkEntry(protector: SecretProtector, entry: StoredEntry, fromVersion: number): Promise<EntryCheck> {
  let privateText: string | null | undefined;
  if (fromVersion >= STORE_VERSION) {
    privateText = openEntry(protector, entry);
    if (privateText === undefined) return { ok: false, reason: 'it fails authentication (its metadata or private part was altered)' };
  } else {
    privateText = entry.secret === null ? null : protector.openLegacy(entry.secret, entry.id);
    if (privateText === null && entry.secret !== null) return { ok: false, reason: 'its private part fails authentication (altered or swapped)' };
  }
  if (privateText === null) return { ok: true, privateText };
  let jwk: Record<string, unknown>;
  try {
    jwk = JSON.parse(privateText) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'its private part is not a JWK' };
  }
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== entry.kty) return { ok: false, reason: `its private part is not a ${entry.kty} key` };
  if (entry.kty === 'oct') {
    if (typeof jwk.k !== 'string' || (await jwkThumbprint(jwk as JWK)) !== entry.thumbprint) {
      return { ok: false, reason: 'its secret does not match its thumbprint' };
    }
  } else {
    const pub = entry.publicJwk as Record<string, unknown>;
    if (!publicMembers(entry.kty).every((name) => jwk[name] === pub[name])) {
      return { ok: false, reason: 'its private part does not belong to its public key' };
    }
  }
  return { ok: true, privateText };
}
