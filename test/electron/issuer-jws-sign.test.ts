// signCompactJws (node:crypto) must produce exactly what a JOSE verifier accepts, for every alg the issuer
// signs with, from the key kinds the issuer holds: non-extractable CryptoKeys (generated) and KeyObjects (stored).
import { createPrivateKey, createSecretKey } from 'node:crypto';
import { decodeProtectedHeader, exportJWK, generateKeyPair, generateSecret, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { signCompactJws } from '../../electron/services/issuer/jws-sign';
import { SIGNING_ALGS } from '../../electron/services/issuer/keys';

describe('signCompactJws', () => {
  it.each(SIGNING_ALGS)('%s: a CryptoKey and a KeyObject both give a token jose verifies', async (alg) => {
    const payload = { sub: 'alice', iat: 1_700_000_000, exp: 4_000_000_000, scope: 'a b' };
    const header = { alg, kid: 'k1', typ: 'at+jwt' };
    if (alg.startsWith('HS')) {
      const secret = await generateSecret(alg, { extractable: true });
      const raw = Buffer.from((await exportJWK(secret)).k!, 'base64url');
      for (const key of [secret, createSecretKey(raw)]) {
        const token = signCompactJws(header, payload, alg, key);
        const { payload: verified } = await jwtVerify(token, raw, { algorithms: [alg], typ: 'at+jwt' });
        expect(verified).toEqual(payload);
      }
      return;
    }
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const keyObject = createPrivateKey({ key: (await exportJWK(privateKey)) as never, format: 'jwk' });
    const held = await generateKeyPair(alg, { extractable: false });
    for (const key of [privateKey, keyObject]) {
      const token = signCompactJws(header, payload, alg, key);
      expect(decodeProtectedHeader(token)).toEqual(header);
      const { payload: verified } = await jwtVerify(token, publicKey, { algorithms: [alg], typ: 'at+jwt' });
      expect(verified).toEqual(payload);
      // A flipped payload byte fails: the signature covers the signing input.
      const [h, , s] = token.split('.');
      const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, sub: 'mallory' })).toString('base64url')}.${s}`;
      await expect(jwtVerify(forged, publicKey, { algorithms: [alg] })).rejects.toThrow(/signature verification failed/);
    }
    // A non-extractable key (how generated keys are held) signs too.
    await jwtVerify(signCompactJws(header, payload, alg, held.privateKey), held.publicKey, { algorithms: [alg] });
  });
});
