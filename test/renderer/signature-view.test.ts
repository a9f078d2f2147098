// The Signature pane's JSON, on RFC 7515 / 7516 examples: values as encoded, bytes counted and in hex
// (checked against Node's own base64url decoder), every signature of a JSON serialization, a JWE's parts.
import { describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import type { DecodedToken } from '../../shared/core/token';
import { signatureView } from '../../renderer/src/signature-view';
import { fixtureJson } from '../shared/crypto-fixtures';

const PAYLOAD = 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ';
const HS256_SIG = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const ES256_SIG = 'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';

function decoded(text: string): DecodedToken {
  const result = decodeToken(text);
  if (!result.ok) throw new Error(`fixture does not decode: ${result.error.message}`);
  return result.token;
}

const bytesOf = (b64url: string) => Buffer.from(b64url, 'base64url');

describe('signatureView', () => {
  it('adds an SD-JWT’s Disclosures where they land, the claims as disclosed and the KB-JWT (RFC 9901 §5.2)', () => {
    const rfc = fixtureJson<{ presentation: string }>('sd-jwt/rfc9901.json');
    const view = JSON.parse(signatureView(decoded(rfc.presentation)));
    expect(view.alg).toBe('ES256');
    expect(view.sd_jwt.hash).toBe('sha-256');
    expect(view.sd_jwt.disclosures.map((d: { path: string }) => d.path)).toEqual(['$.family_name', '$.address', '$.given_name', '$.nationalities[0]']);
    expect(view.sd_jwt.disclosures[3]).not.toHaveProperty('name');
    expect(view.sd_jwt.undisclosed_digests).toBe(6);
    expect(view.sd_jwt.claims_as_disclosed).toMatchObject({ given_name: 'John', nationalities: ['US'] });
    expect(view.sd_jwt.key_binding_jwt.header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    expect(view.sd_jwt).not.toHaveProperty('problems');
  });

  it('shows a compact JWS signature with its algorithm, bytes and hex (RFC 7515 A.1)', () => {
    const view = JSON.parse(signatureView(decoded(`eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.${PAYLOAD}.${HS256_SIG}`)));
    expect(view).toEqual({ alg: 'HS256', signature: HS256_SIG, bytes: 32, hex: bytesOf(HS256_SIG).toString('hex') });
  });

  it('says an unsecured token is not signed (RFC 7515 A.5)', () => {
    expect(JSON.parse(signatureView(decoded(`eyJhbGciOiJub25lIn0.${PAYLOAD}.`)))).toMatchObject({ alg: 'none', signature: '' });
  });

  it('lists every signature of a general JSON serialization with its own alg and kid (RFC 7515 A.6)', () => {
    const json = JSON.stringify({
      payload: PAYLOAD,
      signatures: [
        { protected: 'eyJhbGciOiJIUzI1NiJ9', header: { kid: 'hmac-1' }, signature: HS256_SIG },
        { protected: 'eyJhbGciOiJFUzI1NiJ9', header: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' }, signature: ES256_SIG },
      ],
    });
    expect(JSON.parse(signatureView(decoded(json)))).toEqual({
      signatures: [
        { alg: 'HS256', kid: 'hmac-1', signature: HS256_SIG, bytes: 32, hex: bytesOf(HS256_SIG).toString('hex') },
        { alg: 'ES256', kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d', signature: ES256_SIG, bytes: 64, hex: bytesOf(ES256_SIG).toString('hex') },
      ],
    });
  });

  it('shows the five parts of a compact JWE, the ciphertext counted (RFC 7516 A.3)', () => {
    const jwe =
      'eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.' +
      '6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ.' +
      'AxY8DCtDaGlsbGljb3RoZQ.' +
      'KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.' +
      'U0m_YmjN04DJvceFICbCVQ';
    expect(JSON.parse(signatureView(decoded(jwe)))).toMatchObject({
      alg: 'A128KW',
      enc: 'A128CBC-HS256',
      encrypted_key: '6KB707dM9YTIgHtLvtgWQ8mKwboJW3of9locizkDTHzBC2IlrT1oOQ',
      iv: 'AxY8DCtDaGlsbGljb3RoZQ',
      ciphertext: `${bytesOf('KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY').length} bytes`,
      tag: 'U0m_YmjN04DJvceFICbCVQ',
    });
  });
});
