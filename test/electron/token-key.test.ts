// The key a token names about itself — used only on request, and always reported as self-asserted: from the
// header (jwk, x5c) and from a URL the header gives (jku, x5u, served here on loopback).
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import 'reflect-metadata';
import { X509CertificateGenerator } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import { embeddedKeys } from '../../shared/core/token-key';
import { verifyToken } from '../../shared/core/verify';
import { TokenKeyError, tokenOwnKeys } from '../../electron/services/token-key';
import { nodeToken } from '../shared/crypto-fixtures';
import { buildCliHarness, type CliHarness } from './cli-harness';

const pair = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicJwk = pair.publicKey.export({ format: 'jwk' });
let certificatePem = '';
let certificateB64 = '';
let server: http.Server;
let base = '';
let cli: CliHarness;

beforeAll(async () => {
  const keys = {
    privateKey: await crypto.webcrypto.subtle.importKey('jwk', pair.privateKey.export({ format: 'jwk' }), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']),
    publicKey: await crypto.webcrypto.subtle.importKey('jwk', publicJwk, { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']),
  };
  const cert = await X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name: 'CN=self-asserted', notBefore: new Date(2020, 0, 1), notAfter: new Date(2040, 0, 1), keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } }, crypto.webcrypto as Crypto);
  certificatePem = cert.toString('pem');
  certificateB64 = cert.toString('base64');
  server = http.createServer((req, res) => {
    if (req.url === '/jwks.json') res.end(JSON.stringify({ keys: [publicJwk] }));
    else if (req.url === '/cert.pem') res.end(certificatePem);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cli = await buildCliHarness();
}, 60_000);
afterAll(async () => {
  cli?.dispose();
  await new Promise((resolve) => server?.close(resolve));
});

const tokenWith = (header: Record<string, unknown>) => nodeToken('ES256', pair.privateKey, { alg: 'ES256', ...header }, { sub: 'mallory' });
const decoded = (text: string) => {
  const r = decodeToken(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.token;
};

describe('the token’s own key', () => {
  it('lists what the header names, embedded first', () => {
    const kinds = embeddedKeys(decoded(tokenWith({ x5u: `${base}/cert.pem`, jwk: publicJwk, jku: `${base}/jwks.json`, x5c: [certificateB64] }))).map((k) => k.kind);
    expect(kinds).toEqual(['jwk', 'x5c', 'jku', 'x5u']);
    expect(embeddedKeys(decoded(tokenWith({ jwk: 'not an object', x5c: ['not base64!'] })))).toEqual([]);
  });

  it.each([
    ['jwk', { jwk: publicJwk }, 'self-asserted:jwk'],
    ['x5c', { x5c: [''] }, 'self-asserted:x5c'],
    ['jku', { jku: '' }, 'self-asserted:jku:'],
    ['x5u', { x5u: '' }, 'self-asserted:x5u:'],
  ] as const)('verifies with the key from %s and says where it came from', async (kind, header, source) => {
    const filled = kind === 'x5c' ? { x5c: [certificateB64] } : kind === 'jku' ? { jku: `${base}/jwks.json` } : kind === 'x5u' ? { x5u: `${base}/cert.pem` } : header;
    const token = tokenWith(filled);
    const own = await tokenOwnKeys(decoded(token));
    expect(own.source.startsWith(source)).toBe(true);
    expect((await verifyToken(token, own.keys)).valid).toBe(true);
  });

  it('refuses a token naming no key, a URL it cannot fetch, and a jwk that is no key', async () => {
    const plain = nodeToken('HS256', Buffer.from('k'.repeat(32)), { alg: 'HS256' }, {});
    await expect(tokenOwnKeys(decoded(plain))).rejects.toMatchObject({ code: 'no-token-key' });
    await expect(tokenOwnKeys(decoded(tokenWith({ jku: `${base}/missing` })))).rejects.toBeInstanceOf(TokenKeyError);
    await expect(tokenOwnKeys(decoded(tokenWith({ jku: 'file:///etc/passwd' })))).rejects.toMatchObject({ code: 'token-key-fetch-failed' });
    await expect(tokenOwnKeys(decoded(tokenWith({ jwk: { kty: 'EC' } })))).rejects.toMatchObject({ code: 'token-key-unusable' });
  });

  it('jwtdbg verify --trust-token-key verifies with it, flags it, and reports key.source', async () => {
    const token = tokenWith({ jwk: publicJwk });
    const json = await cli.run(['verify', token, '--trust-token-key', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, key: { source: 'self-asserted:jwk' } });
    const text = await cli.run(['verify', token, '--trust-token-key']);
    expect(text.stdout).toMatch(/token's OWN key .*self-asserted/);
    // Without the flag (and no key), nothing is trusted.
    expect((await cli.run(['verify', token])).code).toBe(2);
    expect((await cli.run(['verify', token, '--trust-token-key', '--secret', 'x'])).code).toBe(2);
  });
});
