/**
 * What the renderer needs from a host: one typed call per contract method. The real client
 * (./host.ts) implements it over Electron IPC or HTTP; component tests pass a fake through
 * createWorkbenchStore, so nothing else in the UI knows which transport it runs on.
 */
import type { MethodName, RequestOf, ResultOf } from '../../shared/contract';

export interface HostClient {
  call<M extends MethodName>(method: M, request: RequestOf<M>): Promise<ResultOf<M>>;
}
