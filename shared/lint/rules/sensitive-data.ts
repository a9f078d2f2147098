/**
 * Secrets and personal data in claims. A JWS payload is only base64url-encoded: anyone holding the
 * token (logs, browser storage, proxies) can read it. Matched values are never echoed in full.
 */
import type { LintRule, RuleFinding } from '../types';
import { claimsOf, memberPath } from './token-view';

/** Claim names (lower-cased, without `_ - .`) that hold a secret wherever they appear in the name. */
const SECRET_PARTS = [
  ...['password', 'passwd', 'passphrase', 'secret', 'apikey', 'privatekey'],
  ...['creditcard', 'cardnumber', 'ccnumber', 'socialsecurity', 'nationalid'],
];
/** Short names that are only meaningful whole (`pin` must not match `spinner`). */
const SECRET_NAMES = new Set(['pwd', 'pass', 'pin', 'cvv', 'cvc', 'cvv2', 'ssn', 'sin', 'nino', 'iban', 'pan']);

function secretName(name: string): boolean {
  const n = name.toLowerCase().replace(/[_\-.\s]/g, '');
  return SECRET_NAMES.has(n) || SECRET_PARTS.some((p) => n.includes(p));
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Card brand from the issuer prefix and length (ISO/IEC 7812), or null: Luhn alone matches 1 in 10. */
function cardBrand(d: string): string | null {
  const len = d.length;
  const p2 = Number(d.slice(0, 2));
  const p3 = Number(d.slice(0, 3));
  const p4 = Number(d.slice(0, 4));
  if (d[0] === '4' && (len === 13 || len === 16 || len === 19)) return 'Visa';
  if (((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) && len === 16) return 'Mastercard';
  if ((p2 === 34 || p2 === 37) && len === 15) return 'American Express';
  if ((p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) && len >= 16 && len <= 19) return 'Discover';
  if (p4 >= 3528 && p4 <= 3589 && len >= 16 && len <= 19) return 'JCB';
  if ((p2 === 36 || p2 === 38 || (p3 >= 300 && p3 <= 305)) && len === 14) return 'Diners Club';
  if (d.startsWith('62') && len >= 16 && len <= 19) return 'UnionPay';
  return null;
}

function cardNumber(digits: string): string | null {
  if (digits.length < 13 || digits.length > 19) return null;
  const brand = cardBrand(digits);
  return brand !== null && luhn(digits) ? `a ${brand} card number ending ${digits.slice(-4)}` : null;
}

const CARD_CANDIDATE = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;
const NINO = /\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]) ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g;
const NINO_EXCLUDED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);
const IBAN = /^[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}$/;
const PRIVATE_KEY = /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;
const AWS_KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/;
/** The shortest text either of the two patterns above can match (an AWS key id; a PEM header is longer). */
const AWS_KEY_ID_LENGTH = 20;
/** Cards (13+ digits), SSNs (9) and NINOs (6) all need at least six digits. */
const SIX_DIGITS = /\d(?:\D*\d){5}/;

