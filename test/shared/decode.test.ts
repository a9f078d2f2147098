import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeToken as decodeTokenUnderTest, unwrapToken } from '../../shared/core/decode';
import type { TokenErrorInfo } from '../../shared/core/errors';
import { prepareKeys } from '../../shared/core/keys';
import type { DecodedToken, DecodeResult } from '../../shared/core/token';
import { verifyToken } from '../../shared/core/verify';

/** Every input this file shows decode refusing, with its error: verify must refuse each the same way (last test). */
const refused = new Map<string, TokenErrorInfo>();
function decodeToken(text: string): DecodeResult {
  const result = decodeTokenUnderTest(text);
  if (!result.ok) refused.set(text, result.error);
  return result;
}

const b64 = (text: string | Uint8Array) => Buffer.from(text).toString('base64url');

function ok(r: DecodeResult): DecodedToken {
  if (!r.ok) throw new Error(`expected a token, got ${r.error.code}: ${r.error.message}`);
  return r.token;
}

function failure(r: DecodeResult) {
  if (r.ok) throw new Error('expected a decode failure');
  return r;
}

// ---------------------------------------------------------------------------------------------------
// RFC 7515 Appendix A (transcribed from the RFC text). A.2–A.4 sign the A.1 claims (A.4: "Payload").

const A1_HEADER = 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9';
const A1_PAYLOAD = 'eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ';
const A1 = `${A1_HEADER}.${A1_PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk`;
const A1_KEY = 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow';
const A2_SIG =
  'cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7' +
  'AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4' +
  'BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K' +
  '0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv' +
  'hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB' +
  'p0igcN_IoypGlUPQGe77Rw';
const A2 = `eyJhbGciOiJSUzI1NiJ9.${A1_PAYLOAD}.${A2_SIG}`;
const A3_SIG = 'DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q';
const A3 = `eyJhbGciOiJFUzI1NiJ9.${A1_PAYLOAD}.${A3_SIG}`;
const A4 =
  'eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA.' +
  'AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZq' +
  'wqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8Kp' +
  'EHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn';
const A5 = `eyJhbGciOiJub25lIn0.${A1_PAYLOAD}.`;
const A1_CLAIMS = { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true };
const A1_CLAIMS_TEXT = '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}';

// RFC 7516 Appendix A.1 (RSAES-OAEP + AES-GCM) and A.2 (RSAES-PKCS1-v1_5 + AES_128_CBC_HMAC_SHA_256).
const JWE_A1 =
  'eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.' +
  'OKOawDo13gRp2ojaHV7LFpZcgV7T6DVZKTyKOMTYUmKoTCVJRgckCL9kiMT03JGe' +
  'ipsEdY3mx_etLbbWSrFr05kLzcSr4qKAq7YN7e9jwQRb23nfa6c9d-StnImGyFDb' +
  'Sv04uVuxIp5Zms1gNxKKK2Da14B8S4rzVRltdYwam_lDp5XnZAYpQdb76FdIKLaV' +
  'mqgfwX7XWRxv2322i-vDxRfqNzo_tETKzpVLzfiwQyeyPGLBIO56YJ7eObdv0je8' +
  '1860ppamavo35UgoRdbYaBcoh9QcfylQr66oc6vFWXRcZ_ZT2LawVCWTIy3brGPi' +
  '6UklfCpIMfIjf7iGdXKHzg.' +
  '48V1_ALb6US04U3b.' +
  '5eym8TW_c8SuK0ltJ3rpYIzOeDQz7TALvtu6UG9oMo4vpzs9tX_EFShS8iB7j6ji' +
  'SdiwkIr3ajwQzaBtQD_A.' +
  'XFBoMYUZodetZdvTiFvSkQ';
const JWE_A2 =
  'eyJhbGciOiJSU0ExXzUiLCJlbmMiOiJBMTI4Q0JDLUhTMjU2In0.' +
  'UGhIOguC7IuEvf_NPVaXsGMoLOmwvc1GyqlIKOK1nN94nHPoltGRhWhw7Zx0-kFm' +
  '1NJn8LE9XShH59_i8J0PH5ZZyNfGy2xGdULU7sHNF6Gp2vPLgNZ__deLKxGHZ7Pc' +
  'HALUzoOegEI-8E66jX2E4zyJKx-YxzZIItRzC5hlRirb6Y5Cl_p-ko3YvkkysZIF' +
  'NPccxRU7qve1WYPxqbb2Yw8kZqa2rMWI5ng8OtvzlV7elprCbuPhcCdZ6XDP0_F8' +
  'rkXds2vE4X-ncOIM8hAYHHi29NX0mcKiRaD0-D-ljQTP-cFPgwCp6X-nZZd9OHBv' +
  '-B3oWh2TbqmScqXMR4gp_A.' +
  'AxY8DCtDaGlsbGljb3RoZQ.' +
  'KDlTtXchhZTGufMYmOYGS4HffxPSUrfmqCHXaI9wOGY.' +
  '9hH0vgRfYgPnAHOd8stkvw';

