import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeToken } from '../../../shared/core/decode';
import type { TokenErrorInfo } from '../../../shared/core/errors';
import {
  checkWordlist,
  crackHmac,
  CrackError,
  findKnownSecretsList,
  hmacTargetOf,
  loadKnownSecretsList,
  ScanPool,
  WORDLIST_CHUNK_BYTES,
  type CrackResult,
  type HmacTarget,
  type SecretSource,
} from '../../services/crack';
import { flagOption, listOption, singleTokenArgument } from '../args';
import type { Command } from '../command';
import { describeTokenError } from '../format';
import type { CliIo } from '../io';
import type { Style } from '../style';
import { runOnTokens, type TokenFailure } from '../token-runner';
import { InputError, UsageError } from '../usage-error';

/** The `crack --json` line of a token that was scanned. */
export interface CrackJson {
  found: boolean;
  secret: string | null;
  alg: string;
  tried: number;
  seconds: number;
  /** 'builtin', or the wordlist as named on the command line; null when not found. */
  source: string | null;
}

/** A token of a stdin batch that could not be scanned: the same members, and why. */
export interface CrackRefusedJson extends Omit<CrackJson, 'alg'> {
  alg: string | null;
  error: { code: string; message: string };
}

type CrackOutcome = { scanned: true; result: CrackResult } | { scanned: false; alg: string | null; error: { code: string; message: string } };

export function crackJson(result: CrackResult): CrackJson {
  return {
    found: result.found,
    secret: result.secret,
    alg: result.alg,
    tried: result.tried,
    seconds: Math.round(result.seconds * 1000) / 1000,
    source: result.source,
  };
}

function refusedJson(alg: string | null, error: { code: string; message: string }): CrackRefusedJson {
  return { found: false, secret: null, alg, tried: 0, seconds: 0, source: null, error: { code: error.code, message: error.message } };
}

function crackText(outcome: CrackOutcome, style: Style): string {
  if (!outcome.scanned) return style.bad(`cannot crack: ${outcome.error.code}: ${outcome.error.message}`);
  const r = outcome.result;
  const tried = `${r.tried.toLocaleString('en-US')} tried in ${r.seconds.toFixed(2)} s`;
  if (!r.found) return style.ok(`✓ not found: no candidate is the ${r.alg} secret (${tried})`);
  const where = r.source === 'builtin' ? 'the built-in list of publicly known secrets' : `wordlist ${r.source ?? ''}`;
  return [
    style.bad(`✗ ${r.alg} secret found: ${JSON.stringify(r.secret)}`),
    `  in ${where} (${tried}): anyone holding a token can sign tokens of their own; use a random secret of at least ${hashBytes(r.alg)} bytes`,
  ].join('\n');
}

function hashBytes(alg: string): number {
  return alg === 'HS512' ? 64 : alg === 'HS384' ? 48 : 32;
}

/** The token's scan target, or why it has none: decode's error, or not an HMAC-signed JWS. */
function readTarget(text: string): { ok: true; target: HmacTarget } | { ok: false; alg: string | null; error: { code: string; message: string } } {
  const decoded = decodeToken(text);
  if (!decoded.ok) return { ok: false, alg: null, error: decodeError(decoded.error) };
  try {
    return { ok: true, target: hmacTargetOf(decoded.token) };
  } catch (error) {
    if (!(error instanceof CrackError)) throw error;
    const alg = decoded.token.header.alg;
    return { ok: false, alg: typeof alg === 'string' ? alg : null, error: { code: error.code, message: error.message } };
  }
}

function decodeError(error: TokenErrorInfo): { code: string; message: string } {
  return { code: error.code, message: `the token does not decode: ${describeTokenError(error)}` };
}

