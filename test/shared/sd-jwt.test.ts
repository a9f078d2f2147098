// SD-JWT (RFC 9901) through the one decoder and verifier: the RFC's own examples (issuer key, Disclosures,
// KB-JWT, all independent of this code), then tokens built here with node:crypto to reach every rule.
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import { verifyToken } from '../../shared/core/verify';
import type { ClaimCheck } from '../../shared/core/verify-types';
import { b64u, fixtureJson, nodeToken } from './crypto-fixtures';

interface Rfc9901 {
  issuerKey: Record<string, string>;
  issuerJwt: string;
  disclosures: Record<string, string>;
  issuance: string;
  presentation: string;
  keyBinding: { jwt: string; aud: string; nonce: string; iat: number };
  now: number;
}
const rfc = fixtureJson<Rfc9901>('sd-jwt/rfc9901.json');
const issuerKey = { type: 'jwk' as const, value: JSON.stringify(rfc.issuerKey) };
const at = { now: rfc.now };

function decoded(text: string) {
  const result = decodeToken(text);
  if (!result.ok) throw new Error(`did not decode: ${result.error.message}`);
  return result.token;
}

function check(claims: ClaimCheck[], name: string): ClaimCheck {
  const found = claims.find((c) => c.claim === name);
  if (!found) throw new Error(`no ${name} check in ${claims.map((c) => c.claim).join(', ')}`);
  return found;
}

