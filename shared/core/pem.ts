/**
 * PEM (RFC 7468) reading, and the conversions WebCrypto needs: it imports only SPKI public keys and PKCS#8
 * private keys, so PKCS#1 RSA keys (RFC 8017 A.1) and SEC1 EC keys (RFC 5915) are rewrapped here, and an
 * X.509 certificate (RFC 5280) is read for its SubjectPublicKeyInfo and its subject's name.
 * Platform-neutral: no node:crypto.
 */
import {
  DER_INTEGER_ZERO,
  DER_NULL,
  DerError,
  TAG,
  concatBytes,
  content,
  decodeDirectoryString,
  decodeOid,
  encodeOid,
  encodeTlv,
  expectTag,
  readChildren,
  readRoot,
  sequence,
  whole,
  type Tlv,
} from './asn1';
import { decodeBase64, encodeBase64url } from './base64url';
import { WorkbenchError } from './errors';

export { DerError } from './asn1';

export const OID = {
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  secp256r1: '1.2.840.10045.3.1.7',
  secp384r1: '1.3.132.0.34',
  secp521r1: '1.3.132.0.35',
  secp256k1: '1.3.132.0.10',
  ed25519: '1.3.101.112',
  ed448: '1.3.101.113',
  x25519: '1.3.101.110',
  x448: '1.3.101.111',
  dsa: '1.2.840.10040.4.1',
  dh: '1.2.840.113549.1.3.1',
} as const;

export interface PemBlock {
  label: string;
  der: Uint8Array;
  /** RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`) or an ENCRYPTED PRIVATE KEY label. */
  encrypted: boolean;
}

/** Text that is not well-formed PEM. The key importer turns it into a KeyError ('pem-invalid'). */
export class PemError extends WorkbenchError<'pem-invalid'> {
  override readonly name = 'PemError';

  constructor(message: string) {
    super('pem-invalid', message);
  }
}

const BEGIN = /-----BEGIN ([^-\r\n]*)-----/g;

/** Every PEM block in the text, in order. Text around the blocks (openssl "Bag Attributes") is ignored. */
export function parsePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    const label = match[1] as string;
    const bodyStart = match.index + match[0].length;
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, bodyStart);
    if (end < 0) {
      const other = /-----END ([^-\r\n]*)-----/.exec(text.slice(bodyStart));
      throw new PemError(
        other ? `PEM block BEGIN ${label} ends with END ${other[1]}` : `PEM block ${label} has no END line`,
      );
    }
    const lines = text.slice(bodyStart, end).split(/\r?\n/).map((l) => l.trim());
    let encrypted = label === 'ENCRYPTED PRIVATE KEY';
    let first = 0;
    while (first < lines.length && lines[first] === '') first++;
    // RFC 1421 encapsulated headers (legacy OpenSSL encryption) come first and end with an empty line.
    if (/^[A-Za-z-]+:/.test(lines[first] ?? '')) {
      for (; first < lines.length && lines[first] !== ''; first++) {
        if (/^Proc-Type:\s*4,\s*ENCRYPTED/i.test(lines[first] as string)) encrypted = true;
      }
    }
    const base64 = lines.slice(first).join('').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
      const bad = base64.search(/[^A-Za-z0-9+/=]|=(?=[^=])/);
      throw new PemError(`PEM block ${label} is not valid base64 (character ${JSON.stringify(base64[bad] ?? '=')})`);
    }
    const der = decodeBase64(base64);
    if (!der || der.length === 0) throw new PemError(`PEM block ${label} is empty or not valid base64`);
    blocks.push({ label, der, encrypted });
    BEGIN.lastIndex = end + endMarker.length;
  }
  return blocks;
}

