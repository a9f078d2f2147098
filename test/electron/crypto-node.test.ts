import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jwsAlgorithm } from '../../shared/core/algorithms';
import { decodeBase64url, utf8OrNull } from '../../shared/core/base64url';
import { prepareKeys } from '../../shared/core/keys';
import { joseBackend, verifyToken } from '../../shared/core/verify';
import { createNodeBackend, hmacVerifier } from '../../electron/services/crypto-node';
import { makeKeys, nodeSignature, nodeToken, pem } from '../shared/crypto-fixtures';
import { checkExpectation, scenarios } from '../shared/verify-scenarios';

const keys = makeKeys();
const list = scenarios(keys);
const node = createNodeBackend();

describe('node:crypto backend agrees with the jose backend on every vector', () => {
  it.each(list.map((s) => [s.name, s] as const))('%s', async (_, s) => {
    const viaNode = await verifyToken(s.token, s.key, s.options, node);
    checkExpectation(viaNode, s.expect);
    // Same verdict, same reason, same message, same warnings and claims: only the primitive differs.
    const viaJose = await verifyToken(s.token, s.key, s.options, joseBackend);
    expect(viaNode).toEqual(viaJose);
  });
});

describe('node:crypto backend', () => {
  it('keeps one verifier per prepared key and algorithm, and never caches verdicts', async () => {
    const prepared = await prepareKeys({ type: 'pem', value: pem(keys.rsa.publicKey, 'spki') });
    const backend = createNodeBackend();
    const good = nodeToken('PS256', keys.rsa.privateKey, {}, { n: 1 });
    const bad = nodeToken('PS256', keys.rsaOther.privateKey, {}, { n: 1 });
    const verdicts = [];
    for (const t of [good, bad, good, bad]) verdicts.push((await verifyToken(t, prepared, {}, backend)).valid);
    expect(verdicts).toEqual([true, false, true, false]);
  });

  it('answers the raw question: PSS salt = hash length, ECDSA in R || S', async () => {
    const backend = createNodeBackend();
    const [rsa] = (await prepareKeys({ type: 'pem', value: pem(keys.rsa.publicKey, 'spki') })).keys;
    const [ec] = (await prepareKeys({ type: 'pem', value: pem(keys.p384.publicKey, 'spki') })).keys;
    const input = 'header.payload';
    const ps384 = jwsAlgorithm('PS384')!;
    expect(backend.verify(ps384, rsa!, input, nodeSignature('PS384', keys.rsa.privateKey, input))).toBe(true);
    // A PSS signature with another salt length is not a PS384 signature (RFC 7518 §3.5).
    const salt20 = crypto.sign('sha384', Buffer.from(input), { key: keys.rsa.privateKey, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: 20 });
    expect(backend.verify(ps384, rsa!, input, salt20)).toBe(false);
    const es384 = jwsAlgorithm('ES384')!;
    expect(backend.verify(es384, ec!, input, nodeSignature('ES384', keys.p384.privateKey, input))).toBe(true);
    const der = crypto.sign('sha384', Buffer.from(input), keys.p384.privateKey);
    expect(backend.verify(es384, ec!, input, der)).toBe(false);
  });

  it('an HMAC tag of another length is a mismatch, not an exception', async () => {
    const backend = createNodeBackend();
    const [secret] = (await prepareKeys({ type: 'secret', value: 'k'.repeat(32), encoding: 'utf8' })).keys;
    const hs256 = jwsAlgorithm('HS256')!;
    const input = 'a.b';
    const tag = crypto.createHmac('sha256', 'k'.repeat(32)).update(input).digest();
    expect(backend.verify(hs256, secret!, input, tag)).toBe(true);
    expect(backend.verify(hs256, secret!, input, tag.subarray(0, 16))).toBe(false);
  });
});