describe('RFC 9901 examples', () => {
  it('decodes the §5.1 issuance: ten Disclosures, each placed where its digest stands', () => {
    const token = decoded(rfc.issuance);
    expect(token.kind).toBe('jws');
    expect(token.token).toBe(rfc.issuance);
    const sd = token.sdJwt!;
    expect(sd.issuerJwt).toBe(rfc.issuerJwt);
    expect(sd.hashAlg).toBe('sha-256');
    expect(sd.problems).toEqual([]);
    expect(sd.undisclosed).toBe(0);
    expect(sd.keyBinding).toBeNull();
    expect(sd.disclosures.map((d) => d.path)).toEqual([
      '$.given_name',
      '$.family_name',
      '$.email',
      '$.phone_number',
      '$.phone_number_verified',
      '$.address',
      '$.birthdate',
      '$.updated_at',
      '$.nationalities[0]',
      '$.nationalities[1]',
    ]);
    // Every digest computed here is one the issuer signed (in _sd or an array's "...").
    const payload = token.payload as { _sd: string[]; nationalities: Array<{ '...': string }> };
    const signed = [...payload._sd, ...payload.nationalities.map((n) => n['...'])];
    expect(sd.disclosures.map((d) => d.digest).sort()).toEqual(signed.sort());
    expect(sd.claims).toMatchObject({
      iss: 'https://issuer.example.com',
      given_name: 'John',
      address: { street_address: '123 Main St', country: 'US' },
      nationalities: ['US', 'DE'],
      phone_number_verified: true,
    });
    expect(sd.claims).not.toHaveProperty('_sd');
    expect(sd.claims).not.toHaveProperty('_sd_alg');
    // The Encoded pane colours each Disclosure.
    expect(token.spans.filter((s) => s.segment === 'disclosure')).toHaveLength(10);
  });

  it('verifies the §5.2 presentation: issuer signature, Disclosures, KB-JWT with cnf.jwk, sd_hash, aud, nonce', async () => {
    const result = await verifyToken(rfc.presentation, issuerKey, { ...at, kbAudience: rfc.keyBinding.aud, kbNonce: rfc.keyBinding.nonce });
    expect(result.valid).toBe(true);
    expect(result.ok).toBe(true);
    for (const name of ['disclosures', 'kb+jwt', 'kb.signature', 'sd_hash', 'kb.iat', 'kb.aud', 'kb.nonce']) expect(check(result.claims, name).ok).toBe(true);
    expect(check(result.claims, 'disclosures').message).toContain('6 digests not disclosed');
    const sd = decoded(rfc.presentation).sdJwt!;
    expect(sd.claims).toMatchObject({ nationalities: ['US'], family_name: 'Doe' });
    expect(sd.claims).not.toHaveProperty('email');
    expect(sd.keyBinding?.payload).toMatchObject({ aud: rfc.keyBinding.aud, iat: rfc.keyBinding.iat });
  });

  it('fails the KB-JWT checks for another verifier, another nonce, a removed Disclosure', async () => {
    const other = await verifyToken(rfc.presentation, issuerKey, { ...at, kbAudience: 'https://other.example', kbNonce: 'nope' });
    expect(other.valid).toBe(true);
    expect(other.ok).toBe(false);
    expect(check(other.claims, 'kb.aud').ok).toBe(false);
    expect(check(other.claims, 'kb.nonce').ok).toBe(false);

    // Dropping the given_name Disclosure changes what sd_hash must cover.
    const dropped = rfc.presentation.replace(`~${rfc.disclosures.given_name}~`, '~');
    const result = await verifyToken(dropped, issuerKey, at);
    expect(check(result.claims, 'disclosures').ok).toBe(true);
    expect(check(result.claims, 'sd_hash').ok).toBe(false);
    expect(result.ok).toBe(false);
  });

  it('refuses a tampered issuer signature, and a KB-JWT not signed by the holder key', async () => {
    const [h, p, s] = rfc.issuerJwt.split('.') as [string, string, string];
    const tampered = rfc.presentation.replace(rfc.issuerJwt, `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`);
    expect((await verifyToken(tampered, issuerKey, at)).valid).toBe(false);

    const [kh, kp, ks] = rfc.keyBinding.jwt.split('.') as [string, string, string];
    const forged = rfc.presentation.replace(rfc.keyBinding.jwt, `${kh}.${kp}.${ks.startsWith('A') ? 'B' : 'A'}${ks.slice(1)}`);
    const result = await verifyToken(forged, issuerKey, at);
    expect(result.valid).toBe(true);
    expect(check(result.claims, 'kb.signature').ok).toBe(false);
    expect(result.ok).toBe(false);
  });

  it('requires a KB-JWT when the verifier expects an audience or a nonce', async () => {
    const result = await verifyToken(rfc.issuance, issuerKey, { ...at, kbNonce: 'n' });
    expect(check(result.claims, 'kb+jwt')).toMatchObject({ ok: false });
    expect((await verifyToken(rfc.issuance, issuerKey, at)).ok).toBe(true);
  });

  it('reports a Disclosure no digest references, and a repeated one', async () => {
    const stray = b64u(JSON.stringify(['salt-stray', 'foo', 'bar']));
    const withStray = `${rfc.issuerJwt}~${rfc.disclosures.given_name}~${stray}~`;
    const token = decoded(withStray);
    expect(token.sdJwt!.problems.join()).toMatch(/Disclosure 2 \("foo"\) matches no digest/);
    expect(token.notes.some((n) => n.code === 'sd-jwt-invalid')).toBe(true);
    const result = await verifyToken(withStray, issuerKey, at);
    expect(check(result.claims, 'disclosures').ok).toBe(false);
    expect(result.ok).toBe(false);

    const repeated = `${rfc.issuerJwt}~${rfc.disclosures.given_name}~${rfc.disclosures.given_name}~`;
    expect(decoded(repeated).sdJwt!.problems.join()).toMatch(/repeat/);
  });
});

