/**
 * The history file's two formats, and the merge of two histories (history.ts decides which to write).
 *   version 1, plain:  { "format": "jwt-workbench/history", "version": 1, "entries": [ … ] }
 *   version 2, sealed: { "format": "jwt-workbench/history", "version": 2, "protection": "safe-storage" | "passphrase",
 *                        "sealed": { iv, data, tag } }   — the entries' JSON, AES-256-GCM under the key store's key
 * Plain stays version 1 so a history kept without a protected key store is read by earlier versions too.
 */
import { HISTORY_LIMITS, historyEntriesSchema } from '../../shared/contract/history';
import type { HistoryEntryData } from '../../shared/contract/history';
import type { FileSealer } from './keys';

export const HISTORY_FORMAT = 'jwt-workbench/history';
const PLAIN_VERSION = 1;
const SEALED_VERSION = 2;

interface SealedBox {
  iv: string;
  data: string;
  tag: string;
}

export type HistoryFile =
  | { kind: 'plain'; entries: HistoryEntryData[] }
  | { kind: 'sealed'; protection: FileSealer['kind']; box: SealedBox }
  /** Not a history file (truncated, edited, another format). */
  | { kind: 'bad' };

export function parseHistoryFile(text: string): HistoryFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad' };
  }
  if (!isObject(value) || value.format !== HISTORY_FORMAT) return { kind: 'bad' };
  if (value.version === PLAIN_VERSION) {
    const entries = historyEntriesSchema.parse(value.entries);
    return entries.ok ? { kind: 'plain', entries: entries.value } : { kind: 'bad' };
  }
  if (value.version === SEALED_VERSION) {
    const { protection, sealed } = value;
    if ((protection !== 'safe-storage' && protection !== 'passphrase') || !isBox(sealed)) return { kind: 'bad' };
    return { kind: 'sealed', protection, box: { iv: sealed.iv, data: sealed.data, tag: sealed.tag } };
  }
  return { kind: 'bad' };
}

/** The entries of a sealed file, or null when this sealer cannot open it (another store's key, or altered). */
export function openHistory(sealer: FileSealer, file: Extract<HistoryFile, { kind: 'sealed' }>): HistoryEntryData[] | null {
  const text = sealer.open(file.box);
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const entries = historyEntriesSchema.parse(value);
  return entries.ok ? entries.value : null;
}

/** The file's text: sealed with `sealer`, or plain without one. */
export function serializeHistory(entries: HistoryEntryData[], sealer: FileSealer | null): string {
  if (sealer === null) return JSON.stringify({ format: HISTORY_FORMAT, version: PLAIN_VERSION, entries });
  return JSON.stringify({ format: HISTORY_FORMAT, version: SEALED_VERSION, protection: sealer.kind, sealed: sealer.seal(JSON.stringify(entries)) });
}

/**
 * Both histories as one, as the renderer merges them: each token once (its latest visit), newest first, at
 * most HISTORY_LIMITS.kept entries whose tokens together stay within HISTORY_LIMITS.total.
 */
export function mergeHistories(...lists: ReadonlyArray<readonly HistoryEntryData[]>): HistoryEntryData[] {
  const byToken = new Map<string, HistoryEntryData>();
  for (const entry of lists.flat()) {
    const seen = byToken.get(entry.token);
    if (!seen || seen.at < entry.at) byToken.set(entry.token, entry);
  }
  const out: HistoryEntryData[] = [];
  let total = 0;
  for (const entry of [...byToken.values()].sort((a, b) => b.at - a.at)) {
    if (out.length === HISTORY_LIMITS.kept) break;
    if (total + entry.token.length > HISTORY_LIMITS.total) continue;
    total += entry.token.length;
    out.push(entry);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBox(value: unknown): value is SealedBox {
  return isObject(value) && typeof value.iv === 'string' && typeof value.data === 'string' && typeof value.tag === 'string';
}
