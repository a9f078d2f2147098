import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import type { DecodedToken } from '../../shared/core/token';
import { LINT_RULES, lintToken, runRules } from '../../shared/lint/index';
import type { Finding, LintContext, LintRule } from '../../shared/lint/types';

const NOW = 1_700_000_000; // 2023-11-14T22:13:20Z
const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');

function token(header: Record<string, unknown>, payload: unknown, signature = 'c2lnbmF0dXJl'): DecodedToken {
  const r = decodeToken(`${b64(header)}.${b64(payload)}.${signature}`);
  if (!r.ok) throw new Error(r.error.message);
  return r.token;
}

function decoded(text: string): DecodedToken {
  const r = decodeToken(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.token;
}

/** A token no rule objects to: the baseline each test changes one thing in. */
const GOOD_HEADER = { alg: 'RS256', typ: 'JWT', kid: 'key-2024-01' };
const GOOD_CLAIMS = { iss: 'https://issuer.example', aud: 'api', sub: 'u1', iat: NOW - 60, exp: NOW + 600 };

function lint(t: DecodedToken, context: Partial<LintContext> = {}): Finding[] {
  return lintToken(t, { now: NOW, ...context });
}

function only(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('the baseline', () => {
  it('a well-formed token has no findings', () => {
    expect(lint(token(GOOD_HEADER, GOOD_CLAIMS))).toEqual([]);
  });
});

describe('the rule table', () => {
  it('has every rule once, each with severity, RFC reference and summary', () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([
      'alg-none',
      'alg-weak',
      'exp-missing',
      'exp-passed',
      'nbf-future',
      'iat-future',
      'lifetime-long',
      'at-jwt-claims',
      'id-token-as-access',
      'iss-missing',
      'aud-missing',
      'typ-unexpected',
      'typ-missing',
      'crit-unknown',
      'header-key-embedded',
      'kid-suspicious',
      'nested-jwt',
      'jwe-zip',
      'jwe-rsa1-5',
      'jwe-p2c-large',
      'numeric-date-invalid',
      'duplicate-member',
      'base64url-noncanonical',
      'token-large',
      'sensitive-data',
      'hmac-secret-short',
      'hmac-secret-known',
    ]);
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.rfc).toMatch(/^RFC \d+ §[\d.]+$/);
      expect(rule.summary.length).toBeGreaterThan(20);
    }
  });
});

describe('alg-none', () => {
  it('fires on alg none, with the RFC reference and path', () => {
    const findings = lint(decoded(`${b64({ alg: 'none' })}.${b64(GOOD_CLAIMS)}.`));
    expect(only(findings, 'alg-none')).toEqual([
      {
        rule: 'alg-none',
        severity: 'error',
        rfc: 'RFC 8725 §3.1',
        path: 'header.alg',
        message:
          '"alg" is "none": the token is unsecured. Anyone can forge it; a verifier must reject it unless its algorithm list explicitly allows "none".',
      },
    ]);
  });

  it('fires on a letter-case variant and says so', () => {
    const [f] = only(lint(token({ alg: 'nOnE' }, GOOD_CLAIMS)), 'alg-none');
    expect(f?.message).toContain('"nOnE" is a letter-case variant of "none"');
    expect(f?.message).toContain('yet it carries a signature');
  });

  it('does not fire on a real algorithm', () => {
    expect(only(lint(token({ alg: 'HS256' }, GOOD_CLAIMS)), 'alg-none')).toEqual([]);
  });
});

describe('exp-missing / exp-passed', () => {
  const { exp: _exp, ...noExp } = GOOD_CLAIMS;

  it('exp-missing fires without exp', () => {
    expect(only(lint(token(GOOD_HEADER, noExp)), 'exp-missing')).toMatchObject([
      { severity: 'warning', path: 'payload.exp' },
    ]);
  });

  it('exp-missing does not fire with exp, nor on a payload that is not a claims set', () => {
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'exp-missing')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, 'plain text')), 'exp-missing')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, [1, 2])), 'exp-missing')).toEqual([]);
  });

  it('exp-passed fires once now is at or after exp, and says how long ago', () => {
    const t = token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: NOW - 3 * 3600 - 300 });
    expect(only(lint(t), 'exp-passed')).toEqual([
      {
        rule: 'exp-passed',
        severity: 'error',
        rfc: 'RFC 7519 §4.1.4',
        path: 'payload.exp',
        message: 'The token expired 3 h 5 min ago ("exp" 1699988900 = 2023-11-14T19:08:20Z): verifiers must reject it.',
      },
    ]);
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: NOW })), 'exp-passed')).toHaveLength(1);
  });

  it('exp-passed honours the leeway and does not fire before exp', () => {
    const t = token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: NOW - 30 });
    expect(only(lint(t, { leeway: 60 }), 'exp-passed')).toEqual([]);
    expect(only(lint(t, { leeway: 10 }), 'exp-passed')[0]?.message).toContain('leeway 10 s');
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: NOW + 1 })), 'exp-passed')).toEqual([]);
  });
});

