/**
 * The self-signed X.509 certificate an x5u attack serves, made with @peculiar/x509 (WebCrypto-based, so it
 * runs wherever the core does). Loaded on first use: no other attack, and no other jwtdbg command, pays for
 * the library.
 */
import { webCryptoSignParams } from '../algorithms';
import type { FreshKey } from './fresh-key';
import { AttackError } from './types';

const DAY_MS = 86_400_000;

/** A PEM certificate (a chain of one) for the fresh key, signed by itself, valid from a minute ago for a year. */
export async function selfSignedCertificatePem(key: FreshKey): Promise<string> {
  try {
    // @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    const now = Date.now();
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=JWT Workbench attack key',
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 365 * DAY_MS),
      keys: { publicKey: key.publicKey, privateKey: key.privateKey },
      // A key for signatures only; at least one extension, too (RFC 5280 forbids an empty extensions list).
      extensions: [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)],
      // The certificate is signed the way the token is: same algorithm, hash and (PSS) salt length.
      signingAlgorithm: webCryptoSignParams(key.alg),
    });
    return `${certificate.toString('pem')}\n`;
  } catch (e) {
    throw new AttackError('crypto-failed', `could not make the x5u certificate: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}
