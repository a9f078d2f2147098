/**
 * How rules read a decoded token: the claims (when the payload is a JSON object), every JOSE header
 * with the path findings use for it, and message helpers. Shared by the rule files.
 */
import { formatJsonPath, type JsonPathSegment } from '../../core/json';
import type { DecodedToken } from '../../core/token';

export type Claims = Record<string, unknown>;

/** The JWT claims set, or null when the payload is not a JSON object (JWE, text, bytes, arrays). */
export function claimsOf(token: DecodedToken): Claims | null {
  const p = token.payload;
  return token.payloadIsJson && isObject(p) ? p : null;
}

export interface HeaderView {
  /** Path prefix for findings: `header`, or `signatures[1].header` for further signatures. */
  path: string;
  /** Protected and unprotected members together (what a verifier reads). */
  header: Record<string, unknown>;
  /** Unprotected members alone (JSON serialization), for rules about integrity protection. */
  unprotected: Record<string, unknown> | null;
}

/** Every JOSE header of the token: one for compact tokens, one per signature in general JWS JSON. */
export function headersOf(token: DecodedToken): HeaderView[] {
  const first = token.signatures[0];
  const views: HeaderView[] = [{ path: 'header', header: token.header, unprotected: first?.unprotected ?? null }];
  for (let i = 1; i < token.signatures.length; i++) {
    const s = token.signatures[i]!;
    views.push({
      path: `signatures[${i}].header`,
      header: { ...s.header, ...s.unprotected },
      unprotected: s.unprotected,
    });
  }
  return views;
}

export function claimPath(...segments: JsonPathSegment[]): string {
  return formatJsonPath(segments, 'payload');
}

export function memberPath(prefix: string, ...segments: JsonPathSegment[]): string {
  return formatJsonPath(segments, prefix);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function has(obj: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(obj, key);
}

/** A value as JSON for a message, cut short when long. Never use it for values that may be secret. */
export function show(value: unknown, max = 60): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // JSON.stringify (and String() of an array) recurse: a value nested thousands deep overflows the stack.
    text = kindOf(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What kind of JSON value this is, for messages: `a string`, `an array`, `null`. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? `a ${typeof value}`
    : String(typeof value);
}

/**
 * Why the token looks like an OAuth access token, or null: RFC 9068 `typ`, or claims that only access
 * tokens carry (scope / scp / client_id / cid, Cognito's token_use).
 */
export function accessTokenReason(token: DecodedToken, claims: Claims): string | null {
  const typ = token.header.typ;
  if (typeof typ === 'string') {
    const t = typ.toLowerCase();
    if (t === 'at+jwt' || t === 'application/at+jwt') return `typ ${show(typ)}`;
  }
  for (const name of ['scope', 'scp', 'client_id', 'cid']) {
    if (has(claims, name)) return `a "${name}" claim`;
  }
  if (claims.token_use === 'access') return 'token_use "access"';
  return null;
}
