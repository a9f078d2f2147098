/**
 * Known-secret cracking of an HMAC-signed token: every candidate of the built-in list and of the given
 * wordlists, in that order, on all cores, until one is the token's secret.
 */
import { ScanPool, type CandidateChunk } from './pool';
import type { KnownSecretsList } from './known-secrets';
import type { HmacAlg, HmacTarget } from './target';
import { wordlistChunks } from './wordlist';

/** Where candidates come from: the built-in list, or a wordlist file (named as the user gave it). */
export type SecretSource = { kind: 'builtin'; list: KnownSecretsList } | { kind: 'wordlist'; file: string };

/** The label a result's `source` carries. */
export function sourceLabel(source: SecretSource): string {
  return source.kind === 'builtin' ? 'builtin' : source.file;
}

export interface CrackResult {
  found: boolean;
  /** The secret as UTF-8 text (bytes that are not UTF-8 show as U+FFFD; see secretBytes). */
  secret: string | null;
  /** The secret's bytes exactly as tried. */
  secretBytes: Uint8Array | null;
  alg: HmacAlg;
  tried: number;
  /** Wall time of the scan. */
  seconds: number;
  /** Where the secret was found: 'builtin' or the wordlist as named; null when not found. */
  source: string | null;
}

export interface CrackOptions {
  /** The workers; a caller with many tokens keeps one pool for all of them. */
  pool: ScanPool;
  signal?: AbortSignal;
  /** The candidates tried so far (all sources together). */
  onProgress?: (tried: number) => void;
  /** A wordlist line too long to scan was skipped. */
  onLongLine?: (file: string) => void;
}

// ignoreBOM: a secret that starts with U+FEFF keeps it.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

export async function crackHmac(target: HmacTarget, sources: readonly SecretSource[], options: CrackOptions): Promise<CrackResult> {
  const started = performance.now();
  const scan = await options.pool.scan(target, candidates(sources, options), {
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const seconds = (performance.now() - started) / 1000;
  const match = scan.match;
  return {
    found: match !== null,
    secret: match === null ? null : UTF8.decode(match.bytes),
    secretBytes: match === null ? null : match.bytes,
    alg: target.alg,
    tried: scan.tried,
    seconds,
    source: match === null ? null : sourceLabel(sources[match.source]!),
  };
}

async function* candidates(sources: readonly SecretSource[], options: CrackOptions): AsyncGenerator<CandidateChunk> {
  for (const [index, source] of sources.entries()) {
    if (source.kind === 'builtin') yield* source.list.chunks(index);
    else yield* wordlistChunks(source.file, index, { onLongLine: () => options.onLongLine?.(source.file) });
  }
}