export function derToPem(label: string, der: Uint8Array): string {
  const b64 = encodeBase64url(der).replace(/-/g, '+').replace(/_/g, '/');
  const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
  const lines = padded.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** What an AlgorithmIdentifier (RFC 5280 §4.1.1.2) names: the key algorithm and, for EC, the curve. */
export interface KeyAlgorithmId {
  oid: string;
  /** Named curve OID for id-ecPublicKey. */
  curveOid: string | null;
}

function readAlgorithmIdentifier(bytes: Uint8Array, algId: ReturnType<typeof expectTag>): KeyAlgorithmId {
  const [oidTlv, params] = readChildren(bytes, algId);
  const oid = decodeOid(content(bytes, expectTag(oidTlv, TAG.OID, 'algorithm OID')));
  let curveOid: string | null = null;
  if (oid === OID.ecPublicKey) {
    if (!params) throw new DerError('EC key has no curve parameters');
    if (params.tag !== TAG.OID) throw new DerError('EC key uses explicit curve parameters; only named curves are supported');
    curveOid = decodeOid(content(bytes, params));
  }
  return { oid, curveOid };
}

/** The key algorithm of a DER SubjectPublicKeyInfo. */
export function spkiAlgorithm(spki: Uint8Array): KeyAlgorithmId {
  const root = readRoot(spki, TAG.SEQUENCE);
  const [algId, key] = readChildren(spki, root);
  const id = readAlgorithmIdentifier(spki, expectTag(algId, TAG.SEQUENCE, 'SubjectPublicKeyInfo algorithm'));
  expectTag(key, TAG.BIT_STRING, 'SubjectPublicKeyInfo subjectPublicKey');
  return id;
}

/** The key algorithm of a DER PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958). */
export function pkcs8Algorithm(pkcs8: Uint8Array): KeyAlgorithmId {
  const root = readRoot(pkcs8, TAG.SEQUENCE);
  const [version, algId, key] = readChildren(pkcs8, root);
  expectTag(version, TAG.INTEGER, 'PrivateKeyInfo version');
  const id = readAlgorithmIdentifier(pkcs8, expectTag(algId, TAG.SEQUENCE, 'PrivateKeyInfo algorithm'));
  expectTag(key, TAG.OCTET_STRING, 'PrivateKeyInfo privateKey');
  return id;
}

/** The tbsCertificate fields (RFC 5280 §4.1), counted from serialNumber: [0] version is absent in v1. */
function certificateFields(cert: Uint8Array): { fields: Tlv[]; base: number } {
  const root = readRoot(cert, TAG.SEQUENCE);
  const [tbs] = readChildren(cert, root);
  const fields = readChildren(cert, expectTag(tbs, TAG.SEQUENCE, 'tbsCertificate'));
  return { fields, base: fields[0]?.tag === TAG.CONTEXT_0 ? 1 : 0 };
}

/** The SubjectPublicKeyInfo inside an X.509 certificate (tbsCertificate, 7th field counting the version). */
export function certificateSpki(cert: Uint8Array): Uint8Array {
  const { fields, base } = certificateFields(cert);
  const spki = expectTag(fields[base + 5], TAG.SEQUENCE, 'certificate subjectPublicKeyInfo');
  return whole(cert, spki);
}

/** Short names of the attributes a subject line shows (RFC 4514 §3), by OID. */
const NAME_ATTRIBUTES = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.6', 'C'],
]);

/**
 * How to name a certificate's key: its subject's common name, else the subject's other common attributes
 * on one line ("O=Example, C=FR"), else null. Only a label: a subject it cannot read gives null, never an
 * error, since the key itself is still good.
 */
export function certificateSubjectName(cert: Uint8Array): string | null {
  try {
    const { fields, base } = certificateFields(cert);
    const subject = expectTag(fields[base + 4], TAG.SEQUENCE, 'certificate subject');
    const attributes: [string, string][] = [];
    for (const rdn of readChildren(cert, subject)) {
      for (const pair of readChildren(cert, expectTag(rdn, TAG.SET, 'RelativeDistinguishedName'))) {
        const [type, value] = readChildren(cert, expectTag(pair, TAG.SEQUENCE, 'AttributeTypeAndValue'));
        const name = NAME_ATTRIBUTES.get(decodeOid(content(cert, expectTag(type, TAG.OID, 'attribute type'))));
        if (name !== undefined && value !== undefined) attributes.push([name, decodeDirectoryString(cert, value)]);
      }
    }
    const common = attributes.find(([name]) => name === 'CN');
    if (common) return common[1];
    return attributes.length > 0 ? attributes.map(([name, value]) => `${name}=${value}`).join(', ') : null;
  } catch {
    return null;
  }
}

