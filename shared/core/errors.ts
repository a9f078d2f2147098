/**
 * One error family for everything the token core rejects. Codes are stable: the CLI prints them,
 * the editor underlines by them, tests assert them.
 */
export type TokenSegment =
  | 'input'
  | 'header'
  | 'payload'
  | 'signature'
  | 'encrypted_key'
  | 'iv'
  | 'ciphertext'
  | 'tag';

export type TokenErrorCode =
  | 'empty-input'
  | 'segment-count' // not 3 (JWS) or 5 (JWE) dot-separated parts
  | 'segment-empty' // a part that must not be empty is
  | 'base64url-invalid-char' // outside A-Z a-z 0-9 - _
  | 'base64url-padding' // '=' padding is not allowed in base64url (RFC 7515 §2)
  | 'base64url-length' // a length of 4n+1 cannot be base64
  | 'utf8-invalid' // header bytes are not UTF-8
  | 'json-syntax' // JSON.parse failed; line/column set
  | 'header-not-object' // header is valid JSON but not an object
  | 'header-alg-missing'
  | 'duplicate-member' // RFC 7515 §5.2 / RFC 7519 §4: member names must be unique
  | 'jws-json-invalid' // JWS JSON serialization has the wrong shape
  | 'jwe-json-invalid' // JWE JSON serialization has the wrong shape
  | 'unsupported-format' // something that is not a JOSE token at all
  // Non-fatal: reported in DecodedToken.notes, the token still decodes.
  | 'payload-not-json'
  | 'payload-not-utf8'
  | 'payload-detached' // empty payload: detached content (RFC 7515 Appendix F)
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

export class TokenError extends Error {
  override readonly name = 'TokenError';
  readonly code: TokenErrorCode;
  readonly segment: TokenSegment | null;
  readonly offset: number | null;
  readonly length: number | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(code: TokenErrorCode, message: string, where: TokenErrorLocation) {
    super(message);
    this.code = code;
    this.segment = where.segment;
    this.offset = where.offset;
    this.length = where.length;
    this.line = where.line;
    this.column = where.column;
  }

  toJSON(): TokenErrorInfo {
    return {
      code: this.code,
      message: this.message,
      segment: this.segment,
      offset: this.offset,
      ...(this.length !== undefined && { length: this.length }),
      ...(this.line !== undefined && { line: this.line, column: this.column }),
    };
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