describe('reading an SD-JWT', () => {
  it('locates a Disclosure that is not a [salt, name, value] array', () => {
    const bad = b64u(JSON.stringify({ salt: 'x' }));
    const text = `${rfc.issuerJwt}~${rfc.disclosures.email}~${bad}~`;
    const result = decodeToken(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'sd-jwt-invalid', segment: 'disclosure', offset: text.indexOf(bad), length: bad.length });
    expect(result.error.message).toMatch(/Disclosure 2 must be a JSON array/);
  });

  it('refuses an empty Disclosure, a reserved name, an unsecured issuer JWT and a broken KB-JWT', () => {
    const refuse = (text: string, pattern: RegExp) => {
      const result = decodeToken(text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('sd-jwt-invalid');
        expect(result.error.message).toMatch(pattern);
      }
    };
    refuse(`${rfc.issuerJwt}~~`, /empty/);
    refuse(`${rfc.issuerJwt}~${b64u(JSON.stringify(['s', '_sd', 1]))}~`, /reserved name "_sd"/);
    refuse(`${b64u('{"alg":"none"}')}.${b64u('{"_sd":[]}')}.~`, /signed JWS/);
    refuse(`${rfc.issuerJwt}~not-a-jwt`, /key-binding JWT/);
  });

  it('places recursive Disclosures and array elements, hashes with sha-384, and verifies a KB-JWT made here', async () => {
    const issuer = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const holder = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const digest = (d: string) => b64u(crypto.createHash('sha384').update(d).digest());
    const street = b64u(JSON.stringify(['s1', 'street_address', 'Schulstr. 12']));
    const address = b64u(JSON.stringify(['s2', 'address', { _sd: [digest(street)], country: 'DE' }]));
    const de = b64u(JSON.stringify(['s3', 'DE']));
    const decoy = digest('decoy');
    const payload = {
      iss: 'https://issuer.test',
      _sd_alg: 'sha-384',
      _sd: [digest(address), decoy],
      nationalities: [{ '...': digest(de) }, { '...': digest('undisclosed') }],
      cnf: { jwk: holder.publicKey.export({ format: 'jwk' }) },
    };
    const jwt = nodeToken('ES256', issuer.privateKey, { alg: 'ES256', typ: 'dc+sd-jwt' }, payload);
    const presented = `${jwt}~${address}~${street}~${de}~`;
    const sdHash = b64u(crypto.createHash('sha384').update(presented).digest());
    const kb = nodeToken('ES256', holder.privateKey, { alg: 'ES256', typ: 'kb+jwt' }, { aud: 'https://verifier.test', nonce: 'n-1', iat: 1_000, sd_hash: sdHash });
    const text = `${presented}${kb}`;

    const sd = decoded(text).sdJwt!;
    expect(sd.problems).toEqual([]);
    expect(sd.hashAlg).toBe('sha-384');
    expect(sd.undisclosed).toBe(2);
    expect(sd.claims).toEqual({
      iss: 'https://issuer.test',
      nationalities: ['DE'],
      cnf: payload.cnf,
      address: { country: 'DE', street_address: 'Schulstr. 12' },
    });
    expect(sd.disclosures.map((d) => d.path)).toEqual(['$.address', '$.address.street_address', '$.nationalities[0]']);

    const key = { type: 'pem' as const, value: issuer.publicKey.export({ type: 'spki', format: 'pem' }) as string };
    const result = await verifyToken(text, key, { now: 1_010, kbAudience: 'https://verifier.test', kbNonce: 'n-1' });
    expect(result.claims.filter((c) => !c.ok)).toEqual([]);
    expect(result.ok).toBe(true);

    // A KB-JWT from the future, or typed otherwise, fails its own check.
    const late = await verifyToken(text, key, { now: 900 });
    expect(check(late.claims, 'kb.iat').ok).toBe(false);
    const untyped = nodeToken('ES256', holder.privateKey, { alg: 'ES256' }, { aud: 'a', nonce: 'n', iat: 1_000, sd_hash: sdHash });
    expect(check((await verifyToken(`${presented}${untyped}`, key, { now: 1_010 })).claims, 'kb+jwt').ok).toBe(false);
  });

  it('checks time claims on the claims as disclosed: a selectively disclosed exp still expires', async () => {
    const issuer = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const exp = b64u(JSON.stringify(['s', 'exp', 500]));
    const jwt = nodeToken('ES256', issuer.privateKey, { alg: 'ES256' }, { _sd: [b64u(crypto.createHash('sha256').update(exp).digest())] });
    const key = { type: 'pem' as const, value: issuer.publicKey.export({ type: 'spki', format: 'pem' }) as string };
    const result = await verifyToken(`${jwt}~${exp}~`, key, { now: 1_000 });
    expect(check(result.claims, 'exp').ok).toBe(false);
    expect((await verifyToken(`${jwt}~`, key, { now: 1_000 })).claims.some((c) => c.claim === 'exp')).toBe(false);
  });
});
