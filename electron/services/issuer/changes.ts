/**
 * What the journal records, and how it is laid back over the state file: the changes to the issuer's
 * persisted state since the previous record, as pieces of the state document itself (a family in its stored
 * form with only its new or changed tokens and new access-token jtis, users, settings, the clock, key usage).
 *
 * A record carries each changed thing as it is when the record is written, never an older version, so
 * replaying the records in order over the state file they follow gives the state as of the last record.
 */
import type { ClockSnapshot } from './clock';
import { storedFamily } from './families';
import type { Family, FamilyChangeListener, FamilyRegistry, RefreshTokenRecord, StoredFamily } from './families';
import type { IssuerSettings } from './settings';
import type { User, UserRegistry } from './users';

export interface StateChangeRecord {
  /** Changed families: all their own fields; `tokens` and `accessJtis` hold only what is new or changed. */
  families?: StoredFamily[];
  /** Families that ended and were forgotten. */
  dropped?: string[];
  denyList?: Array<[string, number]>;
  users?: User[];
  settings?: IssuerSettings;
  clock?: ClockSnapshot | null;
  keyUsage?: Array<[string, number]>;
}

/** Where the current state is read when a record is written. */
export interface StateSources {
  families: FamilyRegistry;
  users: UserRegistry;
  settings(): IssuerSettings;
  clock(): ClockSnapshot | null;
  keyUsage(): Array<[string, number]>;
}

/** Collects what changed, told by the registries and the core, until the journal takes it as one record. */
export class StateChanges implements FamilyChangeListener {
  private readonly changedFamilies = new Map<string, Family>();
  private readonly changedTokens = new Set<RefreshTokenRecord>();
  private newJtis: Array<[familyId: string, jti: string, expMs: number]> = [];
  private droppedIds: string[] = [];
  private deniedJtis: Array<[string, number]> = [];
  private readonly changedUsers = new Map<string, User>();
  private settingsChanged = false;
  private clockChanged = false;
  private keysChanged = false;

  constructor(
    private readonly sources: StateSources,
    /** Told of every change (the journal's note()). */
    private readonly onChange: () => void,
  ) {
    sources.families.listener = this;
    sources.users.listener = (user) => {
      this.changedUsers.set(user.name, user);
      this.onChange();
    };
  }

  family(family: Family): void {
    this.changedFamilies.set(family.id, family);
    this.onChange();
  }

  token(record: RefreshTokenRecord): void {
    this.changedTokens.add(record);
    this.onChange();
  }

  accessToken(family: Family, jti: string, expMs: number): void {
    this.changedFamilies.set(family.id, family);
    this.newJtis.push([family.id, jti, expMs]);
    this.onChange();
  }

  denied(jti: string, expMs: number): void {
    this.deniedJtis.push([jti, expMs]);
    this.onChange();
  }

  dropped(familyId: string): void {
    this.changedFamilies.delete(familyId);
    this.droppedIds.push(familyId);
    this.onChange();
  }

  settings(): void {
    this.settingsChanged = true;
    this.onChange();
  }

  clock(): void {
    this.clockChanged = true;
    this.onChange();
  }

  keys(): void {
    this.keysChanged = true;
    this.onChange();
  }

  /** Everything changed since the last call, as one record, or null when nothing did; starts over. */
  take(): StateChangeRecord | null {
    const registry = this.sources.families;
    const tokensOf = new Map<string, RefreshTokenRecord[]>();
    for (const record of this.changedTokens) {
      let list = tokensOf.get(record.familyId);
      if (!list) tokensOf.set(record.familyId, (list = []));
      list.push(record);
    }
    const jtisOf = new Map<string, Array<[string, number]>>();
    for (const [familyId, jti, expMs] of this.newJtis) {
      let list = jtisOf.get(familyId);
      if (!list) jtisOf.set(familyId, (list = []));
      list.push([jti, expMs]);
    }
    const ids = new Set([...this.changedFamilies.keys(), ...tokensOf.keys()]);
    const families: StoredFamily[] = [];
    for (const id of ids) {
      const family = registry.family(id);
      // Gone already: its drop is in this record or an earlier one.
      if (family) families.push(storedFamily(family, tokensOf.get(id) ?? [], jtisOf.get(id) ?? []));
    }
    const record: StateChangeRecord = {
      ...(families.length > 0 && { families }),
      ...(this.droppedIds.length > 0 && { dropped: this.droppedIds }),
      ...(this.deniedJtis.length > 0 && { denyList: this.deniedJtis }),
      ...(this.changedUsers.size > 0 && { users: [...this.changedUsers.values()].map((u) => ({ ...u })) }),
      ...(this.settingsChanged && { settings: this.sources.settings() }),
      ...(this.clockChanged && { clock: this.sources.clock() }),
    };
    const empty = Object.keys(record).length === 0 && !this.keysChanged;
    this.changedFamilies.clear();
    this.changedTokens.clear();
    this.newJtis = [];
    this.droppedIds = [];
    this.deniedJtis = [];
    this.changedUsers.clear();
    this.settingsChanged = this.clockChanged = this.keysChanged = false;
    if (empty) return null;
    // A handful of entries, and signing moves them all the time: carried by every record.
    record.keyUsage = this.sources.keyUsage();
    return record;
  }
}