describe('nbf-future / iat-future', () => {
  it('nbf-future fires when nbf is beyond now + leeway', () => {
    const t = token(GOOD_HEADER, { ...GOOD_CLAIMS, nbf: NOW + 720 });
    expect(only(lint(t), 'nbf-future')).toMatchObject([
      {
        severity: 'warning',
        path: 'payload.nbf',
        message:
          'The token is not valid for another 12 min ("nbf" 1700000720 = 2023-11-14T22:25:20Z): verifiers reject it until then.',
      },
    ]);
  });

  it('nbf-future does not fire for a past nbf or within the leeway', () => {
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, nbf: NOW - 5 })), 'nbf-future')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, nbf: NOW + 30 }), { leeway: 60 }), 'nbf-future')).toEqual([]);
  });

  it('iat-future fires for an iat ahead of the clock', () => {
    const t = token(GOOD_HEADER, { ...GOOD_CLAIMS, iat: NOW + 7200 });
    expect(only(lint(t), 'iat-future')).toMatchObject([{ path: 'payload.iat' }]);
    expect(only(lint(t), 'iat-future')[0]!.message).toContain('issued 2 h in the future');
  });

  it('iat-future does not fire for a past iat, nor for one in milliseconds (numeric-date-invalid covers it)', () => {
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'iat-future')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, iat: NOW * 1000 })), 'iat-future')).toEqual([]);
  });
});

describe('lifetime-long', () => {
  const day = { ...GOOD_CLAIMS, iat: NOW, exp: NOW + 86400 };

  it('fires for an access token (typ at+jwt) that lives more than an hour', () => {
    const [f] = only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, day)), 'lifetime-long');
    expect(f).toMatchObject({ severity: 'warning', path: 'payload.exp', rfc: 'RFC 6819 §5.1.5.3' });
    expect(f!.message).toContain('This looks like an access token (typ "at+jwt") and lives 1 d (exp − iat), over 1 h');
  });

  it('recognises access tokens by their claims', () => {
    expect(only(lint(token(GOOD_HEADER, { ...day, scope: 'read' })), 'lifetime-long')[0]!.message).toContain(
      'a "scope" claim',
    );
    expect(only(lint(token(GOOD_HEADER, { ...day, client_id: 'app' })), 'lifetime-long')).toHaveLength(1);
  });

  it('does not fire for a short-lived access token, an ID token, or under a raised limit', () => {
    expect(only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, { ...day, exp: NOW + 3600 })), 'lifetime-long')).toEqual(
      [],
    );
    expect(only(lint(token(GOOD_HEADER, day)), 'lifetime-long')).toEqual([]);
    expect(
      only(lint(token(GOOD_HEADER, { ...day, scope: 'read' }), { maxAccessTokenLifetime: 2 * 86400 }), 'lifetime-long'),
    ).toEqual([]);
  });
});

describe('iss-missing / aud-missing', () => {
  it('iss-missing fires without iss, or with an unusable one', () => {
    const { iss: _iss, ...noIss } = GOOD_CLAIMS;
    expect(only(lint(token(GOOD_HEADER, noIss)), 'iss-missing')).toMatchObject([
      { severity: 'info', path: 'payload.iss' },
    ]);
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, iss: 42 })), 'iss-missing')[0]!.message).toBe(
      '"iss" is a number (42); it must be a non-empty string (StringOrURI).',
    );
  });

  it('iss-missing does not fire with an issuer', () => {
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'iss-missing')).toEqual([]);
  });

  it('aud-missing fires without aud, or with an empty or malformed one', () => {
    const { aud: _aud, ...noAud } = GOOD_CLAIMS;
    expect(only(lint(token(GOOD_HEADER, noAud)), 'aud-missing')).toMatchObject([
      { severity: 'warning', path: 'payload.aud' },
    ]);
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, aud: [] })), 'aud-missing')[0]!.message).toBe(
      '"aud" is an empty array: the token names no audience at all.',
    );
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, aud: ['a', 7] })), 'aud-missing')).toHaveLength(1);
  });

  it('aud-missing does not fire for a string or a list of strings', () => {
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, aud: ['a', 'b'] })), 'aud-missing')).toEqual([]);
  });
});

describe('typ-unexpected', () => {
  it.each(['JWS', 'Bearer', 'jwt+json', 'application/json'])('fires on %j', (typ) => {
    expect(only(lint(token({ ...GOOD_HEADER, typ }, GOOD_CLAIMS)), 'typ-unexpected')).toMatchObject([
      { severity: 'warning', path: 'header.typ', rfc: 'RFC 8725 §3.11' },
    ]);
  });

  it('fires on a typ that is not a string', () => {
    expect(only(lint(token({ ...GOOD_HEADER, typ: 1 }, GOOD_CLAIMS)), 'typ-unexpected')[0]!.message).toContain(
      '"typ" is a number (1)',
    );
  });

  it.each(['JWT', 'jwt', 'at+jwt', 'application/at+JWT', 'secevent+jwt', 'dpop+jwt', 'JOSE', 'application/jose+json'])(
    'does not fire on %j',
    (typ) => {
      expect(only(lint(token({ ...GOOD_HEADER, typ }, GOOD_CLAIMS)), 'typ-unexpected')).toEqual([]);
    },
  );
});

