/**
 * The `issuer.*` methods of the host contract over the app's IssuerService. Expected failures come back as
 * error Results with stable codes (`issuer-not-running`, `invalid-request`, `not-found`, the key store's
 * `keys-locked`, …), declared in shared/contract/errors.ts and mapped by the dispatcher; anything else is a
 * defect for the dispatcher to answer `internal`.
 */
import type { Handlers } from '../../../shared/contract/methods';
import { answer } from '../../../shared/contract/result';
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

export function createIssuerHandlers(service: IssuerService): Pick<Handlers, IssuerMethod> {
  return {
    'issuer.start': (request) => answer(() => service.start(request)),
    'issuer.stop': () => answer(() => service.stop()),
    'issuer.status': () => answer(() => service.status()),
    'issuer.settings': () => answer(() => service.control((h) => h.api.settings())),
    'issuer.settings.put': (patch) => answer(() => service.control((h) => h.api.putSettings(patch))),
    'issuer.clock': (request) =>
      answer(() => service.control((h) => (Object.keys(request).length === 0 ? h.api.clock() : h.api.adjustClock(request)))),
    'issuer.rotateKeys': () => answer(() => service.control((h) => h.api.rotateKeys())),
    'issuer.families': ({ user }) => answer(() => service.control((h) => h.api.families(user))),
    'issuer.revokeFamily': ({ id }) => answer(() => service.control((h) => ({ family: h.api.revokeFamily(id) }))),
    'issuer.users': () => answer(() => service.control((h) => h.api.users())),
    'issuer.users.put': ({ name, ...body }) => answer(() => service.control((h) => h.api.putUser(name, body))),
    'issuer.log': ({ after }) => answer(() => service.control((h) => h.api.log(after ?? 0))),
    'issuer.request': (request) => answer(() => service.request(request)),
  };
}