describe('RFC 7515 Appendix A', () => {
  it('A.1 HS256 decodes to the exact header and claims, and its signing input is what was MACed', () => {
    const t = ok(decodeToken(A1));
    expect(t.kind).toBe('jws');
    expect(t.serialization).toBe('compact');
    expect(t.header).toEqual({ typ: 'JWT', alg: 'HS256' });
    expect(t.headerText).toBe('{"typ":"JWT",\r\n "alg":"HS256"}');
    expect(t.payload).toEqual(A1_CLAIMS);
    expect(t.payloadIsJson).toBe(true);
    expect(t.payloadText).toBe(A1_CLAIMS_TEXT);
    expect(Buffer.from(t.payloadBytes).toString('utf8')).toBe(A1_CLAIMS_TEXT);
    expect(t.signature).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(t.signingInput).toBe(`${A1_HEADER}.${A1_PAYLOAD}`);
    // The RFC's key MACs our signing input to the RFC's signature: the transcription and the split agree.
    const mac = createHmac('sha256', Buffer.from(A1_KEY, 'base64url')).update(t.signingInput).digest('base64url');
    expect(mac).toBe(t.signature);
    expect(t.notes).toEqual([]);
    expect(t.duplicates).toEqual([]);
    expect(t.spans).toEqual([
      { segment: 'header', start: 0, end: 40 },
      { segment: 'payload', start: 41, end: 135 },
      { segment: 'signature', start: 136, end: 179 },
    ]);
    expect(t.signatures).toEqual([
      { protectedB64: A1_HEADER, header: { typ: 'JWT', alg: 'HS256' }, unprotected: null, signatureB64: t.signature },
    ]);
  });

  it.each([
    ['A.2 RS256', A2, { alg: 'RS256' }, 256],
    ['A.3 ES256', A3, { alg: 'ES256' }, 64],
  ])('%s decodes to the exact header and claims', (_name, token, header, signatureBytes) => {
    const t = ok(decodeToken(token));
    expect(t.kind).toBe('jws');
    expect(t.header).toEqual(header);
    expect(t.payload).toEqual(A1_CLAIMS);
    expect(t.payloadText).toBe(A1_CLAIMS_TEXT);
    expect(Buffer.from(t.signature, 'base64url')).toHaveLength(signatureBytes);
  });

  it('A.4 ES512 has a payload that is not JSON: it decodes, shown as text, with a note', () => {
    const t = ok(decodeToken(A4));
    expect(t.header).toEqual({ alg: 'ES512' });
    expect(t.payloadIsJson).toBe(false);
    expect(t.payload).toBeNull();
    expect(t.payloadText).toBe('Payload');
    expect([...t.payloadBytes]).toEqual([80, 97, 121, 108, 111, 97, 100]);
    expect(Buffer.from(t.signature, 'base64url')).toHaveLength(132);
    expect(t.notes).toEqual([
      {
        code: 'payload-not-json',
        message: 'The payload is not JSON: shown as text (a JWS payload may be any bytes)',
        segment: 'payload',
        offset: 21,
        length: 10,
      },
    ]);
  });

  it('A.5 unsecured JWS: alg none, empty signature', () => {
    const t = ok(decodeToken(A5));
    expect(t.kind).toBe('unsecured');
    expect(t.header).toEqual({ alg: 'none' });
    expect(t.payload).toEqual(A1_CLAIMS);
    expect(t.signature).toBe('');
    expect(t.signingInput).toBe(A5.slice(0, -1));
    expect(t.spans[2]).toEqual({ segment: 'signature', start: A5.length, end: A5.length });
  });

  it('alg none with a signature present is a JWS, not an unsecured one', () => {
    expect(ok(decodeToken(`${A5}c2ln`)).kind).toBe('jws');
  });

  // A.6 / A.7: the JWS JSON serializations of A.2 + A.3, laid out as the RFC prints them.
  const A6 = `{"payload":
      "${A1_PAYLOAD}",
     "signatures":[
      {"protected":"eyJhbGciOiJSUzI1NiJ9",
       "header":
        {"kid":"2010-12-29"},
       "signature":
        "${A2_SIG}"},
      {"protected":"eyJhbGciOiJFUzI1NiJ9",
       "header":
        {"kid":"e9bc097a-ce51-4036-9562-d2ade882db0d"},
       "signature":
        "${A3_SIG}"}]
    }`;
  const A7 = `{
     "payload":
      "${A1_PAYLOAD}",
     "protected":"eyJhbGciOiJFUzI1NiJ9",
     "header":
      {"kid":"e9bc097a-ce51-4036-9562-d2ade882db0d"},
     "signature":
      "${A3_SIG}"
    }`;

  it('A.6 general JWS JSON: the first signature fills header/signature, all are listed', () => {
    const t = ok(decodeToken(A6));
    expect(t.serialization).toBe('json-general');
    expect(t.kind).toBe('jws');
    expect(t.header).toEqual({ alg: 'RS256', kid: '2010-12-29' });
    expect(t.headerText).toBe('{"alg":"RS256"}');
    expect(t.payload).toEqual(A1_CLAIMS);
    expect(t.signature).toBe(A2_SIG);
    expect(t.signingInput).toBe(`eyJhbGciOiJSUzI1NiJ9.${A1_PAYLOAD}`);
    expect(t.signatures).toEqual([
      {
        protectedB64: 'eyJhbGciOiJSUzI1NiJ9',
        header: { alg: 'RS256' },
        unprotected: { kid: '2010-12-29' },
        signatureB64: A2_SIG,
      },
      {
        protectedB64: 'eyJhbGciOiJFUzI1NiJ9',
        header: { alg: 'ES256' },
        unprotected: { kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' },
        signatureB64: A3_SIG,
      },
    ]);
    // Spans point at the base64url text inside the JSON strings.
    for (const span of t.spans) {
      const expected = { header: 'eyJhbGciOiJSUzI1NiJ9', payload: A1_PAYLOAD, signature: A2_SIG }[
        span.segment as string
      ];
      expect(A6.slice(span.start, span.end)).toBe(expected);
    }
  });

  it('A.7 flattened JWS JSON', () => {
    const t = ok(decodeToken(A7));
    expect(t.serialization).toBe('json-flattened');
    expect(t.header).toEqual({ alg: 'ES256', kid: 'e9bc097a-ce51-4036-9562-d2ade882db0d' });
    expect(t.payload).toEqual(A1_CLAIMS);
    expect(t.signature).toBe(A3_SIG);
    expect(t.signatures).toHaveLength(1);
  });
});

describe('RFC 7516 Appendix A (JWE compact): the protected header decodes', () => {
  it.each([
    ['A.1', JWE_A1, { alg: 'RSA-OAEP', enc: 'A256GCM' }],
    ['A.2', JWE_A2, { alg: 'RSA1_5', enc: 'A128CBC-HS256' }],
  ])('%s', (_name, token, header) => {
    const t = ok(decodeToken(token));
    expect(t.kind).toBe('jwe');
    expect(t.serialization).toBe('compact');
    expect(t.header).toEqual(header);
    expect(t.headerText).toBe(JSON.stringify(header));
    expect(t.payload).toBeNull();
    expect(t.payloadText).toBeNull();
    expect(t.signature).toBe('');
    expect(t.signatures).toEqual([]);
    const parts = token.split('.');
    expect(t.spans.map((s) => s.segment)).toEqual(['header', 'encrypted_key', 'iv', 'ciphertext', 'tag']);
    expect(t.spans.map((s) => token.slice(s.start, s.end))).toEqual(parts);
  });
});

// ---------------------------------------------------------------------------------------------------
// RFC 7520 cookbook (test/fixtures/rfc7520) and RFC 7797 b64=false (test/fixtures/rfc7797).

const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));