/** A one-line progress display on stderr, redrawn at most every 100 ms; only on a terminal. */
function progressLine(io: CliIo): { update(tried: number): void; clear(): void } {
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true;
  let shown = 0;
  let drawn = false;
  const started = performance.now();
  return {
    update(tried) {
      if (!tty) return;
      const now = performance.now();
      if (now - shown < 100) return;
      shown = now;
      drawn = true;
      const rate = tried / Math.max((now - started) / 1000, 0.001);
      io.stderr.write(`\r\x1b[Kcrack: ${tried.toLocaleString('en-US')} tried (${Math.round(rate).toLocaleString('en-US')}/s)`);
    },
    clear() {
      if (drawn) io.stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}

/** The folder of this module as it runs: dist/cli in the bundle, electron/cli/commands in the sources. */
function runningFrom(): string {
  return path.dirname(fileURLToPath(import.meta.url));
}

export const crackCommand: Command = {
  name: 'crack',
  summary: 'look for an HS256/384/512 secret in the built-in list of known secrets and wordlists',
  help: `Usage: jwtdbg crack [TOKEN] [--wordlist FILE]... [--no-builtin] [--json]

Tries candidate secrets on an HS256/384/512 token until one makes its signature: first the
built-in list of publicly known JWT secrets (Wallarm's jwt-secrets, about 104,000), then each
wordlist in the order given, on all CPU cores. A secret that is found is weak: anyone holding one
token can sign tokens of their own. Without TOKEN, reads tokens from stdin, one per line, and
prints one JSON line per token.

Options:
  --wordlist FILE   also try every line of FILE (repeatable): one secret per line, LF or CRLF,
                    read as bytes (UTF-8 text is tried as UTF-8); streamed, so any size works.
                    The empty line is the empty secret; lines over ${WORDLIST_CHUNK_BYTES / 1024} KiB are skipped
  --no-builtin      do not try the built-in list (then give at least one --wordlist)
  --json            machine output: {"found","secret","alg","tried","seconds","source"};
                    source: "builtin", the wordlist as given, or null when not found. On stdin,
                    a token that cannot be tried has the same members plus "error": {"code","message"}
  -h, --help        show this help

Progress (candidates tried) is shown on stderr when it is a terminal.

Exit status: 0 not found; 1 found (the key is weak; for stdin: any token); 2 bad usage, an
unreadable wordlist, or a token that is not an HMAC-signed JWS (for stdin: any, when none was found).`,
  options: {
    wordlist: { type: 'string', multiple: true },
    'no-builtin': { type: 'boolean' },
  },
  async run({ values, positionals }, io) {
    const token = singleTokenArgument('crack', positionals);
    const asJson = flagOption(values, 'json');
    const wordlists = listOption(values, 'wordlist');
    const builtin = !flagOption(values, 'no-builtin');
    if (!builtin && wordlists.length === 0) {
      throw new UsageError('nothing to try: --no-builtin needs at least one --wordlist FILE', 'crack');
    }
    // Refuse a single bad token, or a wordlist that cannot be read, before any work starts.
    if (token !== undefined) {
      const read = readTarget(token);
      if (!read.ok) throw new InputError(`cannot crack this token: ${read.error.code}: ${read.error.message}`, 'crack');
    }
    for (const file of wordlists) {
      try {
        await checkWordlist(file);
      } catch (error) {
        if (error instanceof CrackError) throw new InputError(error.message, 'crack');
        throw error;
      }
    }
    const listFile = builtin ? await findKnownSecretsList(runningFrom()) : null;
    if (builtin && listFile === null) {
      throw new InputError('the built-in list of known secrets is missing from this installation (data/known-jwt-secrets/jwt.secrets.list); use --no-builtin --wordlist FILE', 'crack');
    }
    const pool = new ScanPool();
    // The workers start while the list is read.
    pool.prestart();
    const longLines = new Set<string>();
    let found = false;
    let refused = false;
    try {
      const sources: SecretSource[] = [];
      if (listFile !== null) {
        try {
          sources.push({ kind: 'builtin', list: await loadKnownSecretsList(listFile) });
        } catch (error) {
          if (error instanceof CrackError) throw new InputError(error.message, 'crack');
          throw error;
        }
      }
      for (const file of wordlists) sources.push({ kind: 'wordlist', file });
      await runOnTokens<CrackOutcome>(io, 'crack', token, asJson, {
        async handle(text) {
          const read = readTarget(text);
          if (!read.ok) {
            refused = true;
            return { scanned: false, alg: read.alg, error: read.error };
          }
          const progress = progressLine(io);
          try {
            const result = await crackHmac(read.target, sources, {
              pool,
              onProgress: (tried) => progress.update(tried),
              onLongLine: (file) => longLines.add(file),
            });
            if (result.found) found = true;
            return { scanned: true, result };
          } finally {
            progress.clear();
          }
        },
        ok: (outcome) => outcome.scanned && !outcome.result.found,
        json: (outcome) => (outcome.scanned ? crackJson(outcome.result) : refusedJson(outcome.alg, outcome.error)),
        text: crackText,
        failure(error: TokenFailure) {
          refused = true;
          return refusedJson(null, error);
        },
      });
    } finally {
      await pool.close();
    }
    for (const file of longLines) {
      io.stderr.write(`jwtdbg crack: warning: lines of wordlist '${file}' longer than ${WORDLIST_CHUNK_BYTES / 1024} KiB were skipped\n`);
    }
    // Not runOnTokens' own code: here 1 means a secret was found, and 2 a token that could not be tried
    // (a handler that throws, or a line too long, is answered through failure() above).
    return found ? 1 : refused ? 2 : 0;
  },
};