describe('crit-unknown', () => {
  it('fires for an extension this tool does not understand', () => {
    const t = token({ ...GOOD_HEADER, crit: ['http://example.com/ext'], 'http://example.com/ext': true }, GOOD_CLAIMS);
    expect(only(lint(t), 'crit-unknown')).toMatchObject([
      {
        severity: 'error',
        path: 'header.crit',
        message: expect.stringContaining('"http://example.com/ext" as critical'),
      },
    ]);
  });

  it.each([
    [{ crit: 'b64', b64: false }, '"crit" is "b64": it must be a non-empty array of header parameter names.'],
    [{ crit: [] }, '"crit" is an empty array: when present it must list at least one extension.'],
    [{ crit: ['alg'] }, '"crit" is malformed: "alg" is defined by JWS/JWE itself and must not be listed.'],
    [{ crit: ['b64'] }, '"crit" is malformed: "b64" is listed but not present in the header.'],
    [
      { crit: [1, 'b64', 'b64'], b64: true },
      '"crit" is malformed: 1 is not a header parameter name; "b64" is listed twice.',
    ],
  ])('fires on malformed crit %j', (extra, message) => {
    expect(only(lint(token({ ...GOOD_HEADER, ...extra }, GOOD_CLAIMS)), 'crit-unknown').map((f) => f.message)).toEqual([
      message,
    ]);
  });

  it('does not fire for b64 (RFC 7797), which the decoder implements, nor without crit', () => {
    expect(only(lint(token({ alg: 'HS256', b64: true, crit: ['b64'] }, GOOD_CLAIMS)), 'crit-unknown')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'crit-unknown')).toEqual([]);
  });

  it('fires when crit is only in the unprotected header of a JWS JSON', () => {
    const json = JSON.stringify({
      payload: b64(GOOD_CLAIMS),
      protected: b64({ alg: 'HS256', b64: true }),
      header: { crit: ['b64'] },
      signature: 'c2ln',
    });
    expect(only(lint(decoded(json)), 'crit-unknown')[0]!.message).toContain('"crit" is in the unprotected header');
  });
});

describe('header-key-embedded', () => {
  it('fires for jwk, jku, x5u and (as info) x5c', () => {
    const t = token(
      {
        ...GOOD_HEADER,
        jwk: { kty: 'oct', k: 'AA' },
        jku: 'https://attacker.example/jwks',
        x5u: 'https://x',
        x5c: ['MIIB'],
      },
      GOOD_CLAIMS,
    );
    const findings = only(lint(t), 'header-key-embedded');
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['header.jku', 'warning'],
      ['header.jwk', 'warning'],
      ['header.x5u', 'warning'],
      ['header.x5c', 'info'],
    ]);
    expect(findings[0]!.message).toContain('"jku" points at "https://attacker.example/jwks"');
  });

  it('does not fire when the header only names a key', () => {
    expect(only(lint(token({ ...GOOD_HEADER, x5t: 'abc' }, GOOD_CLAIMS)), 'header-key-embedded')).toEqual([]);
  });

  it('lints every signature of a general JWS JSON', () => {
    const json = JSON.stringify({
      payload: b64(GOOD_CLAIMS),
      signatures: [
        { protected: b64({ alg: 'RS256' }), header: { kid: 'a' }, signature: 'c2ln' },
        { protected: b64({ alg: 'ES256' }), header: { jwk: { kty: 'EC' } }, signature: 'c2ln' },
      ],
    });
    expect(only(lint(decoded(json)), 'header-key-embedded').map((f) => f.path)).toEqual(['signatures[1].header.jwk']);
  });
});

describe('kid-suspicious', () => {
  it.each([
    ['../../../../dev/null', 'a ".." path segment (path traversal)'],
    ['/dev/null', 'a file system path'],
    ["x' UNION SELECT 'secret", 'SQL keywords'],
    ['key"; cat /etc/passwd', 'quote characters'],
    ['k|whoami', 'shell or SQL metacharacters'],
    ['k\u0000', 'control characters'],
    ['..%2f..%2fkeys', 'URL-encoded dots or slashes'],
  ])('fires on %j', (kid, reason) => {
    const findings = only(lint(token({ ...GOOD_HEADER, kid }, GOOD_CLAIMS)), 'kid-suspicious');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path: 'header.kid', severity: 'warning' });
    expect(findings[0]!.message).toContain(reason);
  });

  it('fires on a kid that is not a string', () => {
    expect(only(lint(token({ ...GOOD_HEADER, kid: 7 }, GOOD_CLAIMS)), 'kid-suspicious')[0]!.message).toContain(
      '"kid" is a number (7)',
    );
  });

  it.each([
    'key-2024-01',
    'did:example:123#key-1',
    'https://vault.example.net/keys/sign/0a1b',
    'a1b2c3',
    'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
  ])('does not fire on %j', (kid) => {
    expect(only(lint(token({ ...GOOD_HEADER, kid }, GOOD_CLAIMS)), 'kid-suspicious')).toEqual([]);
  });
});