function fixtures(dir: string): [string, any][] {
  return readdirSync(fixture(dir))
    .filter((f) => f.endsWith('.json'))
    .map((f) => [`${dir}/${f}`, JSON.parse(readFileSync(fixture(`${dir}/${f}`), 'utf8'))]);
}

function serializations(vector: any): [string, string][] {
  const out: [string, string][] = [];
  if (vector.output.compact) out.push(['compact', vector.output.compact]);
  if (vector.output.json) out.push(['json', JSON.stringify(vector.output.json, null, 2)]);
  if (vector.output.json_flat) out.push(['json_flat', JSON.stringify(vector.output.json_flat)]);
  return out;
}

describe('RFC 7520 cookbook: JWS', () => {
  const jws = [...fixtures('rfc7520/jws'), ...fixtures('rfc7520/curve25519').filter(([f]) => f.endsWith('jws.json'))];
  it('has vectors to run', () => expect(jws.length).toBe(9));

  for (const [file, vector] of jws) {
    const signings: any[] = Array.isArray(vector.signing) ? vector.signing : [vector.signing];
    const first = signings[0];
    for (const [form, text] of serializations(vector)) {
      it(`${file} (${form})`, () => {
        const t = ok(decodeToken(text));
        expect(t.kind).toBe('jws');
        expect(t.serialization).toBe(
          form === 'compact' ? 'compact' : form === 'json' ? 'json-general' : 'json-flattened',
        );
        expect(t.header).toEqual({ ...first.protected, ...first.unprotected });
        expect(t.signature).toBe(first.sig);
        const detached = !('payload' in vector.output.json);
        if (detached) {
          expect(t.payloadText).toBe('');
          expect(t.notes.map((n) => n.code)).toEqual(['payload-detached']);
        } else {
          expect(t.payloadText).toBe(vector.input.payload);
          expect(t.signingInput).toBe(first['sig-input']);
          expect(t.notes.map((n) => n.code)).toEqual(['payload-not-json']);
        }
        if (form === 'json') {
          expect(t.signatures.map((s) => s.signatureB64)).toEqual(signings.map((s) => s.sig));
          expect(t.signatures.map((s) => s.header)).toEqual(signings.map((s) => s.protected ?? null));
          expect(t.signatures.map((s) => s.unprotected)).toEqual(signings.map((s) => s.unprotected ?? null));
        }
      });
    }
  }
});

