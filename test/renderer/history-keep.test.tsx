// Issue 3: "History of recent tokens, kept only in memory unless the user opts in to keep it (then stored
// by the host, never in localStorage); a 'clear' action." The toggle and its host calls, with the fake host.
import { act, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryState } from '../../shared/contract/history';
import type { KeysStatus } from '../../shared/contract/keys';
import { NOW, disposeStores, makeToken, renderApp } from './harness';
import type { FakeHost } from './harness';

const A = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', exp: NOW + 600 });
const B = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'bob', exp: NOW + 600 });
const STORED = { token: B, label: 'HS256 · sub bob', at: 1_700_000_000_000 };
const UNLOCKED: KeysStatus = { state: 'unlocked', protection: 'passphrase', setupChoices: ['passphrase'], privateExport: [], keyCount: 0, notice: null };

const toggle = () => screen.getByRole('checkbox', { name: 'Keep history on this computer' }) as HTMLInputElement;
const historyMenu = () => screen.getByRole('combobox', { name: 'History' }) as HTMLSelectElement;
const box = (name: string) => screen.getByRole('textbox', { name }) as HTMLTextAreaElement;

async function paste(user: ReturnType<typeof renderApp>['user'], text: string) {
  await user.click(box('Encoded token'));
  await user.clear(box('Encoded token'));
  await user.paste(text);
}

/** Answers the start-up `history.get` with `state`. */
async function answerGet(host: FakeHost, state: HistoryState) {
  await waitFor(() => expect(host.callsTo('history.get')).toHaveLength(1));
  await act(async () => host.callsTo('history.get')[0]!.respond({ ok: true, value: state }));
}

afterEach(() => {
  disposeStores();
  localStorage.clear();
});