describe('numeric-date-invalid', () => {
  it('fires (error) for a date claim that is not a number', () => {
    const findings = only(
      lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: '1700000600', auth_time: true })),
      'numeric-date-invalid',
    );
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['payload.auth_time', 'error'],
      ['payload.exp', 'error'],
    ]);
    expect(findings[1]!.message).toBe(
      '"exp" is a string ("1700000600"), not a NumericDate (a JSON number of seconds since 1970): a quoted number; many verifiers ignore or reject it, so the check it stands for may silently not happen.',
    );
  });

  it('fires (warning) for milliseconds, with the date it would be in seconds', () => {
    const findings = only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: 1_700_000_600_000 })), 'numeric-date-invalid');
    expect(findings).toEqual([
      {
        rule: 'numeric-date-invalid',
        severity: 'warning',
        rfc: 'RFC 7519 §2',
        path: 'payload.exp',
        message:
          '"exp" 1700000600000 looks like milliseconds: read as seconds it is the year 55840; in seconds it would be 1700000600 (2023-11-14T22:23:20Z).',
      },
    ]);
  });

  it('does not fire for NumericDates in seconds, fractional ones included', () => {
    expect(
      only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, iat: NOW - 0.5, updated_at: 1 })), 'numeric-date-invalid'),
    ).toEqual([]);
  });
});

describe('duplicate-member', () => {
  it('fires for a claim name that appears twice, at its path', () => {
    const payload = '{"iss":"https://issuer.example","aud":"api","exp":1700000600,\n"role":"user",\n"role":"admin"}';
    const t = decoded(`${b64(GOOD_HEADER)}.${b64(payload)}.c2ln`);
    expect(only(lint(t), 'duplicate-member')).toEqual([
      {
        rule: 'duplicate-member',
        severity: 'error',
        rfc: 'RFC 7519 §4',
        path: 'payload.role',
        message:
          '"role" appears twice in the same object (lines 2 and 3): JSON.parse keeps the last value ("admin") but other parsers keep the first, ' +
          'so two services can read different claims from one token. Names must be unique.',
      },
    ]);
  });

  it('names nested paths', () => {
    const t = decoded(`${b64(GOOD_HEADER)}.${b64('{"a":[{"b":1,"b":2}]}')}.c2ln`);
    expect(only(lint(t), 'duplicate-member').map((f) => f.path)).toEqual(['payload.a[0].b']);
  });

  it('does not fire without duplicates', () => {
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'duplicate-member')).toEqual([]);
  });
});

describe('base64url-noncanonical', () => {
  it('flags each part whose last character has non-zero unused bits, and nothing in the canonical token', () => {
    // 'c2lnbmF0dXJl' is 12 characters (no leftover bits); 'c2lnbmF0dXJlAB' leaves 4 unused bits in 'B'.
    const bad = token(GOOD_HEADER, GOOD_CLAIMS, 'c2lnbmF0dXJlAB');
    const findings = only(lint(bad), 'base64url-noncanonical');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', rfc: 'RFC 4648 §3.5', path: 'token' });
    expect(findings[0]!.message).toMatch(/^The signature part's last character \(offset \d+\) has non-zero unused bits/);
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS, 'c2lnbmF0dXJlAA')), 'base64url-noncanonical')).toEqual([]);
  });
});