describe('RFC 7520 cookbook: JWE protected headers', () => {
  const jwe = [
    ...fixtures('rfc7520/jwe'),
    ...fixtures('rfc7520/curve25519').filter(([f]) => f.endsWith('ecdh-es.json')),
  ];
  it('has vectors to run', () => expect(jwe.length).toBe(14));

  for (const [file, vector] of jwe) {
    const content = vector.encrypting_content;
    for (const [form, text] of serializations(vector)) {
      it(`${file} (${form})`, () => {
        const t = ok(decodeToken(text));
        expect(t.kind).toBe('jwe');
        const recipient = vector.output.json.recipients?.[0]?.header;
        const expected =
          form === 'compact'
            ? content.protected
            : { ...content.protected, ...content.unprotected, ...(form === 'json' ? recipient : {}) };
        if (form === 'json_flat') Object.assign(expected, vector.output.json_flat.header);
        expect(t.header).toEqual(expected);
        if (content.protected_b64u) expect(b64(t.headerText)).toBe(content.protected_b64u);
      });
    }
  }
});

describe('RFC 7797 unencoded payload ("b64": false)', () => {
  it('compact: the payload segment is the payload itself, spaces and all', () => {
    const vector = JSON.parse(readFileSync(fixture('rfc7797/hmac-sha2_b64_false.json'), 'utf8'));
    const t = ok(decodeToken(vector.output.compact));
    expect(t.header).toEqual({ alg: 'HS256', b64: false, crit: ['b64'] });
    expect(t.payloadText).toBe('This is the payload string!');
    expect(t.signingInput).toBe(`eyJhbGciOiJIUzI1NiIsImI2NCI6ZmFsc2UsImNyaXQiOlsiYjY0Il19.This is the payload string!`);
    const mac = createHmac('sha256', Buffer.from(vector.input.key.k, 'base64url'))
      .update(t.signingInput)
      .digest('base64url');
    expect(mac).toBe(t.signature);
  });

  it('JSON serialization (RFC 7797 §4.2)', () => {
    const vector = JSON.parse(readFileSync(fixture('rfc7797/4.2.hmac-sha2_b64_false.json'), 'utf8'));
    const t = ok(decodeToken(JSON.stringify(vector.output.json_flat)));
    expect(t.payloadText).toBe('$.02');
    expect(t.signingInput).toBe(vector.signing['sig-input']);
  });
});

// ---------------------------------------------------------------------------------------------------
// What people paste.

