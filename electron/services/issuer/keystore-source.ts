/**
 * A SigningKeySource whose keys live in the app's key store (electron/services/keys), so the issuer's
 * signing keys survive a restart and stay encrypted at rest under the store's protection. Which stored key
 * signs now and which are retired (with when) is the issuer's own business: it is kept in a small roles
 * file beside the issuer's state, holding key ids only — never key material.
 */
import { createPrivateKey, createSecretKey } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { JWK } from 'jose';
import { readFileChecked, writeFileAtomic } from '../files/index';
import type { KeyStore, KeyInfo } from '../keys/index';
import { isKeyStoreError } from '../keys/errors';
import { isGenerateAlg } from '../keys/algorithms';
import { canonicalJwk } from '../keys/material';
import { SigningKeyError, isSigningAlg, isSymmetricAlg } from './keys';
import type { RetiredSigningKey, SigningAlg, SigningKey, SigningKeySource } from './keys';

export const ROLES_FILE_NAME = 'issuer-keys.json';
const ROLES_SCHEMA = 1;
const GENERATED_LABEL = 'jwtdbg issuer signing key';
/** Key ids and dates only: a few KiB at most. */
const MAX_ROLES_BYTES = 1024 * 1024;

interface RoleEntry {
  id: string;
  retiredAt?: number;
  /** Made by this source (so it may remove it from the store once no token needs it). */
  generated: boolean;
}

interface Roles {
  schema: number;
  current: RoleEntry | null;
  retired: Required<RoleEntry>[];
}

export interface KeyStoreSourceOptions {
  store: KeyStore;
  /** Folder of the roles file (the issuer's data folder). */
  dir: string;
  /** Algorithm of generated keys; with `keyId`, must be one the stored key supports (default: its pinned alg). */
  alg?: SigningAlg;
  /** Sign with this stored key (it becomes current; the previous current one is retired). */
  keyId?: string;
  /** ms, issuer's clock. */
  now: number;
}

export class KeyStoreSigningKeySource implements SigningKeySource {
  private active!: SigningKey;
  private activeRole!: RoleEntry;
  private readonly old: Array<RetiredSigningKey & { id: string; generated: boolean }> = [];

  private constructor(
    private readonly store: KeyStore,
    private readonly file: string,
  ) {}

  /** Loads the current and retired keys named in the roles file, or generates / adopts a current key. */
  static async open(options: KeyStoreSourceOptions): Promise<KeyStoreSigningKeySource> {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    const source = new KeyStoreSigningKeySource(options.store, path.join(options.dir, ROLES_FILE_NAME));
    const roles = await source.readRoles();
    for (const entry of roles.retired) {
      const key = await source.loadOrNull(entry.id, undefined, entry.retiredAt);
      if (key) source.old.push({ ...key, retiredAt: entry.retiredAt, id: entry.id, generated: entry.generated });
    }
    const current = roles.current ? await source.loadOrNull(roles.current.id, undefined, options.now) : null;
    const wantedAlg = options.alg;
    if (options.keyId !== undefined && options.keyId !== roles.current?.id) {
      const chosen = await source.load(options.keyId, wantedAlg, options.now);
      if (current && roles.current) source.old.push({ ...current, retiredAt: options.now, id: roles.current.id, generated: roles.current.generated });
      source.setActive(chosen, { id: options.keyId, generated: false });
    } else if (current && roles.current && (wantedAlg === undefined || current.alg === wantedAlg)) {
      source.setActive(current, roles.current);
    } else {
      // No usable current key (first start, or another algorithm asked for): a fresh one, the old one retired.
      if (current && roles.current) source.old.push({ ...current, retiredAt: options.now, id: roles.current.id, generated: roles.current.generated });
      const { key, id } = await source.generate(wantedAlg ?? 'ES256', options.now);
      source.setActive(key, { id, generated: true });
    }
    await source.writeRoles();
    return source;
  }

  current(): SigningKey {
    return this.active;
  }

  retired(): readonly RetiredSigningKey[] {
    return this.old;
  }

  async rotate(now: number): Promise<SigningKey> {
    const { key, id } = await this.generate(this.active.alg, now);
    this.old.push({ ...this.active, retiredAt: now, id: this.activeRole.id, generated: this.activeRole.generated });
    this.setActive(key, { id, generated: true });
    await this.writeRoles();
    return key;
  }

