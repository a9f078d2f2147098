/**
 * Which protection the key store gets in the desktop app: Electron's safeStorage (the OS keychain) when
 * it really encrypts, else nothing is injected and the user sets a passphrase. On Linux without a
 * keyring safeStorage "works" with a hard-coded password (backend basic_text): that is no protection,
 * so it counts as unavailable. Must be asked after app `ready` (Linux decides then).
 */
import type { SafeStorageLike } from '../services/keys';

export function usableSafeStorage(safeStorage: SafeStorageLike, platform: NodeJS.Platform = process.platform): SafeStorageLike | null {
  try {
    if (!safeStorage.isEncryptionAvailable()) return null;
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
    return safeStorage;
  } catch {
    // Asking can throw before ready or on an odd keyring; a passphrase is the safe answer.
    return null;
  }
}
