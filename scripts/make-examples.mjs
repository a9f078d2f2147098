#!/usr/bin/env node
/**
 * Generates the debugger's example tokens once, with fresh keys, into renderer/src/panels/examples.json
 * (committed: the examples must be the same on every machine, and each one verifies with the key it
 * carries). Run again only to change the set: `node scripts/make-examples.mjs`.
 * The keys are throwaway demonstration keys, public knowledge once committed; never use them for anything.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompactEncrypt, SignJWT, exportJWK, exportSPKI, generateKeyPair, calculateJwkThumbprint } from 'jose';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '../renderer/src/panels/examples.json');
const enc = new TextEncoder();
const iat = 1_767_225_600; // 2026-01-01T00:00:00Z
const exp = 4_102_444_800; // 2100-01-01T00:00:00Z: the examples stay valid
const claims = { iss: 'https://issuer.example.com', sub: 'user-4711', aud: 'api://example', name: 'Ada Lovelace', iat, exp };

const examples = [];

const secret = 'example-secret-of-32-bytes-or-more!!';
examples.push({
  id: 'hs256',
  label: 'HS256 (secret)',
  token: await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(enc.encode(secret)),
  key: { source: 'secret', value: secret, encoding: 'utf8' },
});

const rsa = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
examples.push({
  id: 'rs256',
  label: 'RS256 (PEM public key)',
  token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(rsa.privateKey),
  key: { source: 'pem', value: await exportSPKI(rsa.publicKey) },
});

const ec = await generateKeyPair('ES256', { extractable: true });
const ecJwk = await exportJWK(ec.publicKey);
ecJwk.kid = await calculateJwkThumbprint(ecJwk);
examples.push({
  id: 'es256',
  label: 'ES256 (JWK)',
  token: await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: ecJwk.kid }).sign(ec.privateKey),
  key: { source: 'jwk', value: JSON.stringify({ ...ecJwk, alg: 'ES256', use: 'sig' }, null, 2) },
});

const ed = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
const edJwk = { ...(await exportJWK(ed.publicKey)), kid: 'example-ed25519', alg: 'EdDSA', use: 'sig' };
const other = await generateKeyPair('ES256', { extractable: true });
const otherJwk = { ...(await exportJWK(other.publicKey)), kid: 'example-rotated-out', alg: 'ES256', use: 'sig' };
examples.push({
  id: 'eddsa',
  label: 'EdDSA (JWKS)',
  token: await new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', kid: edJwk.kid }).sign(ed.privateKey),
  key: { source: 'jwks', value: JSON.stringify({ keys: [otherJwk, edJwk] }, null, 2) },
});

examples.push({
  id: 'expired',
  label: 'Expired (HS256)',
  token: await new SignJWT({ ...claims, iat: iat - 7200, exp: iat - 3600 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(enc.encode(secret)),
  key: { source: 'secret', value: secret, encoding: 'utf8' },
});

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
examples.push({
  id: 'none',
  label: 'alg none (unsecured)',
  token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, admin: true })}.`,
  key: null,
});

const rsaEnc = await generateKeyPair('RSA-OAEP-256', { modulusLength: 2048, extractable: true });
examples.push({
  id: 'jwe',
  label: 'JWE (RSA-OAEP-256, A256GCM)',
  token: await new CompactEncrypt(enc.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'JWT', kid: 'example-encryption' })
    .encrypt(rsaEnc.publicKey),
  key: null,
});

fs.writeFileSync(out, `${JSON.stringify(examples, null, 2)}\n`);
console.log(`wrote ${examples.length} examples to ${path.relative(process.cwd(), out)}`);
