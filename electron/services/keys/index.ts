/**
 * The key store service (issue 4): plain Node, no `electron` import. Main, the web host and the CLI
 * build a KeyStore with the protection that fits them:
 *   Electron main  { kind: 'safe-storage', safeStorage }  (Electron's safeStorage as is), or a passphrase
 *                  when inspectKeyStore / the error code 'encryption-unavailable' says so;
 *   web host, CLI  { kind: 'passphrase', passphrase }, or { kind: 'unencrypted-test-store' } by explicit choice.
 *
 * Wiring into the contract is one call per method, each argument passed through:
 *   keys.list → list()                     keys.generate → generate(alg, { bits, kid, label })
 *   keys.get → get(id)                     keys.import → import(input: KeyInput, { label })
 *   keys.update → update(id, { label, kid })   keys.remove → remove(id)
 *   keys.forAlg → keysForAlg(alg, purpose)     keys.exportPublic → exportPublicJwk(id) / exportPublicPem(id)
 *   keys.exportJwks → exportJwks(ids?)     crypto.sign/verify with a stored key → sign(id, …) / verify(id, token, options)
 * A thrown KeyStoreError becomes the Result error as `error.toJSON()` ({ code, message }); sign() lets the
 * shared SignError through for header/payload problems, exactly as signing with a given key does.
 * Never wire revealPrivateKey, exportPrivateKeyToFile or verificationKey: main calls them itself (save
 * dialog → exportPrivateKeyToFile, clipboard → revealPrivateKey).
 * `jwtdbg keygen ALG` = generateKey(alg, { bits, kid }) → keygenOutput(key, format) → print it, or
 * writeKeyFiles(output, dir, format) for `--out DIR`.
 */
export { KeyStore, inspectKeyStore, setAsideKeyStore, storePath } from './service';
export type {
  FileSealer,
  GenerateKeyRequest,
  ImportResult,
  KeyInfo,
  KeyPurpose,
  KeyStoreOptions,
  KeyUpdate,
  StoreInspection,
  StoreRecovery,
  StoreState,
} from './service';
export { KeyStoreError, isKeyStoreError } from './errors';
export type { KeyStoreErrorCode } from './errors';
export { DEFAULT_SCRYPT_COST, protectionKindOf } from './encryption';
export type { Protection, ProtectionKind, SafeStorageLike, ScryptCost, SecretProtector } from './encryption';
export { generateKey } from './generate';
export type { GenerateOptions, GeneratedKey } from './generate';
export { GENERATE_ALGS, isGenerateAlg, RSA_GENERATE_BITS, HMAC_MIN_BITS, HMAC_MAX_BITS } from './algorithms';
export type { GenerateAlg } from './algorithms';
export { keygenOutput, toJwks } from './export';
export type { ExportFormat, Jwks, KeygenOutput } from './export';
export { jwkThumbprint } from './thumbprint';
export { PRIVATE_MEMBERS } from './material';
export { keyFileStem, writeKeyFiles } from './key-files';
export type { KeyFiles } from './key-files';