describe('pasted text', () => {
  it.each([
    ['Bearer prefix', `Bearer ${A1}`, 7],
    ['lower-case bearer and spaces', `   bearer   ${A1}  \n`, 12],
    ['Authorization header line', `Authorization: Bearer ${A1}`, 22],
    ['DPoP scheme', `DPoP ${A1}`, 5],
    ['double quotes', `"${A1}"`, 1],
    ['single quotes with spaces', `  '${A1}'  `, 3],
    ['backticks', `\`${A1}\``, 1],
    ['quoted Bearer value', `"Bearer ${A1}"`, 8],
    ['CRLF and tabs', `\r\n\t${A1}\r\n`, 3],
    ['BOM and no-break space', `\uFEFF\u00a0${A1}`, 2],
    ['a JSON member copied with its name', `"id_token": "${A1}",`, 13],
    ['a cookie', `access_token=${A1};`, 13],
    ['a form field', `token = '${A1}'`, 9],
  ])('%s', (_name, text, offset) => {
    const t = ok(decodeToken(text));
    expect(t.token).toBe(A1);
    expect(t.tokenOffset).toBe(offset);
    expect(t.spans[0]).toEqual({ segment: 'header', start: offset, end: offset + 40 });
    expect(text.slice(t.spans[2]!.start, t.spans[2]!.end)).toBe('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  });

  it('unwrapToken reports the token bounds without decoding', () => {
    expect(unwrapToken('  Bearer abc.def  ')).toEqual({ start: 9, end: 16 });
    expect(unwrapToken('"unbalanced')).toEqual({ start: 0, end: 11 });
    // A key is peeled off only in front of something shaped like a JOSE header.
    expect(unwrapToken('name=value')).toEqual({ start: 0, end: 10 });
    expect(unwrapToken('{"payload":"eyJ"}')).toEqual({ start: 0, end: 17 });
  });

  it.each([
    ['', 'Nothing to decode: the input is empty', null],
    ['   \n\t ', 'Nothing to decode: the input is only whitespace, quotes or a "Bearer" prefix', null],
    ['""', 'Nothing to decode: the input is only whitespace, quotes or a "Bearer" prefix', null],
    ['Bearer ', 'Nothing to decode: only "Bearer", no token after it', 0],
    ['  Authorization: Bearer', 'Nothing to decode: only "Bearer", no token after it', 17],
    ['Authorization:', 'Nothing to decode: only "Authorization:", no token after it', 0],
  ])('empty input: %j', (text, message, offset) => {
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'empty-input', message, segment: 'input', offset });
  });
});

// ---------------------------------------------------------------------------------------------------
// Malformed input: exact codes and offsets in the pasted text.

describe('malformed compact tokens', () => {
  const H = b64('{"alg":"HS256","typ":"JWT"}'); // 36 characters
  const P = b64('{"sub":"1"}'); // 15 characters
  const S = 'c2lnbmF0dXJl';

  it('a character outside base64url: offset of that character, after "Bearer " and spaces', () => {
    const text = `  Bearer ${H}.${P.slice(0, 5)}*${P.slice(5)}.${S}`;
    const f = failure(decodeToken(text));
    expect(f.error).toEqual({
      code: 'base64url-invalid-char',
      message: `The payload has '*' at offset ${text.indexOf('*')}: base64url uses only A-Z a-z 0-9 - _ (RFC 7515 §2)`,
      segment: 'payload',
      offset: text.indexOf('*'),
      length: 1,
    });
    expect(f.error.offset).toBe(9 + 36 + 1 + 5);
    expect(f.headerText).toBe('{"alg":"HS256","typ":"JWT"}');
  });

  it('standard base64 characters get a hint', () => {
    const text = `${H}.${P}.ab+c/d`;
    const f = failure(decodeToken(text));
    expect(f.error.code).toBe('base64url-invalid-char');
    expect(f.error.segment).toBe('signature');
    expect(f.error.offset).toBe(text.indexOf('+'));
    expect(f.error.message).toContain("JOSE uses base64url ('-' for '+', '_' for '/'");
    expect(f.payloadText).toBe('{"sub":"1"}');
  });

  it('a line break inside the token (wrapped when copied)', () => {
    const text = `${H.slice(0, 20)}\n${H.slice(20)}.${P}.${S}`;
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'base64url-invalid-char', segment: 'header', offset: 20, length: 1 });
    expect(f.error.message).toBe(
      'The header has U+000A (line feed) at offset 20: a space or line break inside the token (was it wrapped when copied?)',
    );
  });

  it('a character outside the BMP counts as one character of two code units', () => {
    const text = `${H}.${P}.ab😀cd`;
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'base64url-invalid-char', offset: text.indexOf('😀'), length: 2 });
  });

  it("'=' padding: offset of the first '=' and the run's length", () => {
    const header = b64('{"alg":"HS256"}X'); // 16 bytes: padded base64 would end with '=='
    const text = ` ${header}==.${P}.${S}`;
    const f = failure(decodeToken(text));
    expect(f.error).toEqual({
      code: 'base64url-padding',
      message: `The header has '=' padding at offset ${1 + header.length}: JOSE base64url has no padding (RFC 7515 §2)`,
      segment: 'header',
      offset: 1 + header.length,
      length: 2,
    });
  });

  it('a length of 4n+1 cannot be base64url', () => {
    const text = `${H}.${P}xy.${S}`; // 17 characters
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'base64url-length', segment: 'payload', offset: 36 + 1 + 16, length: 1 });
    expect(f.error.message).toBe(
      'The payload is 17 characters long: base64url text of length 4n+1 is impossible (a character is missing or extra)',
    );
  });

  it.each([
    ['no dot', 'abc', "The token has no '.': a JWS has 3 parts (header.payload.signature), a JWE 5", 7, 3],
    [
      '2 parts',
      'abc.def',
      "The token has 2 parts: a JWS has 3 parts (header.payload.signature), a JWE 5. A part is missing after the '.' at offset 10 (an unsecured JWS still ends with '.')",
      10,
      4,
    ],
    [
      '4 parts',
      'a.b.c.d',
      "The token has 4 parts: a JWS has 3 parts (header.payload.signature), a JWE 5. The '.' at offset 12 starts part 4",
      12,
      2,
    ],
    [
      '6 parts',
      'a.b.c.d.e.f',
      "The token has 6 parts: a JWS has 3 parts (header.payload.signature), a JWE 5. The '.' at offset 16 starts part 6",
      16,
      2,
    ],
  ])('segment count: %s', (_name, token, message, offset, length) => {
    const f = failure(decodeToken(`Bearer ${token}`));
    expect(f.error).toEqual({ code: 'segment-count', message, segment: 'input', offset, length });
  });

  it('an empty header', () => {
    const f = failure(decodeToken(` .${P}.${S}`));
    expect(f.error).toMatchObject({ code: 'segment-empty', segment: 'header', offset: 1, length: 1 });
  });

  it.each([
    ['[1,2]', 'an array'],
    ['"HS256"', 'a string'],
    ['null', 'null'],
    ['42', 'a number'],
  ])('a header that is JSON but not an object: %s', (json, kind) => {
    const header = b64(json);
    const f = failure(decodeToken(`${header}.${P}.${S}`));
    expect(f.error).toEqual({
      code: 'header-not-object',
      message: `The header is JSON but not an object (it is ${kind}): a JOSE header is a JSON object (RFC 7515 §4)`,
      segment: 'header',
      offset: 0,
      length: header.length,
    });
  });

  it('header JSON syntax: line/column in the decoded JSON, offset on the base64url characters that carry it', () => {
    const json = '{"alg":"HS256",\n "typ":}'; // '}' is byte 23: line 2, column 8
    const text = `  Bearer ${b64(json)}.${P}.${S}`;
    const f = failure(decodeToken(text));
    expect(f.error).toEqual({
      code: 'json-syntax',
      message: "The header is not valid JSON: Unexpected token '}' at line 2, column 8: expected a value",
      segment: 'header',
      // byte 23 sits in base64url characters 30..31 (4 characters per 3 bytes), after 9 pasted characters.
      offset: 9 + 30,
      length: 2,
      line: 2,
      column: 8,
    });
    expect(f.headerText).toBe(json);
    // The underlined characters decode to bytes that include the '}'.
    const group = text.slice(9 + 28, 9 + 32);
    expect(Buffer.from(group, 'base64url').toString('latin1')).toContain('}');
  });

  it('header JSON cut short: the error points at the last characters of the header', () => {
    const header = b64('{"alg":"HS256"');
    const f = failure(decodeToken(`${header}.${P}.${S}`));
    expect(f.error).toMatchObject({
      code: 'json-syntax',
      segment: 'header',
      offset: header.length - 1,
      length: 1,
      line: 1,
      column: 15,
    });
    expect(f.error.message).toBe(
      "The header is not valid JSON: Unexpected end of input at line 1, column 15: expected ',' or '}' after a member value",
    );
  });

  it('a header that is not UTF-8', () => {
    const header = b64(new Uint8Array([0x7b, 0x22, 0x61, 0xc3, 0x28, 0x22, 0x7d])); // C3 28 is not UTF-8
    const f = failure(decodeToken(`${header}.${P}.${S}`));
    expect(f.error).toEqual({
      code: 'utf8-invalid',
      message: 'The header is not UTF-8 text: byte 3 (0xc3) starts an invalid sequence (RFC 7515 §5.2)',
      segment: 'header',
      offset: 4,
      length: 2,
    });
  });

  it('duplicate member names in the header are fatal (RFC 7515 §5.2), located at the second one', () => {
    const json = '{"alg":"HS256",\n "alg":"none"}';
    const header = b64(json);
    const text = `Bearer ${header}.${P}.${S}`;
    const f = failure(decodeToken(text));
    expect(f.error.code).toBe('duplicate-member');
    expect(f.error.message).toBe(
      'The header has the member "alg" twice in $ (line 1, column 2 and line 2, column 2): names must be unique (RFC 7515 §5.2); ' +
        'JSON.parse would silently keep the last value, the string "none"',
    );
    // The second "alg" is bytes 17..21: base64url characters 22..29.
    expect(f.error).toMatchObject({ segment: 'header', offset: 7 + 22, length: 8, line: 2, column: 2 });
  });

  it('nested duplicates in the header name the JSON path', () => {
    const header = b64('{"alg":"RS256","jwk":{"kty":"RSA","kty":"oct"}}');
    const f = failure(decodeToken(`${header}.${P}.${S}`));
    expect(f.error.code).toBe('duplicate-member');
    expect(f.error.message).toContain('"kty" twice in $.jwk');
  });

  it('a header without alg', () => {
    const header = b64('{"typ":"JWT"}');
    const f = failure(decodeToken(`${header}.${P}.${S}`));
    expect(f.error).toEqual({
      code: 'header-alg-missing',
      message: 'The header has no "alg": every JWS and JWE names its algorithm (RFC 7515 §4.1.1)',
      segment: 'header',
      offset: 0,
      length: header.length,
    });
  });

  it('a header whose alg is not a string points at the value', () => {
    const f = failure(decodeToken(`${b64('{"alg":5}')}.${P}.${S}`));
    // "5" is byte 7: base64url characters 9..10; line 1, column 8.
    expect(f.error).toMatchObject({ code: 'header-alg-missing', offset: 9, length: 2, line: 1, column: 8 });
    expect(f.error.message).toBe('The header "alg" must be a non-empty string, not number 5 (RFC 7515 §4.1.1)');
  });

  it('JWE compact: a bad character in the ciphertext', () => {
    const parts = JWE_A1.split('.');
    parts[3] = `${parts[3]!.slice(0, 4)}!${parts[3]!.slice(5)}`;
    const text = parts.join('.');
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'base64url-invalid-char', segment: 'ciphertext', offset: text.indexOf('!') });
    expect(f.error.message.startsWith("The ciphertext has '!'")).toBe(true);
  });
});

