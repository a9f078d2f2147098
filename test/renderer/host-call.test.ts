import { describe, expect, it } from 'vitest';
import type { HostClient } from '../../renderer/src/host-client';
import { callHost } from '../../renderer/src/store/host-call';

const answering = (result: unknown): HostClient => ({ call: (() => Promise.resolve(result)) as HostClient['call'] });
const rejecting = (reason: unknown): HostClient => ({ call: (() => Promise.reject(reason)) as HostClient['call'] });

describe('callHost', () => {
  it('passes the host Result through untouched, ok or not', async () => {
    const okResult = { ok: true, value: { name: 'JWT Workbench', version: '1', transport: 'http', platform: 'linux' } };
    expect(await callHost(answering(okResult), 'app.info', {})).toBe(okResult);
    const errResult = { ok: false, error: { code: 'bad-request', message: 'no' } };
    expect(await callHost(answering(errResult), 'app.info', {})).toBe(errResult);
  });

  it('turns a rejected call into a network error Result with the reason', async () => {
    expect(await callHost(rejecting(new Error('connection reset')), 'app.info', {})).toEqual({
      ok: false,
      error: { code: 'network', message: 'connection reset' },
    });
    expect(await callHost(rejecting('weird'), 'app.info', {})).toEqual({
      ok: false,
      error: { code: 'network', message: 'The host did not answer' },
    });
  });
});