describe('sensitive-data', () => {
  it.each([
    [{ password: 'hunter2' }, 'payload.password', '"password" looks like a secret'],
    [{ client_secret: 'abc' }, 'payload.client_secret', '"client_secret" looks like a secret'],
    [{ 'api-key': 'k' }, 'payload["api-key"]', '"api-key" looks like a secret'],
    [{ card: { number: '4111 1111 1111 1111' } }, 'payload.card.number', 'a Visa card number ending 1111'],
    [{ pan: 5555555555554444 }, 'payload.pan', 'a Mastercard card number ending 4444'],
    [{ note: 'ssn is 123-45-6789' }, 'payload.note', 'a US Social Security number (***-**-6789)'],
    [{ ids: ['AB 12 34 56 C'] }, 'payload.ids[0]', 'a UK National Insurance number'],
    [{ account: 'GB82 WEST 1234 5698 7654 32' }, 'payload.account', 'an IBAN (GB…)'],
    [{ k: '-----BEGIN PRIVATE KEY-----\nMIIE' }, 'payload.k', 'a PEM private key'],
  ])('fires on %j', (claims, path, text) => {
    const findings = only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, ...claims })), 'sensitive-data');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ path, severity: 'warning', rfc: 'RFC 7519 §12' });
    expect(findings[0]!.message).toContain(text);
  });

  it('never repeats the secret value in the message', () => {
    const [f] = only(
      lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, password: 'correct horse battery staple' })),
      'sensitive-data',
    );
    expect(f!.message).not.toContain('correct horse');
  });

  it.each([
    [{ card: '4111 1111 1111 1112' }], // fails Luhn
    [{ ts: 1_700_000_000_000 }], // a millisecond time is no card number
    [{ phone: '+1 555 123 4567' }],
    [{ code: '000-12-3456' }], // not a valid SSN (area 000)
    [{ password_changed_at: 1_690_000_000, has_password: true }], // metadata, not the secret
    [{ sid: '8b1e0c6a-7d2f-4b1a-9c3e-5f6a7b8c9d0e', name: 'Jane Doe' }],
    [{ ref: 'QQ 12 34 56 C' }], // HMRC's specimen: the QQ prefix is never issued
    [{ account: 'GB82 WEST 1234 5698 7654 33' }], // IBAN check digits do not match
  ])('does not fire on %j', (claims) => {
    expect(only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, ...claims })), 'sensitive-data')).toEqual([]);
  });
});

describe('hmac-secret-short', () => {
  it('fires when the HS256 secret is shorter than 32 bytes', () => {
    const t = token({ alg: 'HS256', typ: 'JWT' }, GOOD_CLAIMS);
    expect(lint(t, { secretLength: 19 })).toEqual([
      {
        rule: 'hmac-secret-short',
        severity: 'error',
        rfc: 'RFC 7518 §3.2',
        path: 'header.alg',
        message:
          'The HS256 secret is 19 bytes; HS256 needs at least 32 (the hash output size). Anyone holding one token can guess a short secret offline and then sign tokens of their own.',
      },
    ]);
  });

  it('uses the hash size of the algorithm', () => {
    expect(only(lint(token({ alg: 'HS512' }, GOOD_CLAIMS), { secretLength: 48 }), 'hmac-secret-short')).toHaveLength(1);
  });

  it('does not fire for a long enough secret, without a secret length, or for other algorithms', () => {
    expect(only(lint(token({ alg: 'HS256' }, GOOD_CLAIMS), { secretLength: 32 }), 'hmac-secret-short')).toEqual([]);
    expect(only(lint(token({ alg: 'HS256' }, GOOD_CLAIMS)), 'hmac-secret-short')).toEqual([]);
    expect(only(lint(token({ alg: 'RS256' }, GOOD_CLAIMS), { secretLength: 3 }), 'hmac-secret-short')).toEqual([]);
  });
});

describe('hmac-secret-known', () => {
  const KNOWN = { secret: 'your-256-bit-secret', source: 'builtin' };

  it('fires when the caller found the HS secret, with the secret in `secret` and never in the message', () => {
    const findings = only(lint(token({ alg: 'HS256', typ: 'JWT' }, GOOD_CLAIMS), { knownSecret: KNOWN }), 'hmac-secret-known');
    expect(findings).toEqual([
      {
        rule: 'hmac-secret-known',
        severity: 'error',
        rfc: 'RFC 8725 §3.5',
        path: 'header.alg',
        message: expect.stringContaining('bundled list of publicly known JWT secrets') as unknown as string,
        secret: 'your-256-bit-secret',
      },
    ]);
    expect(findings[0]!.message).not.toContain(KNOWN.secret);
    expect(findings[0]!.message).toContain('at least 32 bytes');
  });

  it('names a wordlist the secret came from, and the HS512 size', () => {
    const [finding] = only(lint(token({ alg: 'HS512' }, GOOD_CLAIMS), { knownSecret: { secret: 's', source: 'rockyou.txt' } }), 'hmac-secret-known');
    expect(finding?.message).toContain('the wordlist rockyou.txt');
    expect(finding?.message).toContain('at least 64 bytes');
  });

  it('does not fire without a scan result, for other algorithms, or on a malformed context value', () => {
    expect(only(lint(token({ alg: 'HS256' }, GOOD_CLAIMS)), 'hmac-secret-known')).toEqual([]);
    expect(only(lint(token({ alg: 'RS256' }, GOOD_CLAIMS), { knownSecret: KNOWN }), 'hmac-secret-known')).toEqual([]);
    const malformed = { secret: 42, source: 'builtin' } as unknown as LintContext['knownSecret'];
    expect(only(lint(token({ alg: 'HS256' }, GOOD_CLAIMS), { knownSecret: malformed }), 'hmac-secret-known')).toEqual([]);
  });

  it('leaves `secret` off every other finding', () => {
    const findings = lint(token({ alg: 'HS256' }, { sub: 'x' }), { knownSecret: KNOWN });
    expect(findings.length).toBeGreaterThan(1);
    for (const f of findings.filter((x) => x.rule !== 'hmac-secret-known')) expect(f).not.toHaveProperty('secret');
  });
});

