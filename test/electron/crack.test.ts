/**
 * The known-secret scanner: the HMAC construction against node's createHmac and RFC 4231, the line scan,
 * the worker pool (match, not found, first match stops all, abort, a failing worker), wordlist streaming,
 * the token target and the list's location.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import {
  crackHmac,
  CrackError,
  createHmacScanner,
  findKnownSecretsList,
  hmacTargetOf,
  hmacTargetOfText,
  KNOWN_SECRETS_FILE,
  KnownSecretCheck,
  KnownSecretsList,
  loadKnownSecretsList,
  openWordlist,
  ScanPool,
  wordlistChunks,
  type CandidateChunk,
  type HashName,
  type HmacTarget,
} from '../../electron/services/crack';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LIST_FILE = path.join(repoRoot, KNOWN_SECRETS_FILE);
const JWT_IO =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
const HASHES: HashName[] = ['sha256', 'sha384', 'sha512'];
const ALG_OF: Record<HashName, 'HS256' | 'HS384' | 'HS512'> = { sha256: 'HS256', sha384: 'HS384', sha512: 'HS512' };

const b64u = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');

/** An HS token signed with node:crypto directly, independent of the code under test. */
function hsToken(alg: 'HS256' | 'HS384' | 'HS512', secret: string | Uint8Array, payload: object = { sub: 'crack-test' }): string {
  const input = `${b64u(JSON.stringify({ alg, typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}`;
  const hash = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg];
  return `${input}.${crypto.createHmac(hash, secret).update(input).digest('base64url')}`;
}

function targetOf(hash: HashName, key: string | Uint8Array, message: Uint8Array = Buffer.from('header.payload')): HmacTarget {
  return { alg: ALG_OF[hash], hash, message, signature: crypto.createHmac(hash, key).update(message).digest() };
}

/** The lines of a file as the scanner reads them: split on LF, a CR before it dropped, no line after a final LF. */
function linesOf(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let from = 0;
  while (from < bytes.length) {
    let lf = bytes.indexOf(10, from);
    if (lf === -1) lf = bytes.length;
    lines.push(bytes.subarray(from, lf > from && bytes[lf - 1] === 13 ? lf - 1 : lf));
    from = lf + 1;
  }
  return lines;
}

const LIST_BYTES = fs.readFileSync(LIST_FILE);
const LIST_LINES = linesOf(LIST_BYTES);
// A secret that is on no list: random, so no list can hold it.
const STRONG_SECRET = crypto.randomBytes(32).toString('base64url');

