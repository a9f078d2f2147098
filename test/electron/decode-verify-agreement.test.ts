/**
 * One parse: verify reads a token exactly as decode does. On arbitrary and mutated tokens, pasted in every
 * wrapping the decoder accepts, and with both signature backends (node:crypto, whose native segment decoders
 * take the lean compact path, and jose/WebCrypto):
 * - whatever decodeToken refuses, verifyToken refuses with reason malformed-token and decodeToken's own error;
 * - whatever decodeToken accepts, verifyToken does not call malformed, and verifying the decode result gives
 *   the same verdict as verifying the text.
 */
import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase64url, encodeBase64urlText } from '../../shared/core/base64url';
import { decodeToken } from '../../shared/core/decode';
import { prepareKeys, type PreparedKeys } from '../../shared/core/keys';
import { joseBackend, verifyToken, type SignatureBackend } from '../../shared/core/verify';
import { createNodeBackend } from '../../electron/services/crypto-node';
import { applyEdits, type Edit } from '../shared/edits';

const SECRET = crypto.randomBytes(32);
const NOW = 1_700_000_000;
const backends: [string, SignatureBackend][] = [
  ['node:crypto', createNodeBackend()],
  ['jose', joseBackend],
];

function hmac(input: string): string {
  return crypto.createHmac('sha256', SECRET).update(input).digest('base64url');
}

/** Header JSON as text: sometimes with a repeated member, spacing, or a b64/crit extension. */
const headerText = fc.oneof(
  { weight: 5, arbitrary: fc.record({ alg: fc.constantFrom('HS256', 'HS256', 'RS256', 'none', 'dir'), kid: fc.string({ maxLength: 8 }) }, { requiredKeys: ['alg'] }).map((h) => JSON.stringify(h)) },
  { weight: 1, arbitrary: fc.constantFrom('{"alg":"none","alg":"HS256"}', '{"alg":"HS256","alg":"HS256"}', '{ "alg" : "HS256" }', '{"typ":"JWT"}', '{"alg":""}') },
  { weight: 1, arbitrary: fc.constantFrom('{"alg":"HS256","b64":false,"crit":["b64"]}', '{"alg":"HS256","crit":["exp"],"exp":1}', '{"alg":"HS256","b64":false}') },
);
const payloadText = fc.oneof(
  fc.record({ sub: fc.string({ maxLength: 8 }), exp: fc.integer({ min: NOW - 100, max: NOW + 100 }), n: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] }).map((p) => JSON.stringify(p)),
  fc.constantFrom('{"a":1,"a":2}', 'not json', ''),
);

/** A signed compact token (HS256 under SECRET, whatever the header says), or a JWE-shaped one. */
const compact = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(headerText, payloadText).map(([h, p]) => {
    const input = `${encodeBase64urlText(h)}.${encodeBase64urlText(p)}`;
    return `${input}.${hmac(input)}`;
  }) },
  { weight: 1, arbitrary: fc.constant(`${encodeBase64urlText('{"alg":"dir","enc":"A128GCM"}')}..AAAA.AAAA.AAAA`) },
);
const jsonSerialization = fc.tuple(headerText, payloadText, fc.boolean()).map(([h, p, general]) => {
  const prot = encodeBase64urlText(h);
  const payload = encodeBase64urlText(p);
  const entry = { protected: prot, header: { kid: 'x' }, signature: hmac(`${prot}.${payload}`) };
  return JSON.stringify(general ? { payload, signatures: [entry, { ...entry, signature: 'AAAA' }] } : { payload, ...entry });
});
/** How people paste a token: every form decodeToken unwraps. */
const wrap = fc.constantFrom(
  (t: string) => t,
  (t: string) => `  ${t}\n`,
  (t: string) => `Bearer ${t}`,
  (t: string) => `Authorization: Bearer ${t}`,
  (t: string) => `"${t}"`,
  (t: string) => `access_token=${t};`,
  (t: string) => `"id_token": "${t}",`,
  (t: string) => `DPoP ${t}`,
);
const tokenChar = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') },
  { weight: 3, arbitrary: fc.constantFrom('.', '=', '+', '/', ' ', '"', '{', '}', ':', ',', '\\', 'é') },
);
const edits = fc.array(fc.record({ kind: fc.constantFrom<Edit['kind']>('insert', 'delete', 'replace'), at: fc.nat(), char: tokenChar }), { maxLength: 3 });

async function agree(text: string, keys: PreparedKeys, backend: SignatureBackend): Promise<void> {
  const decoded = decodeToken(text);
  const verdict = await verifyToken(text, keys, { now: NOW }, backend);
  if (!decoded.ok) {
    expect(verdict.reason).toBe('malformed-token');
    expect(verdict.error).toEqual(decoded.error);
    expect(verdict.valid).toBe(false);
    return;
  }
  expect(verdict.reason).not.toBe('malformed-token');
  expect(verdict.error).toBeUndefined();
  if (decoded.token.kind === 'jwe') expect(verdict.reason).toBe('not-a-jws');
  // The decode result is the same token: the same verdict.
  expect(await verifyToken(decoded.token, keys, { now: NOW }, backend)).toEqual(verdict);
}

