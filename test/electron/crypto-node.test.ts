import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jwsAlgorithm } from '../../shared/core/algorithms';
import { decodeBase64url } from '../../shared/core/base64url';
import { prepareKeys } from '../../shared/core/keys';
import { joseBackend, verifyToken } from '../../shared/core/verify';
import { createNodeBackend } from '../../electron/services/crypto-node';
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
