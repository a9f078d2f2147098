import { KeyStore, KeyStoreError, isGenerateAlg, GENERATE_ALGS, type KeyInfo, type Protection } from '../../services/keys';
import type { SetAsideKeyInfo } from '../../../shared/contract/keys';
import type { KeyInput, SecretEncoding } from '../../../shared/core/keys';
import { KeyError, SECRET_ENCODINGS } from '../../../shared/core/keys';
import { flagOption, stringOption, type OptionValues } from '../args';
import type { Command } from '../command';
import { readTextFile } from '../files';
import { InputError, UsageError } from '../usage-error';
import { PASSPHRASE_ENV } from './issuer';

const IMPORT_FORMATS = ['auto', 'pem', 'jwk', 'jwks', 'secret'] as const;

export const keysCommand: Command = {
  name: 'keys',
  summary: 'list, generate, import and export keys of a key store folder',
  help: `Usage: jwtdbg keys list --data DIR [--json]
       jwtdbg keys generate ALG --data DIR [--bits N] [--kid KID] [--label TEXT]
       jwtdbg keys import FILE --data DIR [--format auto|pem|jwk|jwks|secret] [--secret-encoding ENC]
                          [--label TEXT]
       jwtdbg keys export KEY... --data DIR [--format jwk|pem|jwks]
  (each with --passphrase-file FILE, $${PASSPHRASE_ENV}, or --unencrypted-test-store)

Works on the key store in DIR (the same file the desktop app and \`npm run web --data-dir DIR\` use,
when it is protected by a passphrase or is an unencrypted test store). A new store is created with
the passphrase given, or unencrypted only with --unencrypted-test-store.
KEY is a key's id or kid. export prints public material only: a JWK, an SPKI PEM, or a JWKS.

Options:
  --data DIR               the data folder holding keys.json (required)
  --passphrase-file FILE   read the passphrase from FILE's first line (never from argv: ps shows it)
  --unencrypted-test-store open or create an unencrypted store (test keys only)
  --format FMT             import: how FILE is written (default auto-detect); export: jwk (default
                           for one key), pem, or jwks (default for several)
  --secret-encoding ENC    import --format secret: ${SECRET_ENCODINGS.join(', ')} (default utf8)
  --bits N, --kid KID      generate: as for \`jwtdbg keygen\`
  --label TEXT             a label for generated or imported keys
  --json                   list: the keys as a JSON array — or, when opening the store set something
                           aside, {"keys": [...], "setAside": [{id, kid, label, reason, file}],
                           "storeSetAside": [{file, reason}]}
  -h, --help               show this help

A damaged entry of the store (edited by hand, corrupted) is moved to a keys.json.damaged-* file and the
other keys keep working; a store file that cannot be read at all is moved to keys.json.corrupt-*.

Exit status: 0 done; 1 list: entries (or the whole store) were set aside, see stderr; 2 bad usage, wrong
passphrase, or a key that cannot be imported or found.`,
  options: {
    data: { type: 'string' },
    'passphrase-file': { type: 'string' },
    'unencrypted-test-store': { type: 'boolean' },
    format: { type: 'string' },
    'secret-encoding': { type: 'string' },
    bits: { type: 'string' },
    kid: { type: 'string' },
    label: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [action, ...rest] = positionals;
    if (action === undefined) throw new UsageError('give an action: list, generate, import or export', 'keys');
    if (!['list', 'generate', 'import', 'export'].includes(action)) {
      throw new UsageError(`unknown action ${JSON.stringify(action.slice(0, 32))}: list, generate, import or export`, 'keys');
    }
    const dataDir = stringOption(values, 'data');
    if (dataDir === undefined || dataDir === '') throw new UsageError('--data DIR is required', 'keys');
    const protection = await readProtection(values, io.env);
    const label = stringOption(values, 'label');

    let store: KeyStore;
    try {
      store = await KeyStore.open({ dataDir, protection });
    } catch (error) {
      throw asCliError(error);
    }
    for (const recovery of store.recoveries) io.stderr.write(`jwtdbg keys: ${recovery.message}\n`);

    try {
      switch (action) {
        case 'list': {
          if (rest.length > 0) throw new UsageError('list takes no arguments', 'keys');
          const keys = await store.list();
          // Read after list(): it may itself find (and set aside) an entry damaged since the store was opened.
          const setAside = store.setAsideEntries;
          const storeSetAside = store.recoveries.filter((r) => r.scope === 'store').map((r) => ({ file: r.movedTo, reason: r.reason }));
          const damaged = setAside.length > 0 || storeSetAside.length > 0;
          for (const entry of setAside) io.stderr.write(`jwtdbg keys: set aside ${describeSetAside(entry)}\n`);
          if (flagOption(values, 'json')) {
            io.stdout.write(`${JSON.stringify(damaged ? { keys, setAside, storeSetAside } : keys, null, 2)}\n`);
          } else {
            io.stdout.write(keys.length === 0 ? 'no keys\n' : `${keys.map(describe).join('\n')}\n`);
          }
          return damaged ? 1 : 0;
        }
        case 'generate': {
          if (rest.length !== 1) throw new UsageError('generate takes one ALG', 'keys');
          const alg = rest[0] as string;
          if (!isGenerateAlg(alg)) throw new UsageError(`ALG is one of ${GENERATE_ALGS.join(', ')}`, 'keys');
          const bits = stringOption(values, 'bits');
          if (bits !== undefined && !/^\d{1,6}$/.test(bits)) throw new UsageError('--bits must be a whole number', 'keys');
          const kid = stringOption(values, 'kid');
          const key = await store.generate(alg, {
            ...(bits !== undefined && { bits: Number(bits) }),
            ...(kid !== undefined && { kid }),
            ...(label !== undefined && { label }),
          });
          io.stdout.write(`${JSON.stringify(key, null, 2)}\n`);
          return 0;
        }
        case 'import': {
          if (rest.length !== 1) throw new UsageError('import takes one FILE', 'keys');
          const text = await readTextFile(rest[0] as string, 'key file', 'keys');
          const result = await store.import(importInput(values, text), label === undefined ? {} : { label });
          io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return 0;
        }
        case 'export': {
          if (rest.length === 0) throw new UsageError('export takes one or more KEY (id or kid)', 'keys');
          const all = await store.list();
          const ids = rest.map((ref) => findKey(all, ref).id);
          const format = stringOption(values, 'format') ?? (ids.length > 1 ? 'jwks' : 'jwk');
          if (format === 'jwks') io.stdout.write(`${JSON.stringify(await store.exportJwks(ids), null, 2)}\n`);
          else if (ids.length > 1) throw new UsageError(`--format ${format} exports one key; use jwks for several`, 'keys');
          else if (format === 'jwk') io.stdout.write(`${JSON.stringify(await store.exportPublicJwk(ids[0] as string), null, 2)}\n`);
          else if (format === 'pem') io.stdout.write(await store.exportPublicPem(ids[0] as string));
          else throw new UsageError('export --format must be jwk, pem or jwks', 'keys');
          return 0;
        }
      }
    } catch (error) {
      throw asCliError(error);
    }
    return 2;
  },
};

