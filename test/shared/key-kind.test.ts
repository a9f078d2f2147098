import { describe, expect, it } from 'vitest';
import { classifyKeyText, jwksKeyName } from '../../shared/core/key-kind';
import { KeyError, prepareKeys } from '../../shared/core/keys';

const block = (label: string, extra = '') => `-----BEGIN ${label}-----\n${extra}MIIB\n-----END ${label}-----\n`;

describe('classifyKeyText', () => {
  it.each([
    ['', 'empty', null],
    [block('PUBLIC KEY'), 'pem-public', 'pem'],
    [block('RSA PUBLIC KEY'), 'pem-public', 'pem'],
    [block('PRIVATE KEY'), 'pem-private', 'pem'],
    [block('EC PRIVATE KEY'), 'pem-private', 'pem'],
    [block('EC PARAMETERS') + block('EC PRIVATE KEY'), 'pem-private', 'pem'],
    [block('ENCRYPTED PRIVATE KEY'), 'pem-encrypted', 'pem'],
    [block('RSA PRIVATE KEY', 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n'), 'pem-encrypted', 'pem'],
    [block('CERTIFICATE'), 'pem-certificate', 'pem'],
    ['  {"kty":"RSA","n":"AQAB","e":"AQAB"}', 'jwk', 'jwk'],
    ['{"keys": [{"kty":"EC"}]}', 'jwks', 'jwks'],
    ['{"kty": "oct", "k": "AA"', 'jwk', 'jwk'], // half-pasted
    ['{"foo": 1}', 'json-other', null],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host', 'ssh', null],
    ['your-256-bit-secret', 'secret', 'secret'],
  ])('%j → %s', (text, kind, source) => {
    expect(classifyKeyText(text)).toMatchObject({ kind, source });
  });

  it('names JWKS members one way, counted from 1', () => {
    expect([jwksKeyName(0), jwksKeyName(2)]).toEqual(['JWKS key #1', 'JWKS key #3']);
  });
});

describe('a key pasted as the wrong type says what it is, not a JSON grammar error', () => {
  async function keyError(input: Parameters<typeof prepareKeys>[0]): Promise<KeyError> {
    try {
      await prepareKeys(input);
    } catch (e) {
      if (e instanceof KeyError) return e;
      throw e;
    }
    throw new Error('the key was accepted');
  }

  it('a PEM or a secret as a JWK / JWKS', async () => {
    const pem = block('PUBLIC KEY');
    expect(await keyError({ type: 'jwk', value: pem })).toMatchObject({ code: 'jwk-invalid', message: 'this looks like a PEM public key, not a JWK: choose the PEM key type' });
    expect(await keyError({ type: 'jwks', value: 'hunter2' })).toMatchObject({ code: 'jwk-invalid', message: 'this looks like a shared secret, not a JWKS: choose the Secret key type' });
    // Broken JSON that is JSON-shaped still gets the grammar's position.
    expect((await keyError({ type: 'jwk', value: '{"kty":' })).message).toMatch(/^JWK is not valid JSON at line 1, column/);
  });

  it('a JWK or a secret as PEM', async () => {
    expect(await keyError({ type: 'pem', value: '{"kty":"oct","k":"AA"}' })).toMatchObject({ code: 'pem-invalid', message: 'no PEM block found: this looks like a JWK, not PEM — choose the JWK key type' });
    expect((await keyError({ type: 'pem', value: 'hunter2' })).message).toBe('no PEM block found: this looks like a shared secret, not PEM — choose the Secret key type');
    expect((await keyError({ type: 'pem', value: 'ssh-ed25519 AAAAC3Nza' })).message).toBe('no PEM block found');
  });
});