describe('the HMAC construction (createHmacScanner)', () => {
  // RFC 4231 §4.2–4.8: key, data, then HMAC-SHA-256 / -384 / -512 (test case 5 is truncated to 128 bits).
  const rep = (byte: number, n: number) => Buffer.alloc(n, byte);
  const RFC_4231: [string, Buffer, Buffer, [string, string, string]][] = [
    ['1', rep(0x0b, 20), Buffer.from('Hi There'), [
      'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854',
    ]],
    ['2', Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?'), [
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    ]],
    ['3', rep(0xaa, 20), rep(0xdd, 50), [
      '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
      'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb',
    ]],
    ['4', Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)), rep(0xcd, 50), [
      '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
      'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd',
    ]],
    ['5 (truncated)', rep(0x0c, 20), Buffer.from('Test With Truncation'), [
      'a3b6167473100ee06e0c796c2955552b',
      '3abf34c3503b2a23a46efc619baef897',
      '415fad6271580a531d4179bc891d87a6',
    ]],
    ['6 (key longer than the block)', rep(0xaa, 131), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), [
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
      '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598',
    ]],
    ['7 (key and data longer than the block)', rep(0xaa, 131),
      Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'), [
        '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
        '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
        'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58',
      ]],
  ];

  for (const [name, key, data, expected] of RFC_4231) {
    it(`gives RFC 4231 test case ${name} for SHA-256, SHA-384 and SHA-512`, () => {
      HASHES.forEach((hash, i) => {
        const scanner = createHmacScanner(crypto.hash, hash, data, Buffer.alloc(0));
        const mac = Buffer.from(scanner.mac(key, 0, key.length)).toString('hex');
        expect({ hash, mac: mac.slice(0, expected[i]!.length) }).toEqual({ hash, mac: expected[i] });
      });
    });
  }

  it('agrees with createHmac for keys of every length around both block sizes, one scanner reused in shuffled order', () => {
    const lengths = [...Array.from({ length: 140 }, (_, i) => i), 190, 255, 256, 257, 1000];
    const keys = lengths.map((n) => crypto.randomBytes(n));
    // Long keys before short ones and back: the pads a longer key overwrote must be restored for the next one.
    const order = [...keys.keys()].sort(() => Math.random() - 0.5);
    for (const hash of HASHES) {
      for (const message of [Buffer.alloc(0), Buffer.from('x'), crypto.randomBytes(1000)]) {
        const scanner = createHmacScanner(crypto.hash, hash, message, Buffer.alloc(0));
        for (const i of order) {
          const key = keys[i]!;
          // Inside a larger buffer, at an offset, as the scan reads lines.
          const host = Buffer.concat([Buffer.from('prefix'), key, Buffer.from('suffix')]);
          const got = Buffer.from(scanner.mac(host, 6, 6 + key.length)).toString('hex');
          expect({ hash, length: key.length, mac: got }).toEqual({
            hash,
            length: key.length,
            mac: crypto.createHmac(hash, key).update(message).digest('hex'),
          });
        }
      }
    }
  });

  it('takes a non-ASCII candidate as its UTF-8 bytes', () => {
    for (const secret of ['pässwörd', '秘密の鍵', 'ключ', '🔑 emoji key', '\u00a0nbsp']) {
      const bytes = Buffer.from(secret, 'utf8');
      for (const hash of HASHES) {
        const target = targetOf(hash, secret);
        const scanner = createHmacScanner(crypto.hash, hash, target.message, target.signature);
        expect(scanner.matches(bytes, 0, bytes.length)).toBe(true);
        expect(scanner.matches(Buffer.from(secret, 'latin1'), 0, Buffer.from(secret, 'latin1').length)).toBe(false);
      }
    }
  });
});

describe('the line scan (scanLines)', () => {
  const scan = (hash: HashName, secret: string, text: string | Buffer) => {
    const target = targetOf(hash, secret);
    const bytes = Buffer.from(text);
    const scanner = createHmacScanner(crypto.hash, hash, target.message, target.signature);
    const result = scanner.scanLines(bytes, 0, bytes.length, null);
    return { ...result, line: result.matchStart === -1 ? null : bytes.subarray(result.matchStart, result.matchEnd).toString() };
  };

  it('reads LF and CRLF lines, and a last line without LF', () => {
    for (const hash of HASHES) {
      expect(scan(hash, 'three', 'one\r\ntwo\nthree\r\nfour')).toMatchObject({ tried: 3, line: 'three' });
      expect(scan(hash, 'four', 'one\r\ntwo\nthree\r\nfour')).toMatchObject({ tried: 4, line: 'four' });
      expect(scan(hash, 'four', 'one\r\ntwo\nthree\r\nfour\r\n')).toMatchObject({ tried: 4, line: 'four' });
    }
  });

  it('tries the empty line as the empty secret, and no line after a final LF', () => {
    expect(scan('sha256', '', 'a\n\nb\n')).toMatchObject({ tried: 2, line: '' });
    expect(scan('sha256', '', 'a\r\n\r\nb\r\n')).toMatchObject({ tried: 2, line: '' });
    expect(scan('sha256', '', 'a\nb\n')).toMatchObject({ tried: 2, matchStart: -1 });
  });

  it('keeps a CR that is not before the LF, and spaces, as part of the secret', () => {
    expect(scan('sha256', 'a\rb', 'a\nb\na\rb\n')).toMatchObject({ tried: 3, line: 'a\rb' });
    expect(scan('sha256', ' padded ', 'padded\n padded \n')).toMatchObject({ tried: 2, line: ' padded ' });
  });

  it('counts every line when nothing matches', () => {
    const target = targetOf('sha256', STRONG_SECRET);
    const scanner = createHmacScanner(crypto.hash, 'sha256', target.message, target.signature);
    expect(scanner.scanLines(LIST_BYTES, 0, LIST_BYTES.length, null)).toEqual({ tried: LIST_LINES.length, matchStart: -1, matchEnd: -1 });
  });

  it('stops soon after the stop flag is raised', () => {
    const target = targetOf('sha256', STRONG_SECRET);
    const scanner = createHmacScanner(crypto.hash, 'sha256', target.message, target.signature);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    Atomics.store(stop, 0, 1);
    const result = scanner.scanLines(LIST_BYTES, 0, LIST_BYTES.length, stop);
    expect(result.matchStart).toBe(-1);
    expect(result.tried).toBeGreaterThan(0);
    expect(result.tried).toBeLessThan(1000);
  });
});