async function readProtection(values: OptionValues, env: Record<string, string | undefined>): Promise<Protection> {
  const file = stringOption(values, 'passphrase-file');
  const unencrypted = flagOption(values, 'unencrypted-test-store');
  if (file !== undefined && unencrypted) throw new UsageError('give either --passphrase-file or --unencrypted-test-store', 'keys');
  if (unencrypted) return { kind: 'unencrypted-test-store' };
  const passphrase = file !== undefined ? (await readTextFile(file, 'passphrase file', 'keys')).split(/\r?\n/, 1)[0] : env[PASSPHRASE_ENV];
  if (passphrase === undefined || passphrase === '') {
    throw new UsageError(`the key store needs a passphrase (--passphrase-file FILE or $${PASSPHRASE_ENV}) or --unencrypted-test-store`, 'keys');
  }
  return { kind: 'passphrase', passphrase };
}

function importInput(values: OptionValues, text: string): KeyInput {
  const format = stringOption(values, 'format') ?? 'auto';
  const encoding = stringOption(values, 'secret-encoding');
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`import --format must be one of ${IMPORT_FORMATS.join(', ')}`, 'keys');
  if (encoding !== undefined && format !== 'secret') throw new UsageError('--secret-encoding applies only to --format secret', 'keys');
  if (format === 'secret') {
    const enc = (encoding ?? 'utf8') as SecretEncoding;
    if (!SECRET_ENCODINGS.includes(enc)) throw new UsageError(`--secret-encoding must be one of ${SECRET_ENCODINGS.join(', ')}`, 'keys');
    // A secret file's trailing line break is the editor's, not the secret's.
    return { type: 'secret', value: text.replace(/\r?\n$/, ''), encoding: enc };
  }
  return { type: format as 'auto' | 'pem' | 'jwk' | 'jwks', value: text };
}

function findKey(keys: KeyInfo[], ref: string): KeyInfo {
  const byId = keys.find((k) => k.id === ref);
  if (byId) return byId;
  const byKid = keys.filter((k) => k.kid === ref);
  if (byKid.length === 1) return byKid[0] as KeyInfo;
  if (byKid.length > 1) throw new InputError(`${byKid.length} keys have kid ${JSON.stringify(ref)}; name one by its id`, 'keys');
  throw new InputError(`no key has id or kid ${JSON.stringify(ref.slice(0, 80))}`, 'keys');
}

function describe(key: KeyInfo): string {
  const algs = key.algorithms.join(',') || '-';
  return `${key.id}  ${key.kid}  ${key.description}  ${algs}${key.hasPrivate ? '' : '  (public only)'}  ${key.label}`;
}

function describeSetAside(entry: SetAsideKeyInfo): string {
  const name = entry.id !== null ? `entry id ${entry.id}${entry.kid !== null ? ` (kid ${entry.kid})` : ''}` : 'an entry without a valid id';
  return `${name}: ${entry.reason}; kept in ${entry.file}`;
}

function asCliError(error: unknown): unknown {
  // An import refused by the core key importer carries its KeyError (pem-encrypted, jwk-invalid, …).
  if (error instanceof KeyStoreError || error instanceof KeyError) return new InputError(`${error.code}: ${error.message}`, 'keys');
  return error;
}
