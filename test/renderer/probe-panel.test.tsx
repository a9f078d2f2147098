// "Probe a verifier" in the Attacks panel, against a fake host: nothing is asked of the host before Run
// probe; the start carries the token on screen and the form; results polled from probe.status show as they
// arrive; Cancel asks probe.cancel; the summary gives the verdict; refusals show with their code.
import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { ProbeResultView, ProbeRunView } from '../../shared/contract/probe';
import { NOW, createFakeHost, disposeStores, makeToken, renderApp } from './harness';

const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'u1', exp: NOW + 60 });
const URL = 'http://127.0.0.1:8080/api/me';
const WAIT = { timeout: 3_000 };

const refused = (kind: ProbeResultView['kind'], variant: string): ProbeResultView => ({ kind, variant, status: 401, accepted: false });
const accepted = (kind: ProbeResultView['kind'], variant: string): ProbeResultView => ({ kind, variant, status: 200, accepted: true });

function view(runId: string, over: Partial<ProbeRunView>): ProbeRunView {
  return { runId, results: [], original: 200, skipped: [], done: false, cancelled: false, error: null, ...over };
}

const ownStores: ReturnType<typeof createWorkbenchStore>[] = [];
afterEach(() => {
  disposeStores();
  for (const s of ownStores.splice(0)) {
    s.getState().cancelVerify();
    s.getState().dropSecretCheck();
    s.getState().clearHistory();
    s.getState().closeProbe();
  }
});

describe('probe slice', () => {
  function store() {
    const host = createFakeHost();
    const s = createWorkbenchStore({ host, now: () => NOW, verifyDelayMs: 10_000, historyDelayMs: 10_000, probePollMs: 0 });
    ownStores.push(s);
    s.getState().setInput(TOKEN);
    return { host, s };
  }

  it('starts with the token on screen and the form, then applies each status as it arrives', async () => {
    const { host, s } = store();
    s.getState().openProbe();
    s.getState().setProbeField('url', `  ${URL} `);
    s.getState().setProbeField('key', '-----BEGIN PUBLIC KEY-----');
    const running = s.getState().runProbe();
    expect(s.getState().probeRun.phase).toBe('starting');
    const [start] = host.callsTo('probe.start');
    expect(start!.request).toEqual({ url: URL, token: TOKEN, key: '-----BEGIN PUBLIC KEY-----', header: 'Authorization', scheme: 'Bearer' });
    start!.respond({ ok: true, value: { runId: 'r1' } });

    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1));
    expect(s.getState().probeRun).toMatchObject({ phase: 'running', runId: 'r1', results: [] });
    host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('r1', { results: [refused('none', 'none')] }) });
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(2));
    expect(s.getState().probeRun).toMatchObject({ phase: 'running', original: 200, results: [refused('none', 'none')] });

    const all = [refused('none', 'none'), accepted('none', 'None'), refused('psychic', 'ES256')];
    const skipped = [{ kind: 'weak-secret' as const, reason: 'needs the cracked secret' }];
    host.callsTo('probe.status')[1]!.respond({ ok: true, value: view('r1', { results: all, skipped, done: true }) });
    await running;
    expect(s.getState().probeRun).toMatchObject({ phase: 'done', results: all, skipped, error: null });
    expect(host.callsTo('probe.status')).toHaveLength(2);
  });

  it('an empty scheme is sent as the bare-token choice; an empty header leaves the host its default', async () => {
    const { host, s } = store();
    s.getState().setProbeField('url', URL);
    s.getState().setProbeField('header', ' ');
    s.getState().setProbeField('scheme', '');
    void s.getState().runProbe();
    expect(host.callsTo('probe.start')[0]!.request).toEqual({ url: URL, token: TOKEN, scheme: '' });
  });

  it('cancel asks the host to stop the run; the results so far stay', async () => {
    const { host, s } = store();
    s.getState().setProbeField('url', URL);
    const running = s.getState().runProbe();
    host.callsTo('probe.start')[0]!.respond({ ok: true, value: { runId: 'r2' } });
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1));
    host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('r2', { results: [refused('none', 'none')] }) });
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(2));

    void s.getState().cancelProbe();
    expect(s.getState().probeRun.phase).toBe('cancelling');
    expect(host.callsTo('probe.cancel').map((c) => c.request)).toEqual([{ runId: 'r2' }]);
    host.callsTo('probe.cancel')[0]!.respond({ ok: true, value: { cancelled: true } });
    host.callsTo('probe.status')[1]!.respond({
      ok: true,
      value: view('r2', { results: [refused('none', 'none')], done: true, cancelled: true, error: { code: 'probe-cancelled', message: 'cancelled' } }),
    });
    await running;
    expect(s.getState().probeRun).toMatchObject({ phase: 'cancelled', results: [refused('none', 'none')], error: null });
  });

  it('a refused start and a run that stops early keep the host\'s code and message', async () => {
    const { host, s } = store();
    s.getState().setProbeField('url', 'ftp://x');
    await Promise.all([
      s.getState().runProbe(),
      waitFor(() => {
        expect(host.callsTo('probe.start')).toHaveLength(1);
        host.callsTo('probe.start')[0]!.respond({ ok: false, error: { code: 'bad-request', message: 'url: only http and https URLs are fetched, not ftp:' } });
      }),
    ]);
    expect(s.getState().probeRun).toMatchObject({ phase: 'failed', error: { code: 'bad-request', message: 'url: only http and https URLs are fetched, not ftp:' } });

    s.getState().setProbeField('url', URL);
    const running = s.getState().runProbe();
    host.callsTo('probe.start')[1]!.respond({ ok: true, value: { runId: 'r3' } });
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1));
    const error = { code: 'original-refused' as const, message: 'the verifier refused the original token (HTTP 401): the probe needs a token it accepts' };
    host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('r3', { original: null, done: true, error }) });
    await running;
    expect(s.getState().probeRun).toMatchObject({ phase: 'failed', error, results: [] });
  });

  it('closing the section cancels the run in flight and drops its later answers', async () => {
    const { host, s } = store();
    s.getState().openProbe();
    s.getState().setProbeField('url', URL);
    const running = s.getState().runProbe();
    host.callsTo('probe.start')[0]!.respond({ ok: true, value: { runId: 'r4' } });
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1));
    s.getState().closeProbe();
    expect(host.callsTo('probe.cancel').map((c) => c.request)).toEqual([{ runId: 'r4' }]);
    host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('r4', { results: [accepted('none', 'none')] }) });
    await running;
    expect(s.getState().probeOpen).toBe(false);
    expect(s.getState().probeRun).toMatchObject({ phase: 'idle', results: [] });
    expect(host.callsTo('probe.status')).toHaveLength(1);
  });
});

