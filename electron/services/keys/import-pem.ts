/**
 * Reads PEM text (RFC 7468): PKCS#8, PKCS#1 and SEC1 private keys, SPKI and PKCS#1 public keys, and
 * X.509 certificates. OpenSSL (node:crypto) parses the DER; this module decides which blocks are
 * keys and says plainly what is wrong with the ones that are not.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { KeyStoreError } from './errors';
import { materialFromKeyObject, opensslReason } from './key-object';
import type { ParsedKey } from './material';

type BlockRole = 'private' | 'public' | 'certificate' | 'skip';

const BLOCK_ROLES: Record<string, BlockRole> = {
  'PRIVATE KEY': 'private', // PKCS#8
  'RSA PRIVATE KEY': 'private', // PKCS#1
  'EC PRIVATE KEY': 'private', // SEC1
  'PUBLIC KEY': 'public', // SPKI
  'RSA PUBLIC KEY': 'public', // PKCS#1
  CERTIFICATE: 'certificate',
  // `openssl ecparam -genkey` writes the curve before the SEC1 key; the key names its curve itself.
  'EC PARAMETERS': 'skip',
};

interface PemBlock {
  type: string;
  text: string;
  body: string;
}

function invalid(message: string): KeyStoreError {
  return new KeyStoreError('import-invalid', message);
}

export function looksLikePem(text: string): boolean {
  return /-----BEGIN [^-\r\n]+-----/.test(text);
}

function splitBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  const begin = /-----BEGIN ([^-\r\n]+)-----/g;
  let match: RegExpExecArray | null;
  while ((match = begin.exec(text)) !== null) {
    const type = match[1] as string;
    const endLine = `-----END ${type}-----`;
    const end = text.indexOf(endLine, begin.lastIndex);
    if (end === -1) throw invalid(`PEM block ${type} has no matching END line`);
    blocks.push({
      type,
      text: text.slice(match.index, end + endLine.length),
      body: text.slice(begin.lastIndex, end),
    });
    begin.lastIndex = end + endLine.length;
  }
  if (blocks.length === 0) throw invalid('text has no PEM block (-----BEGIN …-----)');
  return blocks;
}

/**
 * Every key in the PEM text. A private key and its certificate (or public key) in one file yield
 * one key; in a certificate chain only the first (the leaf) counts — the rest are its issuers.
 */
export function parsePem(text: string): ParsedKey[] {
  const blocks = splitBlocks(text);
  const keyBlocks = blocks.filter((b) => BLOCK_ROLES[b.type] !== 'skip');
  if (keyBlocks.length === 0) throw invalid(`PEM block type ${blocks[0]?.type ?? ''} is not a key`);

  const parsed: ParsedKey[] = [];
  let sawCertificate = false;
  keyBlocks.forEach((block, index) => {
    const what = keyBlocks.length > 1 ? `PEM block ${index + 1} (${block.type})` : `PEM ${block.type}`;
    const role = BLOCK_ROLES[block.type];
    if (block.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.body)) {
      throw invalid(
        `${what} is encrypted with a passphrase; decrypt it first (e.g. openssl pkey -in key.pem -out plain.pem)`,
      );
    }
    if (role === undefined) throw invalid(`PEM block type ${block.type} is not a key`);
    if (role === 'certificate') {
      if (sawCertificate) return; // an issuer in the chain, not the key the user means
      sawCertificate = true;
    }
    parsed.push(readBlock(block, role as Exclude<BlockRole, 'skip'>, what));
  });
  return parsed;
}

function readBlock(block: PemBlock, role: 'private' | 'public' | 'certificate', what: string): ParsedKey {
  let key: KeyObject;
  let labelHint: string | null = null;
  try {
    if (role === 'certificate') {
      const certificate = new X509Certificate(block.text);
      key = certificate.publicKey;
      labelHint = commonName(certificate.subject);
    } else {
      key = role === 'private' ? createPrivateKey(block.text) : createPublicKey(block.text);
    }
  } catch (error) {
    throw invalid(`${what} could not be read (${opensslReason(error)})`);
  }
  return { material: materialFromKeyObject(key, what), kid: null, alg: null, labelHint };
}

/** The CN of an X.509 subject as node prints it ("CN=name\nO=org"), else the whole subject on one line. */
function commonName(subject: string): string | null {
  const lines = subject.split('\n').filter((line) => line.length > 0);
  const cn = lines.find((line) => line.startsWith('CN='));
  if (cn) return cn.slice(3);
  return lines.length > 0 ? lines.join(', ') : null;
}
