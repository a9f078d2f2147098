/**
 * The one error family of the project (jose's style): every error the code throws on purpose is a
 * WorkbenchError with a stable `code`, a message that never echoes key material or a whole token, an optional
 * `cause` (the lower-level error, for logs) and optional plain-data `details`. Each area narrows `code` to its
 * own union (TokenError, KeyError, KeyStoreError, …). The contract's dispatcher turns any WorkbenchError a
 * handler throws into an error Result (shared/contract/dispatch.ts); anything else is a defect (`internal`).
 */
export class WorkbenchError<C extends string = string> extends Error {
  override name = 'WorkbenchError';
  readonly code: C;
  /** Plain data only: it crosses structured clone and JSON unchanged. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: C, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options?.details;
  }

  toJSON(): { code: C; message: string; details?: Record<string, unknown> } {
    return this.details === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, details: this.details };
  }
}

/** True for a WorkbenchError, optionally with one of the given codes. */
export function isWorkbenchError<C extends string>(value: unknown, ...codes: C[]): value is WorkbenchError<C> {
  return value instanceof WorkbenchError && (codes.length === 0 || (codes as string[]).includes(value.code));
}

/* Errors of the token core: codes are stable (the CLI prints them, the editor underlines by them, tests
 * assert them). */
export type TokenSegment =
  | 'input'
  | 'header'
  | 'payload'
  | 'signature'
  | 'encrypted_key'
  | 'iv'
  | 'ciphertext'
  | 'tag'
  | 'disclosure' // SD-JWT (RFC 9901)
  | 'key_binding';

export type TokenErrorCode =
  | 'empty-input'
  | 'segment-count' // not 3 (JWS) or 5 (JWE) dot-separated parts
  | 'segment-empty' // a part that must not be empty is
  | 'base64url-invalid-char' // outside A-Z a-z 0-9 - _
  | 'base64url-padding' // '=' padding is not allowed in base64url (RFC 7515 §2)
  | 'base64url-length' // a length of 4n+1 cannot be base64
  | 'utf8-invalid' // header bytes are not UTF-8
  | 'json-syntax' // JSON.parse failed; line/column set
  | 'json-too-deep' // valid JSON nested deeper than MAX_JSON_DEPTH (shared/core/json.ts); line/column set
  | 'header-not-object' // header is valid JSON but not an object
  | 'header-alg-missing'
  | 'duplicate-member' // RFC 7515 §5.2 / RFC 7519 §4: member names must be unique
  | 'jws-json-invalid' // JWS JSON serialization has the wrong shape
  | 'jwe-json-invalid' // JWE JSON serialization has the wrong shape
  | 'unsupported-format' // something that is not a JOSE token at all
  | 'sd-jwt-invalid' // an SD-JWT Disclosure that cannot be read; as a note: one that does not fit (RFC 9901 §7.1)
  // Non-fatal: reported in DecodedToken.notes, the token still decodes.
  | 'payload-not-json'
  | 'payload-not-utf8'
  | 'payload-detached' // empty payload: detached content (RFC 7515 Appendix F)
  | 'base64url-noncanonical' // a part's last character has non-zero unused bits: verify refuses it
  | 'numeric-date-invalid';

export interface TokenErrorLocation {
  segment: TokenSegment | null;
  /** Character offset in the text as pasted (before trimming / `Bearer ` / quotes). */
  offset: number | null;
  /** Characters the error spans from `offset` (at least 1 when offset is set). */
  length?: number;
  /** 1-based, inside the decoded JSON text, for JSON errors. */
  line?: number;
  column?: number;
}

/** What the decoder (and so verify, lint and sign) refuses in a token, located in the text as pasted. */
export class TokenError extends WorkbenchError<TokenErrorCode> {
  override name = 'TokenError';
  /** The plain-data form, as it crosses the contract and the CLI. */
  readonly info: TokenErrorInfo;

  constructor(info: TokenErrorInfo) {
    super(info.code, info.message);
    this.info = info;
  }

  get segment(): TokenSegment | null {
    return this.info.segment;
  }

  get offset(): number | null {
    return this.info.offset;
  }

  override toJSON(): TokenErrorInfo {
    return this.info;
  }
}

/** The plain-data form of a TokenError, as it crosses the contract and the CLI. */
export interface TokenErrorInfo {
  code: TokenErrorCode;
  message: string;
  segment: TokenSegment | null;
  offset: number | null;
  length?: number;
  line?: number;
  column?: number;
}