interface FamilyEntry {
  stored: Record<string, unknown>;
  /** hash → index in stored.tokens, built when the family first changes. */
  tokenIndex: Map<string, number> | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The state document with the journal's records applied in order. Entries of the wrong shape are passed over
 * here; the issuer's loaders validate everything that comes out (and skip what is still malformed).
 */
export function replayChanges(state: Record<string, unknown>, records: readonly unknown[]): Record<string, unknown> {
  if (records.length === 0) return state;
  const families = new Map<string, FamilyEntry>();
  const unreadable: unknown[] = [];
  for (const raw of Array.isArray(state.families) ? state.families : []) {
    if (isObject(raw) && typeof raw.id === 'string') families.set(raw.id, { stored: raw, tokenIndex: null });
    else unreadable.push(raw);
  }
  const denyList = new Map<unknown, unknown>();
  for (const entry of Array.isArray(state.denyList) ? state.denyList : []) if (Array.isArray(entry)) denyList.set(entry[0], entry[1]);
  const users = new Map<unknown, unknown>();
  for (const user of Array.isArray(state.users) ? state.users : []) if (isObject(user)) users.set(user.name, user);
  const out: Record<string, unknown> = { ...state };

  for (const record of records) {
    if (!isObject(record)) continue;
    for (const raw of Array.isArray(record.families) ? record.families : []) {
      if (!isObject(raw) || typeof raw.id !== 'string') continue;
      const { tokens, accessJtis, ...own } = raw;
      let entry = families.get(raw.id);
      if (!entry) families.set(raw.id, (entry = { stored: { tokens: [], accessJtis: [] }, tokenIndex: null }));
      Object.assign(entry.stored, own);
      if (!Array.isArray(entry.stored.tokens)) entry.stored.tokens = [];
      const list = entry.stored.tokens as unknown[];
      if (entry.tokenIndex === null) {
        entry.tokenIndex = new Map();
        list.forEach((t, i) => Array.isArray(t) && entry.tokenIndex!.set(t[0], i));
      }
      for (const token of Array.isArray(tokens) ? tokens : []) {
        if (!Array.isArray(token)) continue;
        const at: number | undefined = entry.tokenIndex.get(token[0]);
        if (at === undefined) entry.tokenIndex.set(token[0], list.push(token) - 1);
        else list[at] = token;
      }
      if (!Array.isArray(entry.stored.accessJtis)) entry.stored.accessJtis = [];
      (entry.stored.accessJtis as unknown[]).push(...(Array.isArray(accessJtis) ? accessJtis : []));
      // Revoking a family moves its access tokens to the deny-list (in the same record) and empties its list.
      if (own.revokedAt !== null && own.revokedAt !== undefined) entry.stored.accessJtis = [];
    }
    for (const id of Array.isArray(record.dropped) ? record.dropped : []) if (typeof id === 'string') families.delete(id);
    for (const entry of Array.isArray(record.denyList) ? record.denyList : []) if (Array.isArray(entry)) denyList.set(entry[0], entry[1]);
    for (const user of Array.isArray(record.users) ? record.users : []) if (isObject(user)) users.set(user.name, user);
    if (record.settings !== undefined) out.settings = record.settings;
    if (record.clock !== undefined) out.clock = record.clock;
    if (record.keyUsage !== undefined) out.keyUsage = record.keyUsage;
  }
  out.families = [...unreadable, ...[...families.values()].map((e) => e.stored)];
  out.denyList = [...denyList];
  out.users = [...users.values()];
  return out;
}