/** A compact JWE with this protected header (the other four parts are placeholders: lint reads the header). */
function jwe(header: Record<string, unknown>): DecodedToken {
  return decoded(`${b64(header)}.AAAA.AAAA.AAAA.AAAA`);
}

const JWE_HEADER = { alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'JWT' };

describe('typ-missing', () => {
  it('fires (info) when the header has no typ, on each signature of a general JWS JSON', () => {
    const { typ: _typ, ...noTyp } = GOOD_HEADER;
    expect(only(lint(token(noTyp, GOOD_CLAIMS)), 'typ-missing')).toMatchObject([
      { severity: 'info', path: 'header.typ', rfc: 'RFC 8725 §3.11' },
    ]);
    const json = JSON.stringify({
      payload: b64(GOOD_CLAIMS),
      signatures: [
        { protected: b64({ alg: 'RS256', typ: 'JWT' }), signature: 'c2ln' },
        { protected: b64({ alg: 'ES256' }), signature: 'c2ln' },
      ],
    });
    expect(only(lint(decoded(json)), 'typ-missing').map((f) => f.path)).toEqual(['signatures[1].header.typ']);
  });

  it('does not fire when typ is present, whatever its value (typ-unexpected judges the value)', () => {
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'typ-missing')).toEqual([]);
    expect(only(lint(token({ ...GOOD_HEADER, typ: 'weird' }, GOOD_CLAIMS)), 'typ-missing')).toEqual([]);
    expect(only(lint(jwe(JWE_HEADER)), 'typ-missing')).toEqual([]);
  });
});

describe('at-jwt-claims', () => {
  const AT_CLAIMS = { ...GOOD_CLAIMS, client_id: 'app', jti: 'a1b2' };

  it('fires once per claim RFC 9068 requires that an at+jwt lacks', () => {
    const { sub: _sub, ...noSub } = AT_CLAIMS;
    const findings = only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, { ...noSub, client_id: undefined })), 'at-jwt-claims');
    expect(findings.map((f) => [f.path, f.severity])).toEqual([
      ['payload.client_id', 'warning'],
      ['payload.sub', 'warning'],
    ]);
    expect(findings[1]!.message).toBe(
      'The token is typed "at+jwt" but has no "sub" claim, which RFC 9068 requires of every JWT access token: resource servers following the profile reject it.',
    );
    expect(findings[0]!.rfc).toBe('RFC 9068 §2.2');
  });

  it('recognises the media type form', () => {
    const { jti: _jti, ...noJti } = AT_CLAIMS;
    expect(only(lint(token({ ...GOOD_HEADER, typ: 'application/AT+JWT' }, noJti)), 'at-jwt-claims').map((f) => f.path)).toEqual([
      'payload.jti',
    ]);
  });

  it('does not fire for a complete at+jwt, nor for a token of another type', () => {
    expect(only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, AT_CLAIMS)), 'at-jwt-claims')).toEqual([]);
    expect(only(lint(token(GOOD_HEADER, GOOD_CLAIMS)), 'at-jwt-claims')).toEqual([]);
  });
});

describe('id-token-as-access', () => {
  const ID_CLAIMS = { ...GOOD_CLAIMS, aud: 'spa-client', azp: 'spa-client', nonce: 'n-0S6_WzA2Mj', at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' };

  it('fires for an ID token typed at+jwt, pointing at the typ', () => {
    const findings = only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, ID_CLAIMS)), 'id-token-as-access');
    expect(findings).toMatchObject([{ severity: 'warning', path: 'header.typ', rfc: 'RFC 8725 §3.12' }]);
    expect(findings[0]!.message).toContain('reads as an ID token (the "at_hash" claim) and as an access token (typ "at+jwt")');
  });

  it.each([
    [{ c_hash: 'x', scope: 'read' }, 'the "c_hash" claim'],
    [{ token_use: 'id', scp: ['read'] }, 'token_use "id"'],
    [{ typ: 'ID', client_id: 'app' }, 'the claim "typ": "ID"'],
    [{ nonce: 'n', azp: 'app', aud: ['app'], scope: 'openid' }, 'aud = azp'],
  ])('fires for ID-token claims %j alongside access-token claims', (claims, why) => {
    const findings = only(lint(token(GOOD_HEADER, { ...GOOD_CLAIMS, ...claims })), 'id-token-as-access');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.path).toBe('token');
    expect(findings[0]!.message).toContain(why);
  });

  it('does not fire for a plain ID token, nor for an access token with nonce or auth_time but no ID-token marks', () => {
    expect(only(lint(token(GOOD_HEADER, ID_CLAIMS)), 'id-token-as-access')).toEqual([]);
    const access = { ...GOOD_CLAIMS, scope: 'read', client_id: 'app', azp: 'app', nonce: 'n', auth_time: NOW - 100 };
    expect(only(lint(token({ ...GOOD_HEADER, typ: 'at+jwt' }, access)), 'id-token-as-access')).toEqual([]);
  });
});