const RSA_ALGORITHM_ID = () => sequence(encodeOid(OID.rsaEncryption), DER_NULL);

function checkIntegers(bytes: Uint8Array, what: string, minimum: number): void {
  const root = readRoot(bytes, TAG.SEQUENCE);
  const fields = readChildren(bytes, root);
  if (fields.length < minimum) throw new DerError(`${what} has ${fields.length} fields, expected ${minimum}`);
  fields.slice(0, minimum).forEach((f, i) => expectTag(f, TAG.INTEGER, `${what} field ${i + 1}`));
}

/** PKCS#1 RSAPublicKey → SubjectPublicKeyInfo with rsaEncryption (RFC 3279 §2.3.1). */
export function pkcs1PublicToSpki(pkcs1: Uint8Array): Uint8Array {
  checkIntegers(pkcs1, 'RSAPublicKey', 2);
  return sequence(RSA_ALGORITHM_ID(), encodeTlv(TAG.BIT_STRING, concatBytes(Uint8Array.of(0), pkcs1)));
}

/** PKCS#1 RSAPrivateKey → PKCS#8 PrivateKeyInfo (RFC 5208 §5). */
export function pkcs1PrivateToPkcs8(pkcs1: Uint8Array): Uint8Array {
  checkIntegers(pkcs1, 'RSAPrivateKey', 9);
  return sequence(DER_INTEGER_ZERO, RSA_ALGORITHM_ID(), encodeTlv(TAG.OCTET_STRING, pkcs1));
}

/**
 * SEC1 ECPrivateKey → PKCS#8. The curve moves from the ECPrivateKey's [0] parameters into the
 * AlgorithmIdentifier and is dropped from the inner structure, as OpenSSL writes PKCS#8 EC keys.
 */
export function sec1ToPkcs8(sec1: Uint8Array): Uint8Array {
  const root = readRoot(sec1, TAG.SEQUENCE);
  const fields = readChildren(sec1, root);
  const version = expectTag(fields[0], TAG.INTEGER, 'ECPrivateKey version');
  const privateKey = expectTag(fields[1], TAG.OCTET_STRING, 'ECPrivateKey privateKey');
  const params = fields.find((f) => f.tag === TAG.CONTEXT_0);
  const publicKey = fields.find((f) => f.tag === TAG.CONTEXT_1);
  if (!params) throw new DerError('SEC1 EC private key has no curve parameters');
  const [curve] = readChildren(sec1, params);
  if (!curve || curve.tag !== TAG.OID) {
    throw new DerError('SEC1 EC private key uses explicit curve parameters; only named curves are supported');
  }
  const inner = sequence(
    whole(sec1, version),
    whole(sec1, privateKey),
    ...(publicKey ? [whole(sec1, publicKey)] : []),
  );
  const algorithm = sequence(encodeOid(OID.ecPublicKey), whole(sec1, curve));
  return sequence(DER_INTEGER_ZERO, algorithm, encodeTlv(TAG.OCTET_STRING, inner));
}

/**
 * An id-RSASSA-PSS key (RFC 4055) carries a plain RSA key under another OID, which WebCrypto will not import:
 * rewrap it as rsaEncryption. The caller restricts the key to PS* algorithms.
 */
export function pssSpkiToRsaSpki(spki: Uint8Array): Uint8Array {
  const root = readRoot(spki, TAG.SEQUENCE);
  const [, key] = readChildren(spki, root);
  return sequence(RSA_ALGORITHM_ID(), whole(spki, expectTag(key, TAG.BIT_STRING, 'subjectPublicKey')));
}

export function pssPkcs8ToRsaPkcs8(pkcs8: Uint8Array): Uint8Array {
  const root = readRoot(pkcs8, TAG.SEQUENCE);
  const [version, , key] = readChildren(pkcs8, root);
  return sequence(
    whole(pkcs8, expectTag(version, TAG.INTEGER, 'version')),
    RSA_ALGORITHM_ID(),
    whole(pkcs8, expectTag(key, TAG.OCTET_STRING, 'privateKey')),
  );
}