  release(kid: string): void {
    const index = this.old.findIndex((key) => key.kid === kid);
    if (index < 0) return;
    const [gone] = this.old.splice(index, 1);
    // Best effort and off the request path: a key left behind in the store is harmless, only clutter.
    void this.writeRoles()
      .then(() => (gone!.generated ? this.store.remove(gone!.id) : undefined))
      .catch(() => undefined);
  }

  private setActive(key: SigningKey, role: RoleEntry): void {
    this.active = key;
    this.activeRole = role;
  }

  private async generate(alg: SigningAlg, now: number): Promise<{ key: SigningKey; id: string }> {
    if (!isGenerateAlg(alg)) throw new SigningKeyError('unsupported-alg', `the key store cannot generate ${alg} keys`);
    let info: KeyInfo;
    try {
      info = await this.store.generate(alg, { label: GENERATED_LABEL });
    } catch (error) {
      throw new SigningKeyError('key-generation-failed', `could not generate a ${alg} key in the key store: ${messageOf(error)}`);
    }
    return { key: await this.load(info.id, alg, now), id: info.id };
  }

  private async loadOrNull(id: string, alg: SigningAlg | undefined, createdAt: number): Promise<SigningKey | null> {
    try {
      return await this.load(id, alg, createdAt);
    } catch (error) {
      // A stored key removed by the user (or a store restarted afresh): forget it rather than refuse to start.
      if (isKeyStoreError(error) && error.code === 'not-found') return null;
      throw error;
    }
  }

  private async load(id: string, wanted: SigningAlg | undefined, createdAt: number): Promise<SigningKey> {
    const info = await this.store.get(id);
    const alg = wanted ?? (info.alg as SigningAlg | null) ?? defaultAlgOf(info);
    if (!isSigningAlg(alg) || !info.algorithms.includes(alg)) {
      throw new SigningKeyError('unsupported-alg', `stored key ${info.kid} cannot sign ${String(alg)} (it supports ${info.algorithms.join(', ') || 'nothing'})`);
    }
    if (!info.hasPrivate) throw new SigningKeyError('unsupported-alg', `stored key ${info.kid} has no private part and cannot sign`);
    const jwk = JSON.parse(await this.store.revealPrivateKey(id, 'jwk')) as JWK;
    let privateKey: KeyObject;
    if (isSymmetricAlg(alg)) {
      privateKey = createSecretKey(Buffer.from(String(jwk.k), 'base64url'));
    } else {
      privateKey = createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
    }
    const publicJwk = info.publicJwk === null ? null : { ...canonicalJwk(info.kty, info.publicJwk, false), kid: info.kid, alg, use: 'sig' };
    return { kid: info.kid, alg, privateKey, publicJwk, createdAt: Date.parse(info.createdAt) || createdAt };
  }

  private async readRoles(): Promise<Roles> {
    let text: string | null;
    try {
      text = await readFileChecked(this.file, { maxBytes: MAX_ROLES_BYTES, encoding: 'utf8' });
    } catch (error) {
      throw new SigningKeyError('key-generation-failed', `cannot read ${this.file}: ${messageOf(error)}`);
    }
    if (text === null) return { schema: ROLES_SCHEMA, current: null, retired: [] };
    try {
      const parsed = JSON.parse(text) as Partial<Roles>;
      const entry = (e: unknown): e is RoleEntry => typeof e === 'object' && e !== null && typeof (e as RoleEntry).id === 'string';
      return {
        schema: ROLES_SCHEMA,
        current: entry(parsed.current) ? { id: parsed.current.id, generated: parsed.current.generated === true } : null,
        retired: (Array.isArray(parsed.retired) ? parsed.retired : [])
          .filter(entry)
          .filter((e) => typeof e.retiredAt === 'number')
          .map((e) => ({ id: e.id, retiredAt: e.retiredAt!, generated: e.generated === true })),
      };
    } catch {
      // Ids only: losing them costs a fresh key, never a secret. Start over rather than refuse to run.
      return { schema: ROLES_SCHEMA, current: null, retired: [] };
    }
  }

  private async writeRoles(): Promise<void> {
    const roles: Roles = {
      schema: ROLES_SCHEMA,
      current: { id: this.activeRole.id, generated: this.activeRole.generated },
      retired: this.old.map((k) => ({ id: k.id, retiredAt: k.retiredAt, generated: k.generated })),
    };
    await writeFileAtomic(this.file, `${JSON.stringify(roles, null, 2)}\n`);
  }
}

function defaultAlgOf(info: KeyInfo): string {
  return info.algorithms.find((a) => isSigningAlg(a)) ?? '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