describe('jwe-zip', () => {
  it('fires for a JWE whose plaintext is compressed', () => {
    expect(only(lint(jwe({ ...JWE_HEADER, zip: 'DEF' })), 'jwe-zip')).toMatchObject([
      { severity: 'warning', path: 'header.zip', rfc: 'RFC 8725 §3.6', message: expect.stringContaining('"zip" is "DEF"') },
    ]);
  });

  it('does not fire for an uncompressed JWE, nor for a JWS header member of that name', () => {
    expect(only(lint(jwe(JWE_HEADER)), 'jwe-zip')).toEqual([]);
    expect(only(lint(token({ ...GOOD_HEADER, zip: 'DEF' }, GOOD_CLAIMS)), 'jwe-zip')).toEqual([]);
  });
});

describe('jwe-rsa1-5', () => {
  it('fires for RSA1_5 key management', () => {
    expect(only(lint(jwe({ ...JWE_HEADER, alg: 'RSA1_5' })), 'jwe-rsa1-5')).toMatchObject([
      { severity: 'warning', path: 'header.alg', rfc: 'RFC 8725 §3.2', message: expect.stringContaining('Bleichenbacher') },
    ]);
  });

  it('does not fire for RSA-OAEP, nor for a look-alike spelling', () => {
    expect(only(lint(jwe(JWE_HEADER)), 'jwe-rsa1-5')).toEqual([]);
    expect(only(lint(jwe({ ...JWE_HEADER, alg: 'RSA-OAEP' })), 'jwe-rsa1-5')).toEqual([]);
    expect(only(lint(jwe({ ...JWE_HEADER, alg: 'RSA1_50' })), 'jwe-rsa1-5')).toEqual([]);
  });
});

