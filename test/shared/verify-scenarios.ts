/**
 * The verification vectors both signature backends must pass with identical results: RFC 7515 Appendix A,
 * RFC 8037 A.4, the RFC 7520 cookbook (compact, flattened and general JSON), every algorithm with tampered
 * tokens, algorithm confusion, JWKS selection, key-policy warnings and malformed input.
 * verify.test.ts runs them on the jose backend; crypto-node.test.ts on node:crypto, against jose's results.
 */
import crypto from 'node:crypto';
import { expect } from 'vitest';
import type { KeyInput } from '../../shared/core/keys';
import type { VerifyOptions, VerifyReason, VerifyResult } from '../../shared/core/verify-types';
import {
  ALL_ALGS,
  algSetup,
  b64u,
  fixtureJson,
  fixtureText,
  jwkOf,
  nodeSignature,
  nodeToken,
  pem,
  tamperSegment,
  verifyKeyInput,
  type Keys,
} from './crypto-fixtures';

export interface Expectation {
  valid: boolean;
  reason: VerifyReason | null;
  alg?: string | null;
  kid?: string | null;
  /** kid and JWKS index of the key that matched. */
  key?: { kid: string | null; index: number | null; kty?: string };
  warnings?: string[];
  message?: RegExp;
  ok?: boolean;
  signatureIndex?: number;
  /** With reason malformed-token: the decoder's error code, as `decode` reports it. */
  code?: string;
}

export interface Scenario {
  name: string;
  token: string;
  key: KeyInput;
  options?: VerifyOptions;
  expect: Expectation;
}

const jwk = (value: object): KeyInput => ({ type: 'jwk', value: JSON.stringify(value) });
const jwks = (keys: object[]): KeyInput => ({ type: 'jwks', value: JSON.stringify({ keys }) });
const publicOnly = (k: Record<string, unknown>) => {
  const { d, p, q, dp, dq, qi, ...rest } = k;
  void [d, p, q, dp, dq, qi];
  return rest;
};