describe('keep history on this computer', () => {
  it('is off by default: the history stays in memory, nothing is sent to the host or put in localStorage', async () => {
    const { user, host } = renderApp();
    await answerGet(host, { enabled: false, entries: [], notice: null });
    expect(toggle().checked).toBe(false);
    expect(toggle().getAttribute('aria-describedby')).toBe('history-keep-note');
    expect(screen.getByText(/in memory only/)).toBeTruthy();

    await paste(user, A);
    await waitFor(() => expect(historyMenu().disabled).toBe(false));
    await new Promise((resolve) => setTimeout(resolve, 40)); // past the save debounce
    expect(host.callsTo('history.save')).toHaveLength(0);
    expect(JSON.stringify({ ...localStorage })).not.toContain(A);
  });

  it('opting in asks the host and saves what is in memory; later visits are saved after a quiet period', async () => {
    const { user, host } = renderApp();
    await answerGet(host, { enabled: false, entries: [], notice: null });
    await paste(user, A);
    await waitFor(() => expect(historyMenu().disabled).toBe(false));

    await user.click(toggle());
    expect(host.callsTo('history.setEnabled').map((c) => c.request)).toEqual([{ enabled: true }]);
    expect(toggle().disabled).toBe(true); // waits for the host
    await act(async () => host.callsTo('history.setEnabled')[0]!.respond({ ok: true, value: { enabled: true, entries: [], notice: null } }));
    expect(toggle().checked).toBe(true);
    expect(toggle().disabled).toBe(false);
    expect(screen.getByText(/untick to delete/)).toBeTruthy();
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(1));
    expect(host.callsTo('history.save')[0]!.request.entries.map((e) => e.token)).toEqual([A]);
    await act(async () => host.callsTo('history.save')[0]!.respond({ ok: true, value: { saved: 1 } }));

    await paste(user, B);
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(2));
    expect(host.callsTo('history.save')[1]!.request.entries.map((e) => e.token)).toEqual([B, A]);
  });

  it('loads the kept entries at start, merged with what this window saw before the answer', async () => {
    const { user, host } = renderApp();
    await paste(user, A);
    await waitFor(() => expect(historyMenu().disabled).toBe(false));
    await answerGet(host, { enabled: true, entries: [STORED], notice: null });
    expect(toggle().checked).toBe(true);
    expect(screen.getByRole('option', { name: /HS256 · sub bob/ })).toBeTruthy();
    expect(screen.getByRole('option', { name: /HS256 · sub alice/ })).toBeTruthy();
    // The window's own entry was not kept yet: it is saved, newest first.
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(1));
    expect(host.callsTo('history.save')[0]!.request.entries.map((e) => e.token)).toEqual([A, B]);
  });

  it('Clear empties the list and the kept copy', async () => {
    const { user, host } = renderApp();
    await answerGet(host, { enabled: true, entries: [STORED], notice: null });
    await user.selectOptions(historyMenu(), 'clear');
    expect(historyMenu().disabled).toBe(true);
    expect(host.callsTo('history.clear')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(host.callsTo('history.save')).toHaveLength(0); // nothing stale re-saved after the clear
  });

  it('opting out asks the host to delete its copy, and the list stays for this window only', async () => {
    const { user, host } = renderApp();
    await answerGet(host, { enabled: true, entries: [STORED], notice: null });
    await user.click(toggle());
    expect(host.callsTo('history.setEnabled').map((c) => c.request)).toEqual([{ enabled: false }]);
    await act(async () => host.callsTo('history.setEnabled')[0]!.respond({ ok: true, value: { enabled: false, entries: [], notice: null } }));
    expect(toggle().checked).toBe(false);
    expect(historyMenu().disabled).toBe(false);
  });

  it("shows the host's notice about a set-aside file, and a failure to save", async () => {
    const { user, host } = renderApp();
    const notice = 'The saved history could not be read, so it was set aside as history.json.unreadable-x and a new, empty one was started.';
    await answerGet(host, { enabled: true, entries: [], notice });
    expect(screen.getByText(notice).getAttribute('role')).toBe('status');

    await paste(user, A);
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(1));
    await act(async () => host.callsTo('history.save')[0]!.respond({ ok: false, error: { code: 'history-io', message: 'Could not write the history file (ENOSPC).' } }));
    expect(screen.getByText('Could not save the history: Could not write the history file (ENOSPC).')).toBeTruthy();
  });

  it('shows that a kept history is encrypted with the key store', async () => {
    const { host } = renderApp();
    await answerGet(host, { enabled: true, entries: [STORED], notice: null, sealed: true, locked: false });
    expect(screen.getByText("On: saved encrypted with the key store's protection; untick to delete.")).toBeTruthy();
  });

  it('while the key store is locked: says so, still saves (held by the host), and loads the merged history once unlocked', async () => {
    const { user, host, store } = renderApp();
    await answerGet(host, { enabled: true, entries: [], notice: null, sealed: true, locked: true });
    expect(toggle().checked).toBe(true);
    expect(screen.getByText(/History is locked until the key store is unlocked/).id).toBe('history-keep-note');

    await paste(user, A);
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(1));
    expect(host.callsTo('history.save')[0]!.request.entries.map((e) => e.token)).toEqual([A]);
    await act(async () => host.callsTo('history.save')[0]!.respond({ ok: true, value: { saved: 1, locked: true } }));
    expect(screen.getByText(/History is locked until the key store is unlocked/)).toBeTruthy();

    // The user unlocks the store (Keys view): the host has merged the held entries into the sealed file.
    const unlocking = store.getState().unlockKeyStore('correct horse battery');
    await waitFor(() => expect(host.callsTo('keys.unlock')).toHaveLength(1));
    await act(async () => host.callsTo('keys.unlock')[0]!.respond({ ok: true, value: UNLOCKED }));
    await waitFor(() => expect(host.callsTo('keys.list')).toHaveLength(1));
    await act(async () => host.callsTo('keys.list')[0]!.respond({ ok: true, value: [] }));
    await unlocking;
    await waitFor(() => expect(host.callsTo('history.get')).toHaveLength(2));
    const visitA = store.getState().history[0]!;
    await act(async () =>
      host.callsTo('history.get')[1]!.respond({ ok: true, value: { enabled: true, entries: [visitA, STORED], notice: null, sealed: true, locked: false } }),
    );
    expect(screen.queryByText(/History is locked/)).toBeNull();
    expect(screen.getByText("On: saved encrypted with the key store's protection; untick to delete.")).toBeTruthy();
    expect(screen.getByRole('option', { name: /HS256 · sub bob/ })).toBeTruthy();
    expect(screen.getByRole('option', { name: /HS256 · sub alice/ })).toBeTruthy();
  });

  it('a save answered unlocked (the store unlocked in another window) loads the merged history', async () => {
    const { user, host } = renderApp();
    await answerGet(host, { enabled: true, entries: [], notice: null, sealed: true, locked: true });
    await paste(user, A);
    await waitFor(() => expect(host.callsTo('history.save')).toHaveLength(1));
    await act(async () => host.callsTo('history.save')[0]!.respond({ ok: true, value: { saved: 1, locked: false } }));
    await waitFor(() => expect(host.callsTo('history.get')).toHaveLength(2));
    await act(async () => host.callsTo('history.get')[1]!.respond({ ok: true, value: { enabled: true, entries: [STORED], notice: null, sealed: true, locked: false } }));
    expect(screen.getByRole('option', { name: /HS256 · sub bob/ })).toBeTruthy();
    expect(screen.queryByText(/History is locked/)).toBeNull();
  });
});