describe('Probe a verifier (panel)', () => {
  async function openProbe() {
    const app = renderApp();
    const opener = screen.getByRole('button', { name: 'Probe a verifier…' }) as HTMLButtonElement;
    expect(opener.disabled).toBe(true);
    await app.user.click(screen.getByRole('textbox', { name: 'Encoded token' }));
    await app.user.paste(TOKEN);
    expect(opener.disabled).toBe(false);
    await app.user.click(opener);
    return { ...app, panel: screen.getByRole('region', { name: 'Probe a verifier' }) };
  }

  it('sends nothing before Run probe; then fills the table live, highlights accepted attacks and gives the verdict', async () => {
    const { user, host, panel } = await openProbe();
    expect(panel.textContent).toContain('Nothing is sent until you press Run probe');
    expect((within(panel).getByRole('textbox', { name: 'Header' }) as HTMLInputElement).value).toBe('Authorization');
    expect((within(panel).getByRole('textbox', { name: 'Scheme' }) as HTMLInputElement).value).toBe('Bearer');
    await user.type(within(panel).getByRole('textbox', { name: 'Verifier URL' }), URL);
    expect(host.callsTo('probe.start')).toHaveLength(0);
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();

    await user.click(within(panel).getByRole('button', { name: 'Run probe' }));
    expect(host.callsTo('probe.start')[0]!.request).toMatchObject({ url: URL, token: TOKEN });
    act(() => host.callsTo('probe.start')[0]!.respond({ ok: true, value: { runId: 'p1' } }));
    expect(within(panel).getByRole('button', { name: 'Cancel' })).toBeTruthy();
    expect((within(panel).getByRole('button', { name: 'Run probe' }) as HTMLButtonElement).disabled).toBe(true);

    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1), WAIT);
    act(() => host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('p1', { results: [refused('none', 'none'), accepted('none', 'None')] }) }));
    const table = await within(panel).findByRole('table', { name: 'Probe results' });
    expect(within(table).getAllByRole('row')).toHaveLength(3); // header + 2
    expect(within(panel).getByRole('status', { name: 'Probe summary' }).textContent).toBe('Original token accepted (HTTP 200); 2 attacks sent, 1 accepted…');

    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(2), WAIT);
    const results = [refused('none', 'none'), accepted('none', 'None'), accepted('embedded-jwk', 'ES256'), { kind: 'jku' as const, variant: 'ES256', status: null, accepted: false, error: 'timeout' }];
    act(() => host.callsTo('probe.status')[1]!.respond({ ok: true, value: view('p1', { results, done: true, skipped: [{ kind: 'key-confusion', reason: 'needs the verifier\'s public key' }] }) }));
    await waitFor(() => expect(within(panel).getByRole('status', { name: 'Probe summary' }).textContent).toBe('2 of 4 attacks accepted — your verifier is vulnerable'));
    const rows = within(within(panel).getByRole('table', { name: 'Probe results' })).getAllByRole('row').slice(1);
    expect(rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent))).toEqual([
      ['none', 'none', '401', 'rejected'],
      ['none', 'None', '200', 'ACCEPTED — verifier failure'],
      ['embedded-jwk', 'ES256', '200', 'ACCEPTED — verifier failure'],
      ['jku', 'ES256', '— (timeout)', 'no answer'],
    ]);
    expect(rows.map((r) => r.classList.contains('probe-accepted'))).toEqual([false, true, true, false]);
    expect(within(panel).getByRole('list', { name: 'Skipped kinds' }).textContent).toContain('key-confusion');
    expect(within(panel).queryByRole('button', { name: 'Cancel' })).toBeNull();
  });

  it('all rejected says so; Cancel stops a run; a refused original shows the CLI\'s message', async () => {
    const { user, host, panel } = await openProbe();
    await user.type(within(panel).getByRole('textbox', { name: 'Verifier URL' }), URL);
    await user.click(within(panel).getByRole('button', { name: 'Run probe' }));
    act(() => host.callsTo('probe.start')[0]!.respond({ ok: true, value: { runId: 'p2' } }));
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(1), WAIT);
    act(() => host.callsTo('probe.status')[0]!.respond({ ok: true, value: view('p2', { results: [refused('none', 'none'), refused('psychic', 'ES256')], done: true }) }));
    await waitFor(() => expect(within(panel).getByRole('status', { name: 'Probe summary' }).textContent).toBe('All 2 attacks rejected (the original token: HTTP 200)'));

    await user.click(within(panel).getByRole('button', { name: 'Run probe' }));
    act(() => host.callsTo('probe.start')[1]!.respond({ ok: true, value: { runId: 'p3' } }));
    await user.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(host.callsTo('probe.cancel').map((c) => c.request)).toEqual([{ runId: 'p3' }]);
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(2), WAIT);
    act(() => host.callsTo('probe.status')[1]!.respond({ ok: true, value: view('p3', { results: [refused('none', 'none')], done: true, cancelled: true }) }));
    await waitFor(() => expect(within(panel).getByRole('status', { name: 'Probe summary' }).textContent).toBe('Cancelled after 1 attack: 0 accepted.'));

    await user.click(within(panel).getByRole('button', { name: 'Run probe' }));
    act(() => host.callsTo('probe.start')[2]!.respond({ ok: true, value: { runId: 'p4' } }));
    await waitFor(() => expect(host.callsTo('probe.status')).toHaveLength(3), WAIT);
    const message = 'the verifier refused the original token (HTTP 401): the probe needs a token it accepts';
    act(() => host.callsTo('probe.status')[2]!.respond({ ok: true, value: view('p4', { original: null, done: true, error: { code: 'original-refused', message } }) }));
    const alert = await within(panel).findByRole('alert');
    expect(alert.textContent).toBe(`original-refused: ${message}`);
    expect(within(panel).queryByRole('table')).toBeNull();

    await user.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'Probe a verifier' })).toBeNull();
  });
});
