/**
 * The issuer's request and decision log: handed to an injectable sink (the CLI writes JSON lines to stderr,
 * the app forwards to its UI) and kept in a small ring for GET /log. Entries never hold a token, code,
 * password or secret: tokens appear only as a label derived from their hash (see tokenLabel).
 */
import type { Writable } from 'node:stream';

export type LogLevel = 'info' | 'warn' | 'error';
export type LogDetail = string | number | boolean | null;

export interface IssuerLogEntry {
  seq: number;
  /** Real time (ms since the epoch). */
  time: number;
  /** The issuer's (possibly virtual) clock (ms). */
  clock: number;
  level: LogLevel;
  /** A stable name: `request`, `refresh.rotated`, `refresh.reuse-detected`, `login.failed`, … */
  event: string;
  message: string;
  details?: Record<string, LogDetail>;
}

export type IssuerLogger = (entry: IssuerLogEntry) => void;

export class IssuerLog {
  private readonly ring: IssuerLogEntry[] = [];
  private seq = 0;

  constructor(
    private readonly clock: () => number,
    private readonly sink: IssuerLogger | undefined,
    private readonly capacity = 500,
  ) {}

  emit(level: LogLevel, event: string, message: string, details?: Record<string, LogDetail>): void {
    const entry: IssuerLogEntry = { seq: ++this.seq, time: Date.now(), clock: this.clock(), level, event, message, ...(details && { details }) };
    this.ring.push(entry);
    if (this.ring.length > this.capacity) this.ring.shift();
    if (this.sink) {
      try {
        this.sink(entry);
      } catch {
        // A failing sink must not take a request down with it.
      }
    }
  }

  info(event: string, message: string, details?: Record<string, LogDetail>): void {
    this.emit('info', event, message, details);
  }

  warn(event: string, message: string, details?: Record<string, LogDetail>): void {
    this.emit('warn', event, message, details);
  }

  error(event: string, message: string, details?: Record<string, LogDetail>): void {
    this.emit('error', event, message, details);
  }

  /** Entries with seq greater than `after`, oldest first. */
  since(after = 0): IssuerLogEntry[] {
    return this.ring.filter((entry) => entry.seq > after);
  }
}

/** Query parameters whose values are secrets or bearer material. */
const SENSITIVE = new Set([
  'code', 'token', 'refresh_token', 'access_token', 'id_token', 'password', 'client_secret', 'code_verifier',
  'client_assertion', 'assertion', 'device_id', 'id_token_hint', 'login_hint',
]);

/** A request target safe to log: sensitive query values replaced by `***`, the whole capped in length. */
export function maskTarget(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return target.length > 512 ? `${target.slice(0, 512)}…` : target;
  const path = target.slice(0, q);
  const parts = target.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    return eq >= 0 && SENSITIVE.has(name) ? `${rawName}=***` : pair;
  });
  const masked = `${path}?${parts.join('&')}`;
  return masked.length > 512 ? `${masked.slice(0, 512)}…` : masked;
}

/** A sink writing one JSON object per line (for `jwtdbg issuer`, to stderr). */
export function jsonLinesLogger(stream: Writable = process.stderr): IssuerLogger {
  return (entry) => {
    stream.write(`${JSON.stringify(entry)}\n`);
  };
}