describe('node:crypto backend base64url decoding', () => {
  it('is exactly as strict as the portable decoder (Buffer alone accepts +, /, = and skips junk)', () => {
    const decode = createNodeBackend().decodeBase64url!;
    const alphabet = 'AZaz09-_+/= \n.é\u0000\u00ff\u0100*'.split('');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: fc.constantFrom(...alphabet) }), fc.string({ unit: 'binary' }), fc.base64String().map((s) => s.replace(/=+$/, ''))), (text) => {
        const portable = decodeBase64url(text);
        const native = decode(text);
        expect(native === null).toBe(portable === null);
        if (portable && native) expect(Buffer.from(native)).toEqual(Buffer.from(portable));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('node:crypto backend base64url-to-text decoding (header and payload)', () => {
  const portableText = (text: string) => {
    const bytes = decodeBase64url(text);
    return bytes && utf8OrNull(bytes);
  };

  it('gives exactly what the portable decoder and a fatal TextDecoder give', () => {
    const decodeText = createNodeBackend().decodeBase64urlText!;
    const alphabet = 'AZaz09-_+/= \n.é\u0000\u00ff\u0100*'.split('');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom(...alphabet) }),
          // Arbitrary bytes: invalid UTF-8 (overlongs, surrogates, truncated sequences) must give null.
          fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString('base64url')),
          fc.string({ unit: 'binary' }).map((s) => Buffer.from(s).toString('base64url')),
        ),
        (text) => {
          expect(decodeText(text)).toBe(portableText(text));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('keeps a leading BOM and handles segments larger than its scratch buffer', () => {
    const decodeText = createNodeBackend().decodeBase64urlText!;
    const bom = Buffer.from('\ufeff{"a":1}').toString('base64url');
    expect(decodeText(bom)).toBe('\ufeff{"a":1}');
    const large = JSON.stringify({ data: 'ü'.repeat(40_000) });
    expect(decodeText(Buffer.from(large).toString('base64url'))).toBe(large);
    const invalid = Buffer.concat([Buffer.from('x'.repeat(30_000)), Buffer.from([0xc0, 0xaf])]).toString('base64url');
    expect(decodeText(invalid)).toBeNull();
    // After a large segment, a small one is decoded from the start of the buffer again.
    expect(decodeText(Buffer.from('{}').toString('base64url'))).toBe('{}');
  });
});

describe('node:crypto backend and jose backend agree on odd headers and payloads', () => {
  const b64u = (data: string | Buffer) => Buffer.from(data).toString('base64url');
  const hmacToken = (header: string | Buffer, payload: string | Buffer) => {
    const input = `${b64u(header)}.${b64u(payload)}`;
    return `${input}.${b64u(nodeSignature('HS256', keys.secret, input))}`;
  };
  const NOW = 1_700_000_000;
  const cases: [string, string][] = [
    ['a payload that is not UTF-8 (valid signature, no claims)', hmacToken('{"alg":"HS256"}', Buffer.from([0x7b, 0xff, 0x7d]))],
    ['a header that is not UTF-8', hmacToken(Buffer.concat([Buffer.from('{"alg":"HS256","x":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), '{}')],
    ['a payload with a BOM (not JSON: no claims)', hmacToken('{"alg":"HS256"}', `\ufeff{"exp":${NOW - 10}}`)],
    ['a payload larger than the scratch buffer', hmacToken('{"alg":"HS256"}', JSON.stringify({ exp: NOW + 60, data: 'é'.repeat(20_000) }))],
    ['a payload with a standard-base64 character', (() => {
      const t = hmacToken('{"alg":"HS256"}', '{"sub":"?>?"}');
      const [h, p, s] = t.split('.');
      return `${h}.${p!.replace(/_/g, '/').replace(/-/g, '+')}.${s}`;
    })()],
  ];

  it.each(cases)('%s', async (_, token) => {
    const prepared = await prepareKeys({ type: 'secret', value: keys.secret.toString('base64url'), encoding: 'base64url' });
    const viaNode = await verifyToken(token, prepared, { now: NOW }, node);
    const viaJose = await verifyToken(token, prepared, { now: NOW }, joseBackend);
    expect(viaNode).toEqual(viaJose);
  });

  it('reports the right failure for each, whichever backend', async () => {
    const prepared = await prepareKeys({ type: 'secret', value: keys.secret.toString('base64url'), encoding: 'base64url' });
    const results = await Promise.all(cases.map(([, token]) => verifyToken(token, prepared, { now: NOW }, node)));
    expect(results.map((r) => [r.valid, r.reason, r.claims.map((c) => `${c.claim}:${c.ok}`).join()])).toEqual([
      [true, null, ''],
      [false, 'malformed-token', ''],
      [true, null, ''],
      [true, null, 'exp:true'],
      [false, 'malformed-token', ''],
    ]);
    // The decoder's own errors, whichever backend decoded the segments.
    expect(results[1]!.error).toMatchObject({ code: 'utf8-invalid', segment: 'header', message: expect.stringMatching(/^The header is not UTF-8 text: byte 20 /) });
    expect(results[4]!.error).toMatchObject({ code: 'base64url-invalid-char', segment: 'payload', message: expect.stringMatching(/this is standard base64/) });
  });
});

describe('the last-header shortcut', () => {
  it('never carries one token’s header facts over to the next', async () => {
    const prepared = await prepareKeys({ type: 'secret', value: keys.secret.toString('base64url'), encoding: 'base64url' });
    const plain = nodeToken('HS256', keys.secret, {}, { sub: 'x' });
    const withKid = nodeToken('HS256', keys.secret, { kid: 'k1' }, { sub: 'x' });
    const critical = nodeToken('HS256', keys.secret, { crit: ['exp'], exp: 1 }, { sub: 'x' });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    // A header that is the previous one plus a character must not match it.
    const [h] = plain.split('.');
    const longer = `${h}A.${plain.split('.')[1]}.${plain.split('.')[2]}`;
    const seen = [];
    for (const t of [plain, withKid, plain, critical, plain, none, plain, longer, plain]) {
      const r = await verifyToken(t, prepared, {}, node);
      seen.push([r.valid, r.reason, r.kid]);
    }
    expect(seen).toEqual([
      [true, null, null],
      [true, null, 'k1'],
      [true, null, null],
      [false, 'crit-unsupported', null],
      [true, null, null],
      [false, 'alg-none', null],
      [true, null, null],
      [false, 'malformed-token', null],
      [true, null, null],
    ]);
  });
});

describe('the HMAC construction (one-shot hashes over precomputed pads)', () => {
  const hashes = [
    ['sha256', 32],
    ['sha384', 48],
    ['sha512', 64],
  ] as const;

  it('reproduces RFC 4231 test case 2 ("Jefe")', () => {
    const mac = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex');
    expect(hmacVerifier('sha256', 32, Buffer.from('Jefe'))('what do ya want for nothing?', mac)).toBe(true);
  });

  it.each(hashes)('%s agrees with createHmac for keys around the block size and messages of any length', (hash, bytes) => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.constantFrom(0, 1, 63, 64, 65, 127, 128, 129).map((n) => new Uint8Array(n).fill(7))),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 3000 }), { minLength: 1, maxLength: 4 }),
        (key, messages) => {
          const verify = hmacVerifier(hash, bytes, key);
          // One verifier, many messages (long then short): no state leaks from one call into the next.
          for (const message of messages) {
            const mac = crypto.createHmac(hash, key).update(message, 'utf8').digest();
            expect(verify(message, mac)).toBe(true);
            const wrong = Buffer.from(mac);
            wrong[wrong.length - 1] = (wrong[wrong.length - 1] as number) ^ 1;
            expect(verify(message, wrong)).toBe(false);
            expect(verify(message, mac.subarray(1))).toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