describe('the token target', () => {
  it('reads alg, signing input and signature from any form decode takes', () => {
    const token = hsToken('HS384', 'secret');
    for (const pasted of [token, `Bearer ${token}`, `  "${token}"\n`]) {
      const target = hmacTargetOfText(pasted);
      expect(target.alg).toBe('HS384');
      expect(target.hash).toBe('sha384');
      expect(Buffer.from(target.message).toString()).toBe(token.slice(0, token.lastIndexOf('.')));
      expect(Buffer.from(target.signature).toString('base64url')).toBe(token.slice(token.lastIndexOf('.') + 1));
    }
  });

  it('reads a decoded token the same way (the form lint has)', () => {
    const r = decodeToken(JWT_IO);
    if (!r.ok) throw new Error(r.error.message);
    expect(hmacTargetOf(r.token)).toEqual(hmacTargetOfText(JWT_IO));
  });

  it('takes the flattened JWS JSON serialization', () => {
    const [protectedB64, payload, signature] = hsToken('HS256', 'secret').split('.');
    const target = hmacTargetOfText(JSON.stringify({ protected: protectedB64, payload, signature }));
    expect(target.alg).toBe('HS256');
    expect(Buffer.from(target.message).toString()).toBe(`${protectedB64}.${payload}`);
  });

  const refusedWith = (text: string): unknown => {
    try {
      hmacTargetOfText(text);
    } catch (error) {
      return error instanceof CrackError ? { code: error.code, details: error.details } : error;
    }
    return 'accepted';
  };

  it('refuses what is not an HMAC-signed JWS, saying why', () => {
    const rs = `${b64u('{"alg":"RS256"}')}.${b64u('{}')}.${b64u(crypto.randomBytes(256))}`;
    expect(refusedWith(rs)).toMatchObject({ code: 'not-hmac' });
    expect(refusedWith(`${b64u('{"alg":"none"}')}.${b64u('{}')}.`)).toMatchObject({ code: 'not-jws' });
    expect(refusedWith(`${b64u('{"alg":"dir","enc":"A128GCM"}')}..${b64u('iv')}.${b64u('ct')}.${b64u('tag')}`)).toMatchObject({ code: 'not-jws' });
    const short = hsToken('HS256', 'secret').replace(/\.[^.]+$/, `.${b64u(crypto.randomBytes(31))}`);
    expect(refusedWith(short)).toMatchObject({ code: 'signature-length' });
    const wrongAlg = hsToken('HS512', 'secret').replace(/^[^.]+/, b64u('{"alg":"HS256"}'));
    expect(refusedWith(wrongAlg)).toMatchObject({ code: 'signature-length' });
  });

  it('refuses a token decode refuses, with decode\'s error', () => {
    const decoded = decodeToken('a.b');
    expect(decoded.ok).toBe(false);
    const code = decoded.ok ? null : decoded.error.code;
    expect(refusedWith('a.b')).toMatchObject({ code: 'token-invalid', details: { tokenError: { code } } });
  });
});