describe('payloads: any bytes decode, with notes', () => {
  const H = b64('{"alg":"HS256"}');

  it('text that is not JSON', () => {
    const t = ok(decodeToken(`${H}.${b64('hello, world')}.c2ln`));
    expect(t.payloadIsJson).toBe(false);
    expect(t.payloadText).toBe('hello, world');
    expect(t.notes.map((n) => n.code)).toEqual(['payload-not-json']);
  });

  it('JSON with a syntax error: the note says where, in the payload text', () => {
    const json = '{"sub":"1",\n "exp":}';
    const payload = b64(json);
    const text = `${H}.${payload}.c2ln`;
    const t = ok(decodeToken(text));
    expect(t.payloadText).toBe(json);
    expect(t.notes).toEqual([
      {
        code: 'payload-not-json',
        message:
          "The payload is not valid JSON: Unexpected token '}' at line 2, column 8: expected a value; shown as text",
        segment: 'payload',
        // '}' is byte 19: base64url characters 25..26 of the payload.
        offset: H.length + 1 + 25,
        length: 2,
        line: 2,
        column: 8,
      },
    ]);
  });

  it('bytes that are not UTF-8: payloadText null, payloadBytes kept', () => {
    const bytes = new Uint8Array([0x00, 0xff, 0x10, 0x80]);
    const t = ok(decodeToken(`${H}.${b64(bytes)}.c2ln`));
    expect(t.payloadText).toBeNull();
    expect([...t.payloadBytes]).toEqual([...bytes]);
    expect(t.notes).toEqual([
      {
        code: 'payload-not-utf8',
        message: 'The payload is 4 bytes that are not UTF-8 text (byte 1 starts an invalid sequence): shown as bytes',
        segment: 'payload',
        offset: H.length + 1 + 1,
        length: 2,
      },
    ]);
  });

  it('JSON that is not an object is still JSON', () => {
    const t = ok(decodeToken(`${H}.${b64('[1,2,3]')}.c2ln`));
    expect(t.payloadIsJson).toBe(true);
    expect(t.payload).toEqual([1, 2, 3]);
    expect(t.notes).toEqual([]);
  });

  it('duplicate claims are notes and `duplicates`, not failures', () => {
    const json = '{"sub":"alice",\n "address":{"city":"A","city":"B"},\n "sub":"mallory"}';
    const text = `${H}.${b64(json)}.c2ln`;
    const t = ok(decodeToken(text));
    expect(t.payload).toEqual({ sub: 'mallory', address: { city: 'B' } });
    expect(t.duplicates).toEqual([
      {
        segment: 'payload',
        path: '$.address',
        pathSegments: ['address'],
        name: 'city',
        textOffset: 39,
        firstTextOffset: 28,
      },
      { segment: 'payload', path: '$', pathSegments: [], name: 'sub', textOffset: 53, firstTextOffset: 1 },
    ]);
    expect(t.notes.map((n) => [n.code, n.line, n.column])).toEqual([
      ['duplicate-member', 2, 24],
      ['duplicate-member', 3, 2],
    ]);
    expect(t.notes[1]!.message).toContain('"sub" twice in $ (line 1, column 2 and line 3, column 2)');
  });

  it('numeric date claims that are not numbers: a note pointing at the claim value', () => {
    const json = '{"sub":"1",\n "exp":"1700000000",\n "iat":1700000000,\n "nbf":null}';
    const t = ok(decodeToken(`${H}.${b64(json)}.c2ln`));
    expect(t.payload).toMatchObject({ exp: '1700000000', nbf: null });
    expect(t.notes.map((n) => [n.code, n.line, n.column, n.message])).toEqual([
      [
        'numeric-date-invalid',
        2,
        8,
        '"exp" must be a NumericDate (a number of seconds since 1970, RFC 7519 §2), not the string "1700000000"',
      ],
      [
        'numeric-date-invalid',
        4,
        8,
        '"nbf" must be a NumericDate (a number of seconds since 1970, RFC 7519 §2), not null',
      ],
    ]);
    // "exp"'s value starts at byte 19: base64url character 25 of the payload.
    expect(t.notes[0]!.offset).toBe(H.length + 1 + 25);
  });

  it('an empty payload is detached content', () => {
    const t = ok(decodeToken(`${H}..c2ln`));
    expect(t.payloadText).toBe('');
    expect(t.payloadBytes).toHaveLength(0);
    expect(t.notes).toEqual([
      {
        code: 'payload-detached',
        message:
          'The payload is empty: detached content (RFC 7515 Appendix F); verification needs the payload supplied separately',
        segment: 'payload',
        offset: H.length + 1,
        length: 1,
      },
    ]);
  });
});

