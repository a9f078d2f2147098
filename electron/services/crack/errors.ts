/**
 * Errors of the known-secret scan, in the project's one error family. Messages say what is wrong with the
 * token or the file, never a secret or the token itself.
 */
import { WorkbenchError } from '../../../shared/core/errors';

export type CrackErrorCode =
  | 'token-invalid' // the decoder refuses the text (details.tokenError is its error)
  | 'not-jws' // a JWE or an unsecured token: there is no HMAC to recompute
  | 'not-hmac' // a JWS whose alg is not HS256/384/512
  | 'signature-length' // the signature is not as long as the hash output, so no key can produce it
  | 'list-missing' // the built-in list of known secrets is not where the program expects it
  | 'wordlist-unreadable' // a wordlist that does not exist, is not a regular file, or cannot be read
  | 'worker-failed'; // a scan worker stopped with an error

export class CrackError extends WorkbenchError<CrackErrorCode> {
  override readonly name = 'CrackError';
}