describe('the scan on the worker pool', () => {
  let pool: ScanPool;
  let list: KnownSecretsList;
  let tmp: string;

  beforeAll(async () => {
    pool = new ScanPool();
    list = await loadKnownSecretsList(LIST_FILE);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crack-test-'));
  });

  afterAll(async () => {
    await pool.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('a new pool (this thread scans too while its workers start) tries every line exactly once', async () => {
    const fresh = new ScanPool();
    const single = new ScanPool(1);
    try {
      const result = await crackHmac(hmacTargetOfText(hsToken('HS256', STRONG_SECRET)), [{ kind: 'builtin', list }], { pool: fresh });
      expect(result).toMatchObject({ found: false, tried: LIST_LINES.length });
      const found = await crackHmac(hmacTargetOfText(hsToken('HS384', LIST_LINES[3]!)), [{ kind: 'builtin', list }], { pool: single });
      expect(Buffer.from(found.secretBytes!).equals(LIST_LINES[3]!)).toBe(true);
    } finally {
      await Promise.all([fresh.close(), single.close()]);
    }
  });

  it('has one worker per core by default', () => {
    expect(pool.size).toBe(os.availableParallelism());
  });

  it('loads the bundled list into shared memory, every line a candidate', () => {
    expect(list.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(list.lines).toBe(LIST_LINES.length);
    const chunks = [...list.chunks(0)];
    expect(chunks.length).toBeGreaterThan(pool.size);
    expect(Buffer.concat(chunks.map((c) => c.bytes)).equals(LIST_BYTES)).toBe(true);
    for (const c of chunks.slice(0, -1)) expect(c.bytes.at(-1)).toBe(10);
  });

  it("finds jwt.io's default token's secret on the bundled list", async () => {
    const result = await crackHmac(hmacTargetOfText(JWT_IO), [{ kind: 'builtin', list }], { pool });
    expect(result).toMatchObject({ found: true, secret: 'your-256-bit-secret', alg: 'HS256', source: 'builtin' });
    expect(Buffer.from(result.secretBytes!).toString()).toBe('your-256-bit-secret');
    expect(result.tried).toBeGreaterThan(0);
  });

  it('finds secrets of HS384 and HS512 tokens, taken from anywhere on the list', async () => {
    const lines = [LIST_LINES[1]!, LIST_LINES[Math.floor(LIST_LINES.length / 2)]!, LIST_LINES.at(-1)!];
    for (const [i, alg] of (['HS256', 'HS384', 'HS512'] as const).entries()) {
      const secret = lines[i]!;
      const result = await crackHmac(hmacTargetOfText(hsToken(alg, secret)), [{ kind: 'builtin', list }], { pool });
      expect(result.found).toBe(true);
      // The same HMAC: the first line with it (a list can hold a secret twice).
      expect(Buffer.from(result.secretBytes!).equals(secret)).toBe(true);
    }
  });

  it('tries every line of every source when the secret is on none, and reports the count as it goes', async () => {
    const wordlist = path.join(tmp, 'words.txt');
    fs.writeFileSync(wordlist, 'alpha\r\nbeta\r\n\r\ngamma');
    const progress: number[] = [];
    const result = await crackHmac(hmacTargetOfText(hsToken('HS256', STRONG_SECRET)), [{ kind: 'builtin', list }, { kind: 'wordlist', file: wordlist }], {
      pool,
      onProgress: (tried) => progress.push(tried),
    });
    expect(result).toMatchObject({ found: false, secret: null, secretBytes: null, source: null, tried: LIST_LINES.length + 4 });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(result.tried);
  });

  it('finds a secret in a wordlist with CRLF lines, non-ASCII too, naming the wordlist as given', async () => {
    const wordlist = path.join(tmp, 'crlf.txt');
    fs.writeFileSync(wordlist, Buffer.from('first\r\nsecond\r\nmot-de-passe-été-秘密\r\nlast\r\n', 'utf8'));
    const token = hsToken('HS512', 'mot-de-passe-été-秘密');
    const result = await crackHmac(hmacTargetOfText(token), [{ kind: 'builtin', list }, { kind: 'wordlist', file: wordlist }], { pool });
    expect(result).toMatchObject({ found: true, secret: 'mot-de-passe-été-秘密', alg: 'HS512', source: wordlist });
    // Not necessarily all of the built-in list: a worker still on its last chunks stops once the other finds it.
    expect(result.tried).toBeGreaterThan(0);
  });

  it('finds the empty secret', async () => {
    const wordlist = path.join(tmp, 'empty-line.txt');
    fs.writeFileSync(wordlist, 'a\n\nb\n');
    const result = await crackHmac(hmacTargetOfText(hsToken('HS256', '')), [{ kind: 'wordlist', file: wordlist }], { pool });
    expect(result).toMatchObject({ found: true, secret: '', source: wordlist });
  });

  /** The bundled list's chunks, over and over, forever: only a scan that stops can finish. */
  function* endless(): Generator<CandidateChunk> {
    for (;;) yield* list.chunks(0);
  }

  it('stops every worker at the first match (an endless source still ends)', async () => {
    const secret = LIST_LINES[LIST_LINES.length - 5]!;
    const result = await pool.scan(hmacTargetOfText(hsToken('HS256', secret)), endless());
    expect(result.match).not.toBeNull();
    expect(Buffer.from(result.match!.bytes).equals(secret)).toBe(true);
  });

  it('stops on abort: the scan rejects with the reason, and the pool scans again afterwards', async () => {
    const controller = new AbortController();
    const progress = vi.fn((tried: number) => {
      if (tried > 50_000) controller.abort(new Error('enough'));
    });
    await expect(pool.scan(hmacTargetOfText(hsToken('HS256', STRONG_SECRET)), endless(), { signal: controller.signal, onProgress: progress })).rejects.toThrow(
      'enough',
    );
    const calls = progress.mock.calls.length;
    const again = await crackHmac(hmacTargetOfText(JWT_IO), [{ kind: 'builtin', list }], { pool });
    expect(again.secret).toBe('your-256-bit-secret');
    // The aborted scan's workers reported nothing after it ended.
    expect(progress.mock.calls.length).toBe(calls);
  });

  it('refuses to start with a signal already aborted', async () => {
    await expect(pool.scan(hmacTargetOfText(JWT_IO), list.chunks(0), { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reports a worker that fails as worker-failed, and starts new workers for the next scan', async () => {
    const broken: HmacTarget = { ...hmacTargetOfText(JWT_IO), hash: 'no-such-hash' as HashName };
    await expect(pool.scan(broken, list.chunks(0))).rejects.toMatchObject({ name: 'CrackError', code: 'worker-failed' });
    const again = await crackHmac(hmacTargetOfText(JWT_IO), [{ kind: 'builtin', list }], { pool });
    expect(again.secret).toBe('your-256-bit-secret');
  });

  it('reports a wordlist that cannot be read while scanning', async () => {
    const target = hmacTargetOfText(hsToken('HS256', STRONG_SECRET));
    await expect(crackHmac(target, [{ kind: 'wordlist', file: path.join(tmp, 'missing.txt') }], { pool })).rejects.toMatchObject({
      code: 'wordlist-unreadable',
    });
  });
});

describe('the known-secret check (lint, batches)', () => {
  let pool: ScanPool;
  let check: KnownSecretCheck;

  beforeAll(async () => {
    pool = new ScanPool();
    check = new KnownSecretCheck(await loadKnownSecretsList(LIST_FILE), pool);
  });

  afterAll(() => pool.close());

  const decoded = (text: string) => {
    const r = decodeToken(text);
    if (!r.ok) throw new Error(r.error.message);
    return r.token;
  };

  it('finds the secret of an HS token, and answers null for a strong one or a token with no HMAC', async () => {
    expect(await check.check(decoded(JWT_IO))).toEqual({ secret: 'your-256-bit-secret', source: 'builtin' });
    expect(await check.check(decoded(hsToken('HS256', STRONG_SECRET)))).toBeNull();
    expect(await check.check(decoded(`${b64u('{"alg":"none"}')}.${b64u('{}')}.`))).toBeNull();
  });

  it('scans once for a token seen before, and not at all for another token with a secret already found', async () => {
    const scan = vi.spyOn(pool, 'scan');
    const strong = decoded(hsToken('HS384', STRONG_SECRET, { n: 1 }));
    expect(await check.check(strong)).toBeNull();
    expect(await check.check(strong)).toBeNull();
    expect(scan).toHaveBeenCalledTimes(1);
    // Signed with the secret found in the previous test, over other claims.
    const sameKey = decoded(hsToken('HS256', 'your-256-bit-secret', { sub: 'another' }));
    expect(await check.check(sameKey)).toEqual({ secret: 'your-256-bit-secret', source: 'builtin' });
    expect(scan).toHaveBeenCalledTimes(1);
    scan.mockRestore();
  });
});

describe('wordlist streaming', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crack-words-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const collect = async (file: string, chunkBytes: number) => {
    const chunks: Buffer[] = [];
    let longLines = 0;
    for await (const c of wordlistChunks(file, 7, { chunkBytes, onLongLine: () => longLines++ })) {
      expect(c.source).toBe(7);
      expect(c.transfer).toBe(true);
      chunks.push(Buffer.from(c.bytes));
    }
    return { chunks, longLines };
  };

  it('cuts the file into buffers of bounded size, each ending at a line end, together the whole file', async () => {
    const words = Array.from({ length: 2000 }, (_, i) => `word-${i}-${'x'.repeat(i % 37)}`);
    const file = path.join(tmp, 'many.txt');
    fs.writeFileSync(file, `${words.join('\r\n')}\r\n`);
    const { chunks, longLines } = await collect(file, 256);
    expect(longLines).toBe(0);
    expect(chunks.length).toBeGreaterThan(100);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(256);
      expect(c.at(-1)).toBe(10);
    }
    expect(Buffer.concat(chunks).toString()).toBe(fs.readFileSync(file, 'utf8'));
  });

  it('keeps a last line without LF, drops a BOM, and skips (and reports) a line longer than a buffer', async () => {
    const file = path.join(tmp, 'odd.txt');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`first\n${'L'.repeat(1000)}\nafter\nlast`)]));
    const { chunks, longLines } = await collect(file, 64);
    expect(longLines).toBe(1);
    expect(linesOf(Buffer.concat(chunks)).map(String)).toEqual(['first', 'after', 'last']);
  });

  it('refuses a missing file and a folder', async () => {
    await expect(openWordlist(path.join(tmp, 'nope.txt'))).rejects.toMatchObject({ code: 'wordlist-unreadable', message: expect.stringContaining('does not exist') });
    await expect(openWordlist(tmp)).rejects.toMatchObject({ code: 'wordlist-unreadable', message: expect.stringContaining('folder') });
  });
});

