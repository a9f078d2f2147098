/** Shared helpers of the keys-*.test.ts files (not a test file itself). */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Protection, SafeStorageLike, ScryptCost } from '../../electron/services/keys';

/** The minimum cost the store accepts: real scrypt, fast enough for many opens in a test run. */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };

export const passphrase = (text: string): Protection => ({ kind: 'passphrase', passphrase: text, cost: TEST_SCRYPT_COST });
export const unencrypted: Protection = { kind: 'unencrypted-test-store' };

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Stands in for Electron's safeStorage, which needs the Electron runtime: like the real one it
 * encrypts with a key the OS keeps for this user (here AES-256-GCM under a key held by this object),
 * so a store wrapped by one keychain cannot be opened by another.
 */
export function testKeychain(options: { available?: boolean; backend?: string } = {}): SafeStorageLike {
  const key = crypto.randomBytes(32);
  return {
    isEncryptionAvailable: () => options.available ?? true,
    ...(options.backend !== undefined && { getSelectedStorageBackend: () => options.backend as string }),
    encryptString(plainText: string): Buffer {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), data]);
    },
    decryptString(encrypted: Buffer): string {
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12));
      decipher.setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** Files in `dir` whose names start with `prefix`. */
export function filesLike(dir: string, prefix: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.startsWith(prefix));
}