describe('decode and verify agree', () => {
  let keys: PreparedKeys;
  const ready = prepareKeys({ type: 'secret', value: SECRET.toString('base64url'), encoding: 'base64url' }).then((k) => (keys = k));

  for (const [name, backend] of backends) {
    it(`on mutated compact and JSON tokens in every pasted wrapping (${name})`, async () => {
      await ready;
      await fc.assert(
        fc.asyncProperty(fc.oneof(compact, jsonSerialization), edits, wrap, async (token, list, w) => {
          await agree(w(applyEdits(token, list)), keys, backend);
        }),
        { numRuns: 400 },
      );
    });

    it(`on arbitrary text (${name})`, async () => {
      await ready;
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[A-Za-z0-9_.=-]{0,40}$/)), async (text) => {
          await agree(text, keys, backend);
        }),
        { numRuns: 300 },
      );
    });

    it(`an unmodified token verifies in every wrapping (${name})`, async () => {
      await ready;
      await fc.assert(
        fc.asyncProperty(payloadText.filter((p) => p !== ''), wrap, async (p, w) => {
          const input = `${encodeBase64urlText('{"alg":"HS256"}')}.${encodeBase64urlText(p)}`;
          const verdict = await verifyToken(w(`${input}.${hmac(input)}`), keys, { now: NOW }, backend);
          expect(verdict.valid).toBe(true);
        }),
        { numRuns: 100 },
      );
    });
  }

  it('refuses a header with a duplicate member as decode does, even when the signature matches', async () => {
    await ready;
    const input = `${encodeBase64urlText('{"alg":"none","alg":"HS256"}')}.${encodeBase64urlText('{"sub":"x"}')}`;
    const token = `${input}.${hmac(input)}`;
    const decoded = decodeToken(token);
    expect(decoded.ok ? null : decoded.error.code).toBe('duplicate-member');
    for (const [, backend] of backends) {
      const verdict = await verifyToken(token, keys, { now: NOW }, backend);
      expect(verdict).toMatchObject({ valid: false, reason: 'malformed-token', error: { code: 'duplicate-member', segment: 'header' } });
    }
  });

  it('refuses a correctly signed token whose payload nests deeper than decode allows, as decode does', async () => {
    await ready;
    for (const depth of [1001, 5000]) {
      const input = `${encodeBase64urlText('{"alg":"HS256"}')}.${encodeBase64urlText(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`)}`;
      const token = `${input}.${hmac(input)}`;
      const decoded = decodeToken(token);
      expect(decoded.ok ? null : decoded.error.code).toBe('json-too-deep');
      for (const [, backend] of backends) await agree(token, keys, backend);
    }
    // Many brackets in strings are not nesting: still verifies.
    const input = `${encodeBase64urlText('{"alg":"HS256"}')}.${encodeBase64urlText(JSON.stringify({ s: '['.repeat(5000) }))}`;
    for (const [, backend] of backends) expect((await verifyToken(`${input}.${hmac(input)}`, keys, { now: NOW }, backend)).valid).toBe(true);
  });

  it('refuses non-canonical base64url in any part, which decode notes; the canonical token verifies', async () => {
    await ready;
    // 1 byte of payload → 2 characters, of which the second carries 4 unused bits.
    const header = encodeBase64urlText('{"alg":"HS256"}');
    const payload = encodeBase64url(new Uint8Array([0x41]));
    expect(payload).toBe('QQ');
    const canonical = `${header}.${payload}`;
    const nonCanonical = `${header}.QR`; // decodes to the same byte 0x41
    for (const [, backend] of backends) {
      expect((await verifyToken(`${canonical}.${hmac(canonical)}`, keys, { now: NOW }, backend)).valid).toBe(true);
      const verdict = await verifyToken(`${nonCanonical}.${hmac(nonCanonical)}`, keys, { now: NOW }, backend);
      expect(verdict).toMatchObject({ valid: false, reason: 'base64url-noncanonical' });
      // The signature segment too: a 32-byte HMAC is 43 characters, the last with 2 unused bits.
      const sig = hmac(canonical);
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const bumped = sig.slice(0, -1) + last[last.indexOf(sig.at(-1)!) ^ 1];
      expect((await verifyToken(`${canonical}.${bumped}`, keys, { now: NOW }, backend)).reason).toBe('base64url-noncanonical');
    }
    const decoded = decodeToken(`${nonCanonical}.${hmac(nonCanonical)}`);
    expect(decoded.ok && decoded.token.notes.filter((n) => n.code === 'base64url-noncanonical').map((n) => [n.segment, n.offset])).toEqual([['payload', header.length + 2]]);
  });
});