describe('where the bundled list is found', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crack-layout-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('from the bundles of dist/ (as in a packaged app.asar): dist/data, before any data/ further up', async () => {
    for (const dir of ['dist/cli', 'dist/web', 'dist/electron', 'data/known-jwt-secrets']) fs.mkdirSync(path.join(tmp, dir), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'dist/data/known-jwt-secrets'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'dist', KNOWN_SECRETS_FILE), 'a\n');
    fs.writeFileSync(path.join(tmp, KNOWN_SECRETS_FILE), 'b\n');
    for (const bundle of ['dist/cli', 'dist/web', 'dist/electron']) {
      expect(await findKnownSecretsList(path.join(tmp, bundle))).toBe(path.join(tmp, 'dist', KNOWN_SECRETS_FILE));
    }
  });

  it('from the sources: the repository\'s data/', async () => {
    expect(await findKnownSecretsList(path.join(repoRoot, 'electron/services/crack'))).toBe(LIST_FILE);
  });

  it('null when no folder above has it, and list-missing when it cannot be read', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'crack-none-'));
    try {
      expect(await findKnownSecretsList(elsewhere)).toBeNull();
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    await expect(loadKnownSecretsList(path.join(tmp, 'missing.list'))).rejects.toMatchObject({ code: 'list-missing' });
  });
});
