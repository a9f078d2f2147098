import type { MethodName, RequestOf, ResponseOf, Result } from '../../../shared/contract';
import type { HostClient } from '../host-client';

/**
 * One host call whose every failure is a Result. The real clients already turn transport failures into
 * error Results; this also covers a client that rejects, so no slice needs its own try/catch for it.
 */
export async function callHost<M extends MethodName>(host: HostClient, method: M, request: RequestOf<M>): Promise<Result<ResponseOf<M>>> {
  try {
    return await host.call(method, request);
  } catch (error) {
    return { ok: false, error: { code: 'network', message: error instanceof Error ? error.message : 'The host did not answer' } };
  }
}