/** Asserts a result against a scenario's expectation. */
export function checkExpectation(result: VerifyResult, e: Expectation): void {
  expect({ valid: result.valid, reason: result.reason }, result.message).toEqual({ valid: e.valid, reason: e.reason });
  expect(result.ok).toBe(result.valid && result.claims.every((c) => c.ok));
  if (e.alg !== undefined) expect(result.alg).toBe(e.alg);
  if (e.kid !== undefined) expect(result.kid).toBe(e.kid);
  if (e.key) expect(result.key).toMatchObject(e.key);
  if (e.valid) expect(result.key?.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
  else expect(result.key).toBeNull();
  if (e.warnings) expect(result.warnings.map((w) => w.rule)).toEqual(e.warnings);
  if (e.message) expect(result.message).toMatch(e.message);
  if (e.ok !== undefined) expect(result.ok).toBe(e.ok);
  if (e.signatureIndex !== undefined) expect(result.signatureIndex).toBe(e.signatureIndex);
  if (e.code !== undefined) expect(result.error?.code).toBe(e.code);
  if (result.reason === 'malformed-token') expect(result.error?.message).toBe(result.message);
  else expect(result.error).toBeUndefined();
  expect(result.message.length).toBeGreaterThan(0);
}

export function scenarios(keys: Keys): Scenario[] {
  const list: Scenario[] = [];

  // RFC 7515 Appendix A.1–A.4: verify with the example keys (private JWK as given, and its public half).
  const a = fixtureJson('rfc7515/appendix-a.json');
  for (const section of ['A.1', 'A.2', 'A.3', 'A.4']) {
    const v = a[section];
    // The examples' exp (1300819380, March 2011) is long past: valid signature, failed exp check.
    list.push({ name: `RFC 7515 ${section} ${v.alg}`, token: v.token, key: jwk(v.jwk), expect: { valid: true, reason: null, alg: v.alg, ok: section === 'A.4' } });
    list.push({
      name: `RFC 7515 ${section} ${v.alg}, public JWK, clock at 2011`,
      token: v.token,
      key: jwk(publicOnly(v.jwk)),
      options: { now: 1300819300 },
      expect: { valid: true, reason: null, ok: true },
    });
  }
  list.push({
    name: 'RFC 7515 A.5 unsecured JWS never verifies',
    token: a['A.5'].token,
    key: jwk(a['A.1'].jwk),
    expect: { valid: false, reason: 'alg-none', alg: 'none', message: /never accepted/ },
  });

  const ed = fixtureJson('rfc8037/appendix-a.json');
  list.push({ name: 'RFC 8037 A.4 Ed25519', token: ed.token, key: jwk(ed.publicJwk), expect: { valid: true, reason: null, alg: 'EdDSA', ok: true } });
  list.push({ name: 'RFC 8037 A.4 with the private JWK', token: ed.token, key: jwk(ed.privateJwk), expect: { valid: true, reason: null } });
  const edCookbook = fixtureJson('rfc7520/curve25519/jws.json');
  list.push({ name: 'cookbook Ed25519, general JSON', token: JSON.stringify(edCookbook.output.json), key: jwk(edCookbook.input.key), expect: { valid: true, reason: null, signatureIndex: 0 } });

  // RFC 7520 §4 cookbook, every serialization it gives.
  for (const file of ['4_1.rsa_v15_signature', '4_2.rsa-pss_signature', '4_3.ecdsa_signature', '4_4.hmac-sha2_integrity_protection', '4_6.protecting_specific_header_fields', '4_7.protecting_content_only']) {
    const v = fixtureJson(`rfc7520/jws/${file}.json`);
    const key = jwk(v.input.key);
    const forms: [string, string, number | undefined][] = [];
    if (v.output.compact) forms.push(['compact', v.output.compact, undefined]);
    if (v.output.json_flat) forms.push(['flattened', JSON.stringify(v.output.json_flat), undefined]);
    if (v.output.json) forms.push(['general', JSON.stringify(v.output.json), 0]);
    for (const [form, token, signatureIndex] of forms) {
      list.push({
        name: `RFC 7520 ${file} (${form})`,
        token,
        key,
        expect: { valid: true, reason: null, alg: v.input.alg, ...(signatureIndex !== undefined && { signatureIndex }) },
      });
    }
    if (v.input.key.kty !== 'oct') {
      list.push({ name: `RFC 7520 ${file} with the public key only`, token: forms[0]![1], key: jwk(publicOnly(v.input.key)), expect: { valid: true, reason: null } });
    }
  }
  const detached = fixtureJson('rfc7520/jws/4_5.signature_with_detached_content.json');
  list.push({ name: 'RFC 7520 4.5 detached content (compact, payload removed) does not verify', token: detached.output.compact, key: jwk(detached.input.key), expect: { valid: false, reason: 'payload-detached' } });
  list.push({ name: 'RFC 7520 4.5 detached content (JSON without payload) is refused', token: JSON.stringify(detached.output.json), key: jwk(detached.input.key), expect: { valid: false, reason: 'payload-detached', message: /detached/ } });

  const multi = fixtureJson('rfc7520/jws/4_8.multiple_signatures.json');
  const multiToken = JSON.stringify(multi.output.json);
  // Its three keys are RSA, EC and a shared secret: one JWKS holding all of them is refused (a key-confusion
  // risk); the asymmetric two together verify.
  list.push({ name: 'RFC 7520 4.8 multiple signatures, JWKS of all three keys (mixed: refused)', token: multiToken, key: jwks(multi.input.key), expect: { valid: false, reason: 'jwks-mixed', message: /^jwks-mixed: / } });
  const asymmetric = (multi.input.key as Record<string, unknown>[]).filter((k) => k.kty !== 'oct');
  list.push({ name: 'RFC 7520 4.8 multiple signatures, JWKS of its RSA and EC keys', token: multiToken, key: jwks(asymmetric), expect: { valid: true, reason: null, alg: 'RS256', signatureIndex: 0, key: { kid: 'bilbo.baggins@hobbiton.example', index: 0 } } });
  (multi.input.key as Record<string, unknown>[]).forEach((k, i) => {
    list.push({ name: `RFC 7520 4.8 multiple signatures, key ${i} alone`, token: multiToken, key: jwk(k), expect: { valid: true, reason: null, signatureIndex: i, alg: multi.input.alg[i] } });
  });
  list.push({
    name: 'RFC 7520 4.8 with an unrelated RSA key: the RSA signature is the one that fails',
    token: multiToken,
    key: { type: 'pem', value: pem(keys.rsaOther.publicKey, 'spki') },
    expect: { valid: false, reason: 'signature-mismatch', signatureIndex: 0 },
  });

  // Every algorithm: good, tampered payload, tampered signature.
  const claims = { sub: 'alice', iat: 1_700_000_000, exp: 4_100_000_000 };
  for (const alg of ALL_ALGS) {
    const { signKey } = algSetup(keys, alg);
    const token = nodeToken(alg, signKey, { typ: 'JWT' }, claims);
    const key = verifyKeyInput(keys, alg);
    list.push({ name: `${alg} valid`, token, key, expect: { valid: true, reason: null, alg, ok: true, warnings: [] } });
    list.push({ name: `${alg} tampered payload`, token: tamperSegment(token, 1), key, expect: { valid: false, reason: 'signature-mismatch', alg } });
    list.push({ name: `${alg} tampered signature`, token: tamperSegment(token, 2), key, expect: { valid: false, reason: 'signature-mismatch', alg } });
  }
  const rsaPem = pem(keys.rsa.publicKey, 'spki');
  for (const form of ['spki', 'pkcs1'] as const) {
    list.push({ name: `RS256 with a ${form} public PEM`, token: nodeToken('RS256', keys.rsa.privateKey, {}, claims), key: { type: 'pem', value: pem(keys.rsa.publicKey, form) }, expect: { valid: true, reason: null } });
  }
  for (const form of ['pkcs8', 'pkcs1'] as const) {
    list.push({ name: `PS384 with a ${form} private PEM (its public half)`, token: nodeToken('PS384', keys.rsa.privateKey, {}, claims), key: { type: 'pem', value: pem(keys.rsa.privateKey, form) }, expect: { valid: true, reason: null } });
  }
  list.push({ name: 'ES384 with a SEC1 private PEM', token: nodeToken('ES384', keys.p384.privateKey, {}, claims), key: { type: 'pem', value: pem(keys.p384.privateKey, 'sec1') }, expect: { valid: true, reason: null } });
  for (const encoding of ['utf8', 'hex', 'base64', 'base64url'] as const) {
    const secret = Buffer.from('correct horse battery staple, 32+');
    list.push({
      name: `HS256 with a ${encoding} secret`,
      token: nodeToken('HS256', secret, {}, claims),
      key: { type: 'secret', value: secret.toString(encoding), encoding },
      expect: { valid: true, reason: null, warnings: [] },
    });
  }

  // Algorithm confusion (RFC 8725 §2.1): the key decides, not the header.
  list.push({
    name: 'HS256 signed with the RSA public key PEM as secret does not verify with that RSA key',
    token: nodeToken('HS256', Buffer.from(rsaPem), {}, claims),
    key: { type: 'pem', value: rsaPem },
    expect: { valid: false, reason: 'key-type-mismatch', message: /algorithm-confusion/ },
  });
  list.push({
    name: 'the same forged token with the key auto-detected',
    token: nodeToken('HS256', Buffer.from(rsaPem), {}, claims),
    key: { type: 'auto', value: rsaPem },
    expect: { valid: false, reason: 'key-type-mismatch' },
  });
  list.push({ name: 'ES256 token with an RSA key', token: nodeToken('ES256', keys.p256.privateKey, {}, claims), key: { type: 'pem', value: rsaPem }, expect: { valid: false, reason: 'key-type-mismatch', message: /ES256 needs a P-256 EC key; the key is an RSA key/ } });
  list.push({ name: 'ES384 token with a P-256 key', token: nodeToken('ES384', keys.p384.privateKey, {}, claims), key: { type: 'pem', value: pem(keys.p256.publicKey, 'spki') }, expect: { valid: false, reason: 'key-type-mismatch' } });
  list.push({ name: 'EdDSA token with a secret', token: nodeToken('EdDSA', keys.ed25519.privateKey, {}, claims), key: { type: 'secret', value: 'x'.repeat(64), encoding: 'utf8' }, expect: { valid: false, reason: 'key-type-mismatch' } });
  list.push({
    name: 'PS256 token with a JWK whose own alg is RS256',
    token: nodeToken('PS256', keys.rsa.privateKey, {}, claims),
    key: { type: 'jwk', value: jwkOf(keys.rsa.publicKey, { alg: 'RS256' }) },
    expect: { valid: false, reason: 'alg-not-allowed', message: /JWK alg is RS256/ },
  });
  list.push({
    name: 'options.algorithms narrows what the key allows',
    token: nodeToken('PS256', keys.rsa.privateKey, {}, claims),
    key: { type: 'pem', value: rsaPem },
    options: { algorithms: ['RS256'] },
    expect: { valid: false, reason: 'alg-not-allowed' },
  });
  list.push({
    name: 'an RSASSA-PSS key refuses RS256',
    token: nodeToken('RS256', crypto.createPrivateKey(fixtureText('keys/rsa-pss.key.pem')), {}, claims),
    key: { type: 'pem', value: fixtureText('keys/rsa-pss.pub.pem') },
    expect: { valid: false, reason: 'alg-not-allowed', message: /PS256, PS384, PS512 only/ },
  });
  list.push({
    name: 'an RSASSA-PSS key verifies PS256',
    token: nodeToken('PS256', crypto.createPrivateKey(fixtureText('keys/rsa-pss.key.pem')), {}, claims),
    key: { type: 'pem', value: fixtureText('keys/rsa-pss.pub.pem') },
    expect: { valid: true, reason: null },
  });
  list.push({ name: 'X.509 certificate key (RS256)', token: nodeToken('RS256', crypto.createPrivateKey(fixtureText('keys/rsa-cert.key.pem')), {}, claims), key: { type: 'pem', value: fixtureText('keys/rsa-cert.pem') }, expect: { valid: true, reason: null } });
  list.push({ name: 'X.509 certificate key (ES256)', token: nodeToken('ES256', crypto.createPrivateKey(fixtureText('keys/ec-cert.key.pem')), {}, claims), key: { type: 'pem', value: fixtureText('keys/ec-cert.pem') }, expect: { valid: true, reason: null } });
  list.push({ name: 'X.509 certificate key (EdDSA)', token: nodeToken('EdDSA', crypto.createPrivateKey(fixtureText('keys/ed25519-cert.key.pem')), {}, claims), key: { type: 'pem', value: fixtureText('keys/ed25519-cert.pem') }, expect: { valid: true, reason: null } });

  // JWKS: by kid, by trial, and nothing that fits.
  const set = [
    JSON.parse(jwkOf(keys.rsaOther.publicKey, { kid: 'a' })),
    JSON.parse(jwkOf(keys.rsa.publicKey, { kid: 'b' })),
    JSON.parse(jwkOf(keys.p256.publicKey, { kid: 'c' })),
  ];
  list.push({ name: 'JWKS: picked by kid', token: nodeToken('RS256', keys.rsa.privateKey, { kid: 'b' }, claims), key: jwks(set), expect: { valid: true, reason: null, kid: 'b', key: { kid: 'b', index: 1, kty: 'RSA' } } });
  list.push({ name: 'JWKS: no kid, each key tried, the match reported', token: nodeToken('RS256', keys.rsa.privateKey, {}, claims), key: jwks(set), expect: { valid: true, reason: null, kid: null, key: { kid: 'b', index: 1 } } });
  list.push({ name: 'JWKS: unknown kid, each key tried', token: nodeToken('ES256', keys.p256.privateKey, { kid: 'zzz' }, claims), key: jwks(set), expect: { valid: true, reason: null, key: { kid: 'c', index: 2 } } });
  list.push({ name: 'JWKS: kid names a key that does not verify', token: nodeToken('RS256', keys.rsa.privateKey, { kid: 'a' }, claims), key: jwks(set), expect: { valid: false, reason: 'signature-mismatch' } });
  list.push({ name: 'JWKS: kid names a key of the wrong type', token: nodeToken('ES256', keys.p256.privateKey, { kid: 'a' }, claims), key: jwks(set), expect: { valid: false, reason: 'key-type-mismatch', message: /kid "a"/ } });
  list.push({ name: 'JWKS: no key fits the alg', token: nodeToken('EdDSA', keys.ed25519.privateKey, {}, claims), key: jwks(set), expect: { valid: false, reason: 'no-matching-key', message: /none of the 3 keys in the JWKS allows EdDSA/ } });
  list.push({ name: 'JWKS: keys of the right type, none verifies', token: nodeToken('RS256', keys.rsaWeak.privateKey, {}, claims), key: jwks(set), expect: { valid: false, reason: 'no-matching-key', message: /each of the 2 keys that allow RS256 was tried/ } });
  list.push({
    name: 'RFC 7520 symmetric key in a JWKS of asymmetric keys: mixed, refused',
    token: fixtureJson('rfc7520/jws/4_4.hmac-sha2_integrity_protection.json').output.compact,
    key: jwks([...set, fixtureJson('rfc7520/jwk/3_5.symmetric_key_mac_computation.json')]),
    expect: { valid: false, reason: 'jwks-mixed' },
  });
  list.push({
    name: 'RFC 7520 symmetric key in a JWKS of secrets, found by kid',
    token: fixtureJson('rfc7520/jws/4_4.hmac-sha2_integrity_protection.json').output.compact,
    key: jwks([{ kty: 'oct', kid: 'other', k: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA' }, fixtureJson('rfc7520/jwk/3_5.symmetric_key_mac_computation.json')]),
    expect: { valid: true, reason: null, key: { kid: '018c0ae5-4d9b-471b-bfd6-eef314bc7037', index: 1 } },
  });

  // Key policy warnings, on success and on failure.
  const weakPem = pem(keys.rsaWeak.publicKey, 'pkcs1');
  const weakToken = nodeToken('RS256', keys.rsaWeak.privateKey, {}, claims);
  list.push({ name: 'a 1024-bit RSA key with e=3 verifies, with warnings', token: weakToken, key: { type: 'pem', value: weakPem }, expect: { valid: true, reason: null, warnings: ['rsa-key-small', 'rsa-exponent-weak'] } });
  list.push({ name: 'PS256 with the weak key', token: nodeToken('PS256', keys.rsaWeak.privateKey, {}, claims), key: { type: 'pem', value: weakPem }, expect: { valid: true, reason: null, warnings: ['rsa-key-small', 'rsa-exponent-weak'] } });
  list.push({ name: 'the weak key, tampered', token: tamperSegment(weakToken, 2), key: { type: 'pem', value: weakPem }, expect: { valid: false, reason: 'signature-mismatch', warnings: ['rsa-key-small', 'rsa-exponent-weak'] } });
  list.push({ name: 'a short HMAC secret', token: nodeToken('HS256', Buffer.from('secret'), {}, claims), key: { type: 'secret', value: 'secret', encoding: 'utf8' }, expect: { valid: true, reason: null, warnings: ['hmac-secret-short'] } });
  list.push({ name: 'a 32-byte secret is short for HS512 only', token: nodeToken('HS512', Buffer.alloc(32, 7), {}, claims), key: { type: 'secret', value: '07'.repeat(32), encoding: 'hex' }, expect: { valid: true, reason: null, warnings: ['hmac-secret-short'] } });

  // Claims ride along: a valid signature with an expired token is valid but not ok.
  list.push({
    name: 'expired token: valid, not ok',
    token: nodeToken('ES256', keys.p256.privateKey, {}, { exp: 1_000_000_000 }),
    key: { type: 'pem', value: pem(keys.p256.publicKey, 'spki') },
    expect: { valid: true, reason: null, ok: false },
  });
  list.push({
    name: 'a non-JSON payload can be valid',
    token: nodeToken('HS256', keys.secret, {}, 'just some bytes'),
    key: verifyKeyInput(keys, 'HS256'),
    expect: { valid: true, reason: null, ok: true },
  });

  // Shapes that are not a verifiable JWS.
  const good = nodeToken('HS256', keys.secret, {}, claims);
  const hs = verifyKeyInput(keys, 'HS256');
  const [h, p, s] = good.split('.') as [string, string, string];
  const headerOf = (header: object) => b64u(JSON.stringify(header));
  const signed = (header: object, payload = p) => {
    const input = `${headerOf(header)}.${payload}`;
    return `${input}.${b64u(nodeSignature('HS256', keys.secret, input))}`;
  };
  list.push({ name: 'Bearer prefix, quotes and whitespace are stripped', token: `  "Bearer ${good}"\n`, key: hs, expect: { valid: true, reason: null } });
  list.push({ name: 'two parts', token: `${h}.${p}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'segment-count', message: /has 2 parts/ } });
  list.push({ name: 'a JWE (5 parts)', token: `${headerOf({ alg: 'dir', enc: 'A128GCM' })}..AAAA.AAAA.AAAA`, key: hs, expect: { valid: false, reason: 'not-a-jws' } });
  list.push({ name: 'a JWE JSON serialization', token: JSON.stringify({ protected: headerOf({ alg: 'dir', enc: 'A128GCM' }), iv: 'AA', ciphertext: 'AA', tag: 'AA' }), key: hs, expect: { valid: false, reason: 'not-a-jws' } });
  list.push({ name: 'header not base64url', token: `${h}*.${p}.${s}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'base64url-invalid-char', message: /header has '\*'/ } });
  list.push({ name: 'header not JSON', token: `${b64u('{alg')}.${p}.${s}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'json-syntax', message: /header is not valid JSON/ } });
  list.push({ name: 'header an array', token: `${b64u('[1]')}.${p}.${s}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'header-not-object', message: /not an object/ } });
  list.push({ name: 'header without alg', token: `${headerOf({ typ: 'JWT' })}.${p}.${s}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'header-alg-missing', message: /no "alg"/ } });
  list.push({ name: 'payload with padding', token: `${h}.${p}=.${s}`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'base64url-padding', message: /payload has '=' padding/ } });
  list.push({ name: 'signature not base64url', token: `${h}.${p}.${s}!`, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'base64url-invalid-char', message: /signature has/ } });
  list.push({ name: 'empty signature', token: `${h}.${p}.`, key: hs, expect: { valid: false, reason: 'signature-mismatch', message: /signature is empty/ } });
  list.push({ name: 'unsupported alg', token: signed({ alg: 'HS1' }), key: hs, expect: { valid: false, reason: 'unsupported-alg', alg: 'HS1' } });
  list.push({ name: 'alg "None" is not "none" but it is not supported either', token: `${headerOf({ alg: 'None' })}.${p}.`, key: hs, expect: { valid: false, reason: 'unsupported-alg' } });
  list.push({ name: 'crit with an unknown extension', token: signed({ alg: 'HS256', crit: ['exp'], exp: 1 }), key: hs, expect: { valid: false, reason: 'crit-unsupported' } });
  list.push({ name: 'crit naming a missing parameter', token: signed({ alg: 'HS256', crit: ['foo'] }), key: hs, expect: { valid: false, reason: 'crit-unsupported', message: /does not contain/ } });
  list.push({ name: 'crit naming a registered parameter', token: signed({ alg: 'HS256', crit: ['kid'], kid: 'x' }), key: hs, expect: { valid: false, reason: 'crit-unsupported', message: /already understands/ } });
  {
    // RFC 7797 unencoded payload, signed over the raw payload text.
    const header = headerOf({ alg: 'HS256', b64: false, crit: ['b64'] });
    const input = `${header}.$.02`;
    const token = `${header}.$.02.${b64u(nodeSignature('HS256', keys.secret, input))}`;
    list.push({ name: 'RFC 7797 b64:false compact', token, key: hs, expect: { valid: false, reason: 'malformed-token', code: 'segment-count', message: /has 4 parts/ } });
    const noDot = `${header}.$02`;
    list.push({ name: 'RFC 7797 b64:false without dots', token: `${noDot}.${b64u(nodeSignature('HS256', keys.secret, noDot))}`, key: hs, expect: { valid: true, reason: null } });
    list.push({
      name: 'RFC 7797 b64:false in flattened JSON',
      token: JSON.stringify({ protected: header, payload: '$.02', signature: b64u(nodeSignature('HS256', keys.secret, input)) }),
      key: hs,
      expect: { valid: true, reason: null },
    });
  }
  {
    const esInput = `${headerOf({ alg: 'ES256' })}.${p}`;
    const der = crypto.sign('sha256', Buffer.from(esInput), keys.p256.privateKey); // DER: the classic mistake
    list.push({ name: 'a DER-encoded ECDSA signature', token: `${esInput}.${b64u(der)}`, key: { type: 'pem', value: pem(keys.p256.publicKey, 'spki') }, expect: { valid: false, reason: 'signature-mismatch', message: /DER-encoded/ } });
  }
  list.push({ name: 'an unreadable key', token: good, key: { type: 'pem', value: 'not a key' }, expect: { valid: false, reason: 'invalid-key', alg: 'HS256', message: /^pem-invalid: no PEM block found/ } });
  list.push({ name: 'a CSR instead of a key', token: good, key: { type: 'pem', value: fixtureText('keys/csr.pem') }, expect: { valid: false, reason: 'invalid-key', message: /PEM block type CERTIFICATE REQUEST is not a key/ } });
  list.push({ name: 'general JSON with both protected and unprotected alg', token: JSON.stringify({ payload: p, signatures: [{ protected: h, header: { alg: 'HS256' }, signature: s }] }), key: hs, expect: { valid: false, reason: 'malformed-token', code: 'jws-json-invalid', message: /in both .* must be disjoint/ } });
  list.push({ name: 'JSON that is no JWS', token: '{"hello":', key: hs, expect: { valid: false, reason: 'malformed-token' } });
  list.push({ name: 'empty input', token: '   ', key: hs, expect: { valid: false, reason: 'malformed-token', code: 'empty-input', message: /Nothing to decode/ } });
  return list;
}
