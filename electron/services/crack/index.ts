/**
 * Known-secret cracking for HS256/384/512 tokens (the security lab): a worker-threaded scan of the built-in
 * list of publicly known JWT secrets and of wordlist files for the secret whose HMAC is the signature.
 *   - hmac-scanner: the HMAC construction over preallocated blocks, and the line scan;
 *   - worker / pool: one worker per core, chunks shared out, first match stops all, progress, abort;
 *   - known-secrets / wordlist: the candidates (the bundled list in shared memory; files streamed);
 *   - target: what to look for, read from a token; crack: the scan of a token over sources;
 *   - known-secret-check: the lint rule's use, for batches.
 */
export { crackHmac, sourceLabel, type CrackOptions, type CrackResult, type SecretSource } from './crack';
export { CrackError, type CrackErrorCode } from './errors';
export { createHmacScanner, type HashName, type HmacScanner, type LineScan } from './hmac-scanner';
export { KnownSecretCheck } from './known-secret-check';
export { findKnownSecretsList, KNOWN_SECRETS_FILE, KnownSecretsList, loadKnownSecretsList } from './known-secrets';
export { ScanPool, type CandidateChunk, type PoolScan, type PoolScanOptions } from './pool';
export { hmacTargetOf, hmacTargetOfText, isHmacAlg, type HmacAlg, type HmacTarget } from './target';
export { checkWordlist, openWordlist, WORDLIST_CHUNK_BYTES, wordlistChunks, type WordlistOptions } from './wordlist';