function ibanValid(text: string): boolean {
  const s = text.replace(/ /g, '');
  const rearranged = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const c = ch.charCodeAt(0);
    const v = c >= 65 ? String(c - 55) : ch; // A=10 … Z=35
    for (const digit of v) rem = (rem * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rem === 1;
}

/** An IBAN's country code: two letters A–Z (checked by char code, before any regex runs). */
function startsWithTwoCapitals(text: string): boolean {
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(1);
  return a >= 65 && a <= 90 && b >= 65 && b <= 90;
}

/** What sensitive value `text` holds, described without revealing it; null when none. */
function sensitiveText(text: string): string | null {
  // Cheap gates first: this runs on every string of the payload at every keystroke (a 100 KB token has thousands).
  if (text.length >= AWS_KEY_ID_LENGTH) {
    if (PRIVATE_KEY.test(text)) return 'a PEM private key';
    if (AWS_KEY_ID.test(text)) return 'an AWS access key id';
  }
  if (SIX_DIGITS.test(text)) {
    for (const m of text.matchAll(CARD_CANDIDATE)) {
      const card = cardNumber(m[0].replace(/[ -]/g, ''));
      if (card) return card;
    }
    for (const m of text.matchAll(SSN)) {
      const [area, group, serial] = [m[1]!, m[2]!, m[3]!];
      if (area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000') {
        return `a US Social Security number (***-**-${serial})`;
      }
    }
    for (const m of text.matchAll(NINO)) {
      if (!NINO_EXCLUDED.has(m[1]!)) return 'a UK National Insurance number';
    }
  }
  if (text.length <= 42 && startsWithTwoCapitals(text) && IBAN.test(text) && ibanValid(text)) return `an IBAN (${text.slice(0, 2)}…)`;
  return null;
}

const MAX_FINDINGS = 25;

interface Node {
  value: unknown;
  /** Member name or array index in the parent; null for the claims object itself. */
  key: string | number | null;
  parent: Node | null;
  /**
   * The member name the value sits under (array elements inherit their array's name), carried down
   * rather than looked up the parent chain, which would cost the depth for every string.
   */
  name: string | null;
}

function pathOf(node: Node): string {
  const segments: (string | number)[] = [];
  for (let n: Node | null = node; n !== null && n.key !== null; n = n.parent) segments.push(n.key);
  return memberPath('payload', ...segments.reverse());
}

/**
 * Findings by claims object. They depend on the claims alone, which nothing mutates once decoded; the debugger
 * lints again at each keystroke and clock tick, and a decode that left the payload as it was hands over the same
 * object (decodeToken's `previous`): walking thousands of strings again would find the same.
 */
const findingsByClaims = new WeakMap<object, RuleFinding[]>();

export const sensitiveData: LintRule = {
  id: 'sensitive-data',
  severity: 'warning',
  rfc: 'RFC 7519 §12',
  summary:
    'A claim looks like a secret or personal data (password / secret / API key names, card numbers, SSN, NINO, IBAN, private keys).',
  target: 'payload',
  check(token) {
    const claims = claimsOf(token);
    if (!claims) return [];
    const known = findingsByClaims.get(claims);
    if (known) return known;
    const out: RuleFinding[] = [];
    const readable =
      'anyone holding the token can read it (a JWS payload is only encoded); move it out of the token or encrypt the token (JWE)';
    const nameIsSecret = new Map<string, boolean>(); // names repeat across array elements
    // Iterative walk (payloads can nest deeper than the call stack); paths are built only for findings.
    const stack: Node[] = [{ value: claims, key: null, parent: null, name: null }];
    while (stack.length > 0 && out.length < MAX_FINDINGS) {
      const node = stack.pop()!;
      const value = node.value;
      if (typeof value === 'string') {
        if (value === '') continue;
        const name = node.name;
        if (name !== null) {
          let secret = nameIsSecret.get(name);
          if (secret === undefined) nameIsSecret.set(name, (secret = secretName(name)));
          if (secret) {
            out.push({
              path: pathOf(node),
              message: `"${name}" looks like a secret or personal identifier by its name: ${readable}.`,
            });
            continue;
          }
        }
        const what = sensitiveText(value);
        if (what) out.push({ path: pathOf(node), message: `The value looks like ${what}: ${readable}.` });
      } else if (typeof value === 'number') {
        if (Number.isSafeInteger(value) && value >= 1e12) {
          const card = cardNumber(String(value));
          if (card) out.push({ path: pathOf(node), message: `The value looks like ${card}: ${readable}.` });
        }
      } else if (Array.isArray(value)) {
        for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node, name: node.name });
      } else if (value !== null && typeof value === 'object') {
        const keys = Object.keys(value);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i]!;
          stack.push({ value: (value as Record<string, unknown>)[key], key, parent: node, name: key });
        }
      }
    }
    findingsByClaims.set(claims, out);
    return out;
  },
};
