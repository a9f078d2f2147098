/**
 * The contract's method names and their IPC channels, and nothing else: the preload is bundled into one
 * sandboxed file and inlines this module, without the validators of methods.ts.
 * Adding a method: add its name here and its entry in methods.ts (the compiler insists on both).
 */
export const METHOD_NAMES = [
  'app.info',
  'app.pendingOpen',
  'app.notify',
  'crypto.verify',
  'crypto.sign',
  'crypto.decrypt',
  'crypto.encrypt',
  'jwks.fetch',
  'dpop.create',
  'dpop.check',
  'keys.discover',
  'keys.status',
  'keys.setup',
  'keys.unlock',
  'keys.reset',
  'keys.list',
  'keys.generate',
  'keys.import',
  'keys.update',
  'keys.remove',
  'keys.exportPublic',
  'keys.exportPrivate',
  'issuer.start',
  'issuer.stop',
  'issuer.status',
  'issuer.settings',
  'issuer.settings.put',
  'issuer.clock',
  'issuer.rotateKeys',
  'issuer.families',
  'issuer.revokeFamily',
  'issuer.users',
  'issuer.users.put',
  'issuer.log',
  'issuer.request',
  'history.get',
  'history.setEnabled',
  'history.save',
  'history.clear',
  'secrets.check',
  'secrets.cancel',
  'probe.start',
  'probe.status',
  'probe.cancel',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];

const names: ReadonlySet<string> = new Set(METHOD_NAMES);

export function isMethodName(name: string): name is MethodName {
  return names.has(name);
}

/** The fixed IPC channel of a method. Prefixed so no other `ipcMain.handle` user can collide with it. */
export function channelOf(method: MethodName): `workbench:${MethodName}` {
  return `workbench:${method}`;
}
