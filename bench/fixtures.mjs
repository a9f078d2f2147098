/**
 * Keys and tokens for scripts/bench.mjs, made with node:crypto so that no implementation under test signs
 * the tokens it is timed on.
 */
import crypto from 'node:crypto';

const b64u = (data) => Buffer.from(data).toString('base64url');
const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };

export function signCompact(alg, key, header, payload) {
  const input = `${b64u(JSON.stringify({ alg, ...header }))}.${b64u(JSON.stringify(payload))}`;
  const data = Buffer.from(input);
  const hash = HASH[alg.slice(2)];
  let signature;
  if (alg.startsWith('HS')) signature = crypto.createHmac(hash, key).update(data).digest();
  else if (alg.startsWith('RS')) signature = crypto.sign(hash, data, key);
  else if (alg.startsWith('PS')) signature = crypto.sign(hash, data, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: hash === 'sha256' ? 32 : hash === 'sha384' ? 48 : 64 });
  else if (alg.startsWith('ES')) signature = crypto.sign(hash, data, { key, dsaEncoding: 'ieee-p1363' });
  else signature = crypto.sign(null, data, key);
  return `${input}.${b64u(signature)}`;
}

/** A typical OAuth access token's claims (RFC 9068), about 400 bytes once encoded. */
export function accessClaims() {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://auth.example.com/',
    sub: 'user-8f14e45f-ceea-467f-a0e6-1f7d2c1b5a37',
    aud: 'https://api.example.com',
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: 'b8f2a0c4-6d1e-4f7a-9c3b-2e5d8a1f0c6e',
    client_id: 'web-app',
    scope: 'openid profile orders:read orders:write',
  };
}

export function makeVerifySetups() {
  const secret = crypto.randomBytes(32);
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = crypto.generateKeyPairSync('ed25519');
  const claims = accessClaims();
  const pemOf = (k) => k.export({ type: 'spki', format: 'pem' });
  const setup = (alg, signKey, publicKey) => ({
    alg,
    token: signCompact(alg, signKey, { typ: 'at+jwt', kid: 'k1' }, claims),
    secret: publicKey ? null : secret,
    keyObject: publicKey ?? crypto.createSecretKey(secret),
    pem: publicKey ? pemOf(publicKey) : null,
  });
  return [
    setup('HS256', secret, null),
    setup('RS256', rsa.privateKey, rsa.publicKey),
    setup('PS256', rsa.privateKey, rsa.publicKey),
    setup('ES256', ec.privateKey, ec.publicKey),
    setup('EdDSA', ed.privateKey, ed.publicKey),
  ];
}

/** An access token padded to about `bytes` characters, and a large one (claims carrying a data array). */
export function decodeTokens() {
  const secret = crypto.randomBytes(32);
  const base = accessClaims();
  const pad = (target) => {
    const claims = { ...base, roles: [], permissions: [] };
    let i = 0;
    while (signCompact('HS256', secret, { typ: 'JWT' }, claims).length < target) {
      claims.permissions.push(`orders:line-item:${i++}:read`);
    }
    return signCompact('HS256', secret, { typ: 'JWT' }, claims);
  };
  return { small: pad(1024), large: pad(100 * 1024) };
}
