// A complete Handlers map whose every method answers `not-wired`: tests that fake a few handlers spread
// it first, so they keep compiling (and stay honest) as other features add methods to the contract.
import { METHOD_NAMES } from '../../shared/contract/method-names';
import type { Handlers } from '../../shared/contract/methods';
import { err } from '../../shared/contract/result';

export function notWiredHandlers(calls?: string[]): Handlers {
  const entries = METHOD_NAMES.map((method) => [
    method,
    () => {
      calls?.push(method);
      return err('not-wired', `${method} is not part of this test`);
    },
  ]);
  return Object.fromEntries(entries) as unknown as Handlers;
}
