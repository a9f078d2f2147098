import type { DecodedToken } from '../../core/token';
import type { LintRule } from '../types';

/** Common limit for one request header (Apache, nginx, many proxies and load balancers): 8 KB. */
export const TOKEN_LARGE_BYTES = 8192;

/** A compact token is ASCII: then its length is its size, and a native scan tells so faster than counting. */
const ASCII = /^[\x00-\x7f]*$/;

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A compact token that decoded is base64url, '.' and '~' only (every segment and Disclosure was checked), unless
 * its payload travels unencoded (RFC 7797): then ASCII without scanning 100 KB at each keystroke.
 */
function isAscii(token: DecodedToken): boolean {
  return (token.serialization === 'compact' && token.header.b64 !== false) || ASCII.test(token.token);
}

/** A token sent as `Authorization: Bearer …` or in a cookie must fit the server's header limits. */
export const tokenLarge: LintRule = {
  id: 'token-large',
  severity: 'warning',
  rfc: 'RFC 9110 §5.4',
  summary: 'The token is over 8 KB: many servers and proxies reject request headers that large (431 / 400), and cookies hold 4 KB.',
  target: 'header',
  check(token) {
    // UTF-8 takes 1 to 3 bytes per UTF-16 unit (a surrogate pair: 4 for 2): the length bounds the size, so
    // only a token between 2.7 and 8 K units is counted (this runs at every keystroke).
    if (token.token.length * 3 <= TOKEN_LARGE_BYTES) return [];
    const bytes = isAscii(token) ? token.token.length : utf8Length(token.token);
    if (bytes <= TOKEN_LARGE_BYTES) return [];
    return [
      {
        path: 'token',
        message:
          `The token is ${bytes} bytes, over 8 KB: sent in an Authorization header it exceeds the default header ` +
          'limit of many servers and proxies (the request fails with 431 or 400), and it cannot fit a 4 KB cookie. Move data out of the ' +
          'claims, or send a reference instead.',
      },
    ];
  },
};