describe('JSON serialization of the wrong shape', () => {
  const P = A1_PAYLOAD;
  const prot = 'eyJhbGciOiJIUzI1NiJ9';

  it('a JSON object that is no token (a pasted claims set)', () => {
    const text = '  {"sub":"1234567890","name":"John Doe"}';
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'jws-json-invalid', segment: 'input', offset: 2, length: text.length - 2 });
    expect(f.error.message).toContain("no 'signatures', 'signature' or 'ciphertext' member");
  });

  it('a token response: points at the member holding a compact token', () => {
    const text = `{"access_token":"${A1}","token_type":"Bearer","expires_in":3600}`;
    const f = failure(decodeToken(text));
    expect(f.error).toEqual({
      code: 'jws-json-invalid',
      message:
        'This JSON object is not a JWS or JWE JSON serialization, but its member "access_token" holds a compact token: paste that value',
      segment: 'input',
      offset: 16,
      length: A1.length + 2,
      line: 1,
      column: 17,
    });
  });

  it('JSON syntax errors in the serialization carry line and column of the pasted JSON', () => {
    const text = `{"payload":"${P}",\n "signature":"abc",\n}`;
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({
      code: 'json-syntax',
      segment: 'input',
      offset: text.length - 1,
      length: 1,
      line: 3,
      column: 1,
    });
  });

  it('a duplicate member in the serialization is fatal', () => {
    const text = `{"payload":"${P}","payload":"e30","protected":"${prot}","signature":""}`;
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({
      code: 'duplicate-member',
      segment: 'input',
      offset: text.indexOf('"payload"', 2),
      length: 9,
    });
  });

  it.each([
    [
      'signatures not an array',
      `{"payload":"${P}","signatures":{}}`,
      '{}',
      "'signatures' must be a non-empty array, not an object (RFC 7515 §7.2.1)",
    ],
    [
      'signatures empty',
      `{"payload":"${P}","signatures":[]}`,
      '[]',
      "'signatures' must be a non-empty array, not an empty array (RFC 7515 §7.2.1)",
    ],
    [
      'a signature entry not an object',
      `{"payload":"${P}","signatures":[7]}`,
      '7',
      "'signatures[0]' must be a JSON object, not number 7",
    ],
    [
      'both syntaxes',
      `{"payload":"${P}","signatures":[],"signature":""}`,
      '"signature"',
      "The JWS JSON has both 'signatures' (general syntax) and 'signature' (flattened syntax) (RFC 7515 §7.2)",
    ],
    [
      'payload not a string',
      `{"payload":{"sub":1},"protected":"${prot}","signature":""}`,
      '{"sub":1}',
      "'payload' must be a string, not an object",
    ],
    [
      'protected not a string',
      `{"payload":"${P}","protected":1,"signature":""}`,
      '1,',
      "'protected' must be a string, not number 1",
    ],
    [
      'header not an object',
      `{"payload":"${P}","header":"x","signature":""}`,
      '"x"',
      '\'header\' must be a JSON object, not the string "x"',
    ],
    [
      'no signature member',
      `{"payload":"${P}","signatures":[{"protected":"${prot}"}]}`,
      `{"protected"`,
      "'signatures[0]' has no 'signature' member (RFC 7515 §7.2)",
    ],
    [
      'neither protected nor header',
      `{"payload":"${P}","signature":"c2ln"}`,
      '"signature"',
      "The JWS JSON has neither 'protected' nor 'header': its algorithm is unknown (RFC 7515 §7.2.1)",
    ],
  ])('%s', (_name, text, at, message) => {
    const f = failure(decodeToken(text));
    expect(f.error.code).toBe('jws-json-invalid');
    expect(f.error.message).toBe(message);
    expect(f.error.offset).toBe(text.indexOf(at, 11 + (at === '"signature"' ? P.length : 0)));
  });

  it('a header parameter in both the protected and the unprotected header', () => {
    const text = `{"payload":"${P}","protected":"${prot}","header":{"alg":"none"},"signature":"c2ln"}`;
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'jws-json-invalid', offset: text.indexOf('"alg"'), length: 5 });
    expect(f.error.message).toBe(
      "The header parameter \"alg\" is in both 'protected' and 'header': they must be disjoint (RFC 7515 §7.2.1)",
    );
  });

  it('a bad protected header inside the JSON is located inside the JSON string', () => {
    const bad = b64('{"alg":}');
    const text = `{"payload":"${P}","signatures":[{"protected":"${prot}","signature":"c2ln"},{"protected":"${bad}","signature":"c2ln"}]}`;
    const f = failure(decodeToken(text));
    expect(f.error.code).toBe('json-syntax');
    expect(f.error.message.startsWith("'signatures[1].protected' is not valid JSON")).toBe(true);
    // '}' is byte 7 of that header: base64url characters 9..10 of its string.
    expect(f.error.offset).toBe(text.indexOf(bad) + 9);
  });

  it('JWE JSON with an empty recipients array', () => {
    const text = '{"protected":"eyJlbmMiOiJBMTI4R0NNIn0","recipients":[],"iv":"AA","ciphertext":"AA","tag":"AA"}';
    const f = failure(decodeToken(text));
    expect(f.error).toMatchObject({ code: 'jwe-json-invalid', offset: text.indexOf('[]') });
  });

  it('JWE JSON without any alg', () => {
    const text = '{"protected":"eyJlbmMiOiJBMTI4R0NNIn0","iv":"AA","ciphertext":"AA","tag":"AA"}';
    expect(failure(decodeToken(text)).error.code).toBe('header-alg-missing');
  });
});

// Runs last (tests in a file run in order): every malformed input above.
describe('verify refuses what decode refuses', () => {
  it('every input this file decodes to an error is malformed-token in verify, with the same error', async () => {
    expect(refused.size).toBeGreaterThan(40);
    const keys = await prepareKeys({ type: 'secret', value: 'a-secret-of-thirty-two-bytes-or-more!!', encoding: 'utf8' });
    for (const [text, error] of refused) {
      const verdict = await verifyToken(text, keys);
      expect({ text, reason: verdict.reason, error: verdict.error }).toEqual({ text, reason: 'malformed-token', error });
    }
  });
});