describe('jwe-p2c-large', () => {
  const PBES2 = { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', typ: 'JWT', p2s: 'c2FsdHNhbHQ' };

  it('fires for an iteration count above 1,000,000', () => {
    expect(only(lint(jwe({ ...PBES2, p2c: 1_000_001 })), 'jwe-p2c-large')).toMatchObject([
      { severity: 'warning', path: 'header.p2c', rfc: 'RFC 7518 §4.8.1.2', message: expect.stringContaining('"p2c" is 1000001') },
    ]);
    expect(only(lint(jwe({ ...PBES2, p2c: 2 ** 31 })), 'jwe-p2c-large')).toHaveLength(1);
  });

  it('does not fire at the cap, below it, or for a p2c that is not a number', () => {
    expect(only(lint(jwe({ ...PBES2, p2c: 1_000_000 })), 'jwe-p2c-large')).toEqual([]);
    expect(only(lint(jwe({ ...PBES2, p2c: 600_000 })), 'jwe-p2c-large')).toEqual([]);
    expect(only(lint(jwe({ ...PBES2, p2c: '99999999' })), 'jwe-p2c-large')).toEqual([]);
  });
});

describe('nested-jwt', () => {
  it('fires (info) for cty JWT on a JWE and on a JWS', () => {
    const [f] = only(lint(jwe({ ...JWE_HEADER, cty: 'JWT' })), 'nested-jwt');
    expect(f).toMatchObject({ severity: 'info', path: 'header.cty', rfc: 'RFC 7519 §5.2' });
    expect(f!.message).toContain('the plaintext is another JWT');
    expect(only(lint(token({ ...GOOD_HEADER, cty: 'application/jwt' }, 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln')), 'nested-jwt')[0]!.message).toContain(
      'the payload is another JWT',
    );
  });

  it('does not fire without cty, or for another content type', () => {
    expect(only(lint(jwe(JWE_HEADER)), 'nested-jwt')).toEqual([]);
    expect(only(lint(token({ ...GOOD_HEADER, cty: 'json' }, GOOD_CLAIMS)), 'nested-jwt')).toEqual([]);
  });
});

describe('alg-weak', () => {
  it.each(['RS1', 'HS1', 'RSA-SHA1', 'hmac-sha-1', 'RS-MD5'])('fires on alg %j', (alg) => {
    expect(only(lint(token({ ...GOOD_HEADER, alg }, GOOD_CLAIMS)), 'alg-weak')).toMatchObject([
      { severity: 'warning', path: 'header.alg', rfc: 'RFC 8725 §3.2' },
    ]);
  });

  it('fires for PBES2 with fewer than 1,000 iterations', () => {
    const t = jwe({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', typ: 'JWT', p2s: 'c2FsdA', p2c: 999 });
    expect(only(lint(t), 'alg-weak')).toMatchObject([{ path: 'header.p2c', message: expect.stringContaining('"p2c" is 999') }]);
  });

  it.each(['RS256', 'HS256', 'PS512', 'ES256K', 'EdDSA', 'RSA1_5', 'none', 'RSA-OAEP'])('does not fire on alg %j', (alg) => {
    expect(only(lint(token({ ...GOOD_HEADER, alg }, GOOD_CLAIMS)), 'alg-weak')).toEqual([]);
  });

  it('does not fire for PBES2 with 1,000 iterations or more', () => {
    expect(only(lint(jwe({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', typ: 'JWT', p2c: 1000 })), 'alg-weak')).toEqual([]);
  });
});

describe('token-large', () => {
  // GOOD_HEADER.GOOD_CLAIMS. is 184 characters; a signature of 'A's brings the token to the length wanted.
  const sized = (length: number) => token(GOOD_HEADER, GOOD_CLAIMS, 'A'.repeat(length - 184));

  it('fires for a token over 8 KB, at the token', () => {
    const t = sized(8194);
    expect(t.token.length).toBe(8194);
    expect(only(lint(t), 'token-large')).toMatchObject([
      { severity: 'warning', path: 'token', rfc: 'RFC 9110 §5.4', message: expect.stringContaining('The token is 8194 bytes, over 8 KB') },
    ]);
  });

  it('counts UTF-8 bytes, not characters (a JWS JSON can hold any text)', () => {
    const json = JSON.stringify({ payload: 'é'.repeat(4200), protected: b64({ alg: 'HS256', b64: false, crit: ['b64'] }), signature: 'c2ln' });
    expect(json.length).toBeLessThan(8192);
    expect(only(lint(decoded(json)), 'token-large')).toHaveLength(1);
  });

  it('counts UTF-8 bytes of a compact token whose payload travels unencoded (RFC 7797)', () => {
    const compact = `${b64({ alg: 'HS256', b64: false, crit: ['b64'] })}.${'é'.repeat(4200)}.c2ln`;
    expect(compact.length).toBeLessThan(8192);
    expect(only(lint(decoded(compact)), 'token-large')).toMatchObject([{ message: expect.stringContaining(`The token is ${Buffer.byteLength(compact)} bytes`) }]);
  });

  it('does not fire for a token of exactly 8 KB', () => {
    const t = sized(8192);
    expect(t.token.length).toBe(8192);
    expect(only(lint(t), 'token-large')).toEqual([]);
  });
});

describe('the engine', () => {
  it('sorts by severity, then path, then rule', () => {
    const t = token({ alg: 'none', typ: 'weird', kid: '../x' }, { exp: NOW - 10, password: 'p' }, '');
    const findings = lint(t);
    const ranks = findings.map((f) => ['error', 'warning', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(findings.map((f) => `${f.severity} ${f.path} ${f.rule}`)).toEqual([
      'error header.alg alg-none',
      'error payload.exp exp-passed',
      'warning header.kid kid-suspicious',
      'warning header.typ typ-unexpected',
      'warning payload.aud aud-missing',
      'warning payload.password sensitive-data',
      'info payload.iss iss-missing',
    ]);
  });

  it('keeps going when a rule throws, and says which one failed', () => {
    const broken: LintRule = {
      id: 'broken',
      severity: 'error',
      rfc: 'RFC 0000 §0',
      summary: 'always throws',
      target: 'payload',
      check() {
        throw new Error('boom');
      },
    };
    const findings = runRules([broken, ...LINT_RULES], token({ alg: 'none', typ: 'JWT' }, GOOD_CLAIMS, ''), { now: NOW });
    expect(findings.map((f) => f.rule)).toEqual(['alg-none', 'broken']);
    expect(findings[1]).toMatchObject({
      severity: 'info',
      path: 'token',
      message: 'The broken check could not run on this token (boom)',
    });
  });

  it('lints only the header of a JWE', () => {
    const header = { alg: 'RSA-OAEP', enc: 'A256GCM', typ: 'Bogus', kid: "'" };
    const t = decoded(`${b64(header)}.AAAA.AAAA.AAAA.AAAA`);
    expect(
      lint(t)
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['kid-suspicious', 'typ-unexpected']);
  });

  it('defaults the clock to now', () => {
    const expired = token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: Math.floor(Date.now() / 1000) - 3600 });
    expect(only(lintToken(expired), 'exp-passed')).toHaveLength(1);
  });

  it('ignores unusable context values instead of failing', () => {
    const t = token(GOOD_HEADER, { ...GOOD_CLAIMS, exp: NOW - 30 });
    const findings = lintToken(t, { now: NOW, leeway: Number.NaN, secretLength: -1 });
    expect(only(findings, 'exp-passed')).toHaveLength(1);
  });

  it('never throws on something that is not a decoded token', () => {
    expect(lintToken(null as unknown as DecodedToken)).toEqual([]);
    expect(lintToken({} as DecodedToken)).toEqual(expect.any(Array));
  });
});
