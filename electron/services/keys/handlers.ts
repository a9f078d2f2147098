/**
 * The `keys.*` methods of the host contract over a KeyStoreSession, and crypto.sign / crypto.verify
 * with a stored key (`{ type: 'stored', id }`), which the shared core never sees: the store signs and
 * verifies by id in this process. The store's typed errors are answered by the dispatcher with their codes.
 */
import type { HostKeyInput, PublicExport, StoredKeyInfo, StoredKeyInput } from '../../../shared/contract/keys';
import type { Handlers, RequestOf } from '../../../shared/contract/methods';
import { answer } from '../../../shared/contract/result';
import type { KeyInput } from '../../../shared/core/keys';
import type { SignResult } from '../../../shared/core/sign';
import type { VerifyResult } from '../../../shared/core/verify-types';
import type { SignatureBackend } from '../../../shared/core/verify';
import { KeyStoreError } from './errors';
import { keyFileStem } from './key-files';
import type { KeyInfo } from './service';
import type { KeyStoreSession } from './store-session';

export type KeyMethod =
  | 'keys.status'
  | 'keys.setup'
  | 'keys.unlock'
  | 'keys.reset'
  | 'keys.list'
  | 'keys.generate'
  | 'keys.import'
  | 'keys.update'
  | 'keys.remove'
  | 'keys.exportPublic'
  | 'keys.exportPrivate';

export function isStoredKey(key: HostKeyInput): key is StoredKeyInput {
  return key.type === 'stored';
}

/** crypto.sign with a stored key: the store signs by id; header/payload problems are the core's SignError. */
export async function signWithStoredKey(
  session: KeyStoreSession,
  request: { headerText: string; payloadText: string; key: StoredKeyInput; alg?: string },
): Promise<SignResult> {
  const store = await session.open();
  return store.sign(request.key.id, {
    headerText: request.headerText,
    payloadText: request.payloadText,
    ...(request.alg !== undefined && { alg: request.alg }),
  });
}

export async function verifyWithStoredKey(
  session: KeyStoreSession,
  request: RequestOf<'crypto.verify'> & { key: StoredKeyInput },
  backend?: SignatureBackend,
): Promise<VerifyResult> {
  const store = await session.open();
  return store.verify(request.key.id, request.token, request.options, backend);
}

/** The contract's view of a stored key: the same facts, copied member by member (nothing extra rides along). */
export function toStoredKeyInfo(info: KeyInfo): StoredKeyInfo {
  return {
    id: info.id,
    kid: info.kid,
    label: info.label,
    createdAt: info.createdAt,
    kty: info.kty,
    curve: info.curve,
    size: info.size,
    description: info.description,
    alg: info.alg,
    algorithms: [...info.algorithms],
    thumbprint: info.thumbprint,
    hasPrivate: info.hasPrivate,
    publicJwk: info.publicJwk === null ? null : ({ ...info.publicJwk } as StoredKeyInfo['publicJwk']),
  };
}

export function createKeyHandlers(session: KeyStoreSession): Pick<Handlers, KeyMethod> {
  return {
    'keys.status': () => answer(() => session.status()),
    'keys.setup': (request) => answer(() => session.setup(request)),
    'keys.unlock': ({ passphrase }) => answer(() => session.unlock(passphrase)),
    'keys.reset': () => answer(() => session.reset()),

    'keys.list': ({ alg, purpose }) =>
      answer(async () => {
        const store = await session.open();
        const keys = alg === undefined ? await store.list() : await store.keysForAlg(alg, purpose ?? 'verify');
        return keys.map(toStoredKeyInfo);
      }),

    'keys.generate': ({ alg, bits, kid, label }) =>
      answer(async () => {
        const store = await session.open();
        // The store checks alg against what it generates; generation runs on the thread pool (RSA 4096).
        const info = await store.generate(alg as Parameters<typeof store.generate>[0], {
          ...(bits !== undefined && { bits }),
          ...(kid !== undefined && { kid }),
          ...(label !== undefined && { label }),
        });
        return toStoredKeyInfo(info);
      }),

    'keys.import': ({ input, label }) =>
      answer(async () => {
        const store = await session.open();
        const result = await store.import(input as KeyInput, label === undefined ? {} : { label });
        return { imported: result.imported.map(toStoredKeyInfo), existing: result.existing.map(toStoredKeyInfo) };
      }),

    'keys.update': ({ id, label, kid }) =>
      answer(async () => {
        const store = await session.open();
        if (label === undefined && kid === undefined) throw new KeyStoreError('invalid-argument', 'nothing to change: give a label or a kid');
        return toStoredKeyInfo(await store.update(id, { ...(label !== undefined && { label }), ...(kid !== undefined && { kid }) }));
      }),

    'keys.remove': ({ id }) =>
      answer(async () => {
        const store = await session.open();
        await store.remove(id);
        return { removed: id };
      }),

    'keys.exportPublic': ({ ids, format }) =>
      answer(async (): Promise<PublicExport> => {
        const store = await session.open();
        if (format === 'jwks') {
          const jwks = await store.exportJwks(ids);
          return { format, text: `${JSON.stringify(jwks, null, 2)}\n`, fileName: 'jwks.json', mediaType: 'application/jwk-set+json' };
        }
        if (ids.length !== 1) {
          throw new KeyStoreError('invalid-argument', `a ${format.toUpperCase()} export takes exactly one key (got ${ids.length}); use jwks for several`);
        }
        const id = ids[0] as string;
        const stem = keyFileStem((await store.get(id)).kid);
        if (format === 'jwk') {
          const jwk = await store.exportPublicJwk(id);
          return { format, text: `${JSON.stringify(jwk, null, 2)}\n`, fileName: `${stem}.public.jwk`, mediaType: 'application/jwk+json' };
        }
        return { format, text: await store.exportPublicPem(id), fileName: `${stem}.public.pem`, mediaType: 'application/x-pem-file' };
      }),

    'keys.exportPrivate': ({ id, format, destination }) =>
      answer(async () => {
        const exporter = session.privateExporter;
        if (!exporter || !exporter.destinations.includes(destination)) {
          const offered = exporter?.destinations.join(' or ');
          throw new KeyStoreError(
            'not-supported',
            offered ? `this host exports private keys only to: ${offered}` : 'this host does not export private keys',
          );
        }
        const store = await session.open();
        const key = await store.get(id);
        if (!key.hasPrivate) throw new KeyStoreError('no-private-part', `key ${key.kid} is a public key: it has no private part to export`);
        return exporter.export({ store, key, format, destination });
      }),
  };
}
