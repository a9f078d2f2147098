/**
 * The one error every issuer endpoint answers with: an HTTP status and a JSON body
 * `{"error", "error_description"}` (RFC 6749 §5.2 for the OAuth endpoints, the same shape everywhere else).
 */
import { WorkbenchError } from '../../../shared/core/errors';
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_token' // RFC 6750
  | 'insufficient_scope' // RFC 6750
  | 'access_denied'
  | 'login_required' // OIDC Core §3.1.2.6
  | 'invalid_dpop_proof' // RFC 9449 §5, §7.1
  | 'use_dpop_nonce'; // RFC 9449 §8, §9

export type IssuerErrorCode =
  | OAuthErrorCode
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'too_many_requests'
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'service_unavailable'
  | 'server_error';

/** An OAuth error answer (RFC 6749 §5.2): `code` is the `error` member, the message its description. */
export class HttpError extends WorkbenchError<IssuerErrorCode> {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    error: IssuerErrorCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(error, description);
  }

  get error(): IssuerErrorCode {
    return this.code;
  }

  body(): { error: IssuerErrorCode; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidRequest = (description: string): HttpError => new HttpError(400, 'invalid_request', description);
export const invalidGrant = (description: string): HttpError => new HttpError(400, 'invalid_grant', description);
export const invalidScope = (description: string): HttpError => new HttpError(400, 'invalid_scope', description);
export const unauthorizedClient = (description: string): HttpError => new HttpError(400, 'unauthorized_client', description);

/** RFC 6749 §5.2: 401, with a challenge for the scheme the client tried (Basic when it sent Basic). */
export function invalidClient(description: string, usedBasic: boolean): HttpError {
  return new HttpError(401, 'invalid_client', description, usedBasic ? { 'WWW-Authenticate': 'Basic realm="token", charset="UTF-8"' } : {});
}

/** RFC 6750 §3: a Bearer challenge; without an error code when no token was sent at all. */
export function invalidToken(description: string, realm: string, sentToken: boolean): HttpError {
  const challenge = sentToken
    ? `Bearer realm="${realm}", error="invalid_token", error_description="${description.replace(/["\\]/g, '')}"`
    : `Bearer realm="${realm}"`;
  return new HttpError(401, 'invalid_token', description, { 'WWW-Authenticate': challenge });
}

export function tooManyRequests(retryAfterSeconds: number): HttpError {
  return new HttpError(429, 'too_many_requests', `too many attempts; retry after ${retryAfterSeconds} s`, {
    'Retry-After': String(retryAfterSeconds),
  });
}
