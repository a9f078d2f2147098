/**
 * What a person pastes is rarely just the token: this finds the token inside the wrapping (whitespace,
 * quotes, `Authorization: Bearer`, `name=` …) and reports its bounds, so every offset the decoder gives
 * stays an offset in the text as pasted.
 */

/**
 * Where the token sits in the pasted text once the wrapping is peeled off: whitespace, quotes or
 * backticks, `Authorization:`, `Bearer ` / `DPoP `, and a key in front of a compact token as copied
 * from JSON, a cookie or a form (`"id_token": "eyJ…",`, `access_token=eyJ…;`).
 */
export function unwrapToken(text: string): { start: number; end: number } {
  let s = 0;
  let e = text.length;
  // Each pass peels one layer; a handful covers `"Authorization: Bearer eyJ…"` and the like.
  for (let pass = 0; pass < 8; pass++) {
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    const c = text.charCodeAt(s);
    if (e - s >= 2 && (c === 34 || c === 39 || c === 96) && text.charCodeAt(e - 1) === c) {
      s++;
      e--;
      continue;
    }
    // Most pastes are the bare token: skip the prefix patterns for text that already starts like one.
    if (text.startsWith('eyJ', s) && text.charCodeAt(e - 1) !== 44 && text.charCodeAt(e - 1) !== 59) break;
    const next =
      matchPrefix(AUTHORIZATION, text, s, e) ?? matchPrefix(SCHEME, text, s, e) ?? matchPrefix(KEY_PREFIX, text, s, e);
    if (next !== null) {
      s = next;
      continue;
    }
    // A separator after the token (`…",` in JSON, `…;` in a cookie), once a key was peeled off.
    const last = text.charCodeAt(e - 1);
    if (s > 0 && e - s >= 2 && (last === 44 || last === 59) && isTokenStart(text, s)) {
      e--;
      continue;
    }
    break;
  }
  return { start: s, end: e };
}

const AUTHORIZATION = /authorization[ \t]*:[ \t]*/iy;
/**
 * `name=` / `"name": ` before something that starts like a JOSE header (`eyJ` is base64url of `{"`),
 * optionally quoted. Base64url never contains '=' or ':', so this cannot eat part of a token.
 */
const KEY_PREFIX = /["']?[A-Za-z_][\w.-]{0,63}["']?[ \t]*[=:][ \t]*(?=["'`]?eyJ)/y;
const SCHEME = /(?:bearer|dpop)\s+/iy;
/** A prefix with nothing after it ("Bearer", "Authorization: Bearer"). */
const BARE_SCHEME = /^(?:authorization[ \t]*:[ \t]*(?:bearer|dpop)?|bearer|dpop)$/i;

function matchPrefix(re: RegExp, text: string, s: number, e: number): number | null {
  re.lastIndex = s;
  return re.test(text) && re.lastIndex < e ? re.lastIndex : null;
}

function isTokenStart(text: string, s: number): boolean {
  const q = text.charCodeAt(s);
  const from = q === 34 || q === 39 || q === 96 ? s + 1 : s;
  return text.startsWith('eyJ', from);
}

/** Whitespace, including what clipboards add: no-break spaces, BOMs, zero-width spaces. */
export function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0xfeff ||
    c === 0x200b ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** True when the unwrapped text is only a prefix ("Bearer", "Authorization:") with no token after it. */
export function isBarePrefix(token: string): boolean {
  // Every bare prefix starts with a, b or d (any case); a token does not (a JWT starts "eyJ"): skip the pattern.
  const first = token.charCodeAt(0) | 0x20;
  return (first === 0x61 || first === 0x62 || first === 0x64) && BARE_SCHEME.test(token);
}
