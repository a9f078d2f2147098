/**
 * The `issuer.*` methods of the host contract over the app's IssuerService. Expected failures come back as
 * error Results with stable codes (`issuer-not-running`, `invalid-request`, `not-found`, the key store's
 * `keys-locked`, …); anything else is a defect for the dispatcher to answer `internal`.
 */
import type { Handlers } from '../../../shared/contract/methods';
import { err, ok } from '../../../shared/contract/result';
import type { Result } from '../../../shared/contract/result';
import { KeyStoreError } from '../keys/errors';
import { IssuerServiceError } from './service';
import type { IssuerService } from './service';

export type IssuerMethod =
  | 'issuer.start'
  | 'issuer.stop'
  | 'issuer.status'
  | 'issuer.settings'
  | 'issuer.settings.put'
  | 'issuer.clock'
  | 'issuer.rotateKeys'
  | 'issuer.families'
  | 'issuer.revokeFamily'
  | 'issuer.users'
  | 'issuer.users.put'
  | 'issuer.log'
  | 'issuer.request';

async function issuerResult<T>(task: () => T | Promise<T>): Promise<Result<T>> {
  try {
    return ok(await task());
  } catch (error) {
    if (error instanceof IssuerServiceError || error instanceof KeyStoreError) return err(error.code, error.message);
    throw error;
  }
}

export function createIssuerHandlers(service: IssuerService): Pick<Handlers, IssuerMethod> {
  return {
    'issuer.start': (request) => issuerResult(() => service.start(request)),
    'issuer.stop': () => issuerResult(() => service.stop()),
    'issuer.status': () => issuerResult(() => service.status()),
    'issuer.settings': () => issuerResult(() => service.control((h) => h.api.settings())),
    'issuer.settings.put': (patch) => issuerResult(() => service.control((h) => h.api.putSettings(patch))),
    'issuer.clock': (request) =>
      issuerResult(() => service.control((h) => (Object.keys(request).length === 0 ? h.api.clock() : h.api.adjustClock(request)))),
    'issuer.rotateKeys': () => issuerResult(() => service.control((h) => h.api.rotateKeys())),
    'issuer.families': ({ user }) => issuerResult(() => service.control((h) => h.api.families(user))),
    'issuer.revokeFamily': ({ id }) => issuerResult(() => service.control((h) => ({ family: h.api.revokeFamily(id) }))),
    'issuer.users': () => issuerResult(() => service.control((h) => h.api.users())),
    'issuer.users.put': ({ name, ...body }) => issuerResult(() => service.control((h) => h.api.putUser(name, body))),
    'issuer.log': ({ after }) => issuerResult(() => service.control((h) => h.api.log(after ?? 0))),
    'issuer.request': (request) => issuerResult(() => service.request(request)),
  };
}
