// Desktop integration in the page: the command palette, actions sent by the Electron menu, tokens opened
// from outside (pulled with app.pendingOpen), files dropped on the window or chosen with Open, the theme.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AppEvent, PendingOpen } from '../../shared/contract/desktop';
import { APP_COMMANDS, filterCommands, formatAccelerator, planPin, readTokenFile } from '../../renderer/src/commands';
import { THEME_STORAGE_KEY, cycleThemePreference, getThemePreference } from '../../renderer/src/theme';
import { disposeStores, fakeAppEvents, makeToken, paneText, renderApp } from './harness';

const TOKEN = makeToken({ alg: 'HS256', typ: 'JWT' }, { sub: 'alice' });
const OTHER = makeToken({ alg: 'HS256' }, { sub: 'bob' });

afterEach(() => {
  disposeStores();
  localStorage.clear();
  delete document.documentElement.dataset.theme;
  Reflect.deleteProperty(window, 'workbench');
  Reflect.deleteProperty(window, 'workbenchEvents');
});

const notice = () => document.querySelector('.desktop-notice[role="status"]')?.textContent ?? '';
const selectedTab = () => screen.getAllByRole('tab').find((t) => t.getAttribute('aria-selected') === 'true')!.textContent;

describe('the command palette', () => {
  it('opens with Ctrl+K, filters as you type, runs the chosen action with Enter and closes', async () => {
    const { user } = renderApp();
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
    await user.keyboard('{Control>}k{/Control}');
    const dialog = screen.getByRole('dialog', { name: 'Command palette' });
    const input = within(dialog).getByRole('combobox', { name: 'Command' });
    expect(document.activeElement).toBe(input);
    expect(within(dialog).getAllByRole('option').map((o) => o.textContent)).toContain('Switch to StepperCtrl+4');
    await user.type(input, 'switch iss');
    const options = within(dialog).getAllByRole('option');
    expect(options.map((o) => o.firstChild!.textContent)).toEqual(['Switch to Issuer']);
    expect(input.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(selectedTab()).toBe('Issuer');
  });

  it('moves through the list with the arrow keys (wrapping), and Escape closes it and returns focus', async () => {
    const { user } = renderApp();
    const tab = screen.getByRole('tab', { name: 'Debugger' });
    tab.focus();
    await user.keyboard('{Control>}k{/Control}');
    const input = screen.getByRole('combobox', { name: 'Command' });
    await user.type(input, 'switch to');
    const dialog = screen.getByRole('dialog', { name: 'Command palette' });
    const options = within(dialog).getAllByRole('option');
    expect(options).toHaveLength(4);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(options[2]!.getAttribute('aria-selected')).toBe('true');
    expect(input.getAttribute('aria-activedescendant')).toBe(options[2]!.id);
    await user.keyboard('{ArrowUp}{ArrowUp}{ArrowUp}');
    expect(options[3]!.getAttribute('aria-selected')).toBe('true');
    await user.clear(input);
    await user.type(input, 'zzz');
    expect(within(dialog).queryAllByRole('option')).toHaveLength(0);
    expect(screen.getByText('No command matches')).toBeTruthy();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('dialog')).toBeTruthy();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(tab);
    expect(selectedTab()).toBe('Debugger');
  });

  it('copies the token on screen and pastes one from the clipboard', async () => {
    const { user, store } = renderApp();
    act(() => store.getState().setInput(TOKEN));
    await user.keyboard('{Control>}k{/Control}');
    await user.click(within(screen.getByRole('dialog')).getByRole('option', { name: /Copy token/ }));
    await waitFor(() => expect(notice()).toContain('Copied the token'));
    expect(await navigator.clipboard.readText()).toBe(TOKEN);

    await navigator.clipboard.writeText(`  ${OTHER}\n`);
    await user.click(screen.getByRole('tab', { name: 'Keys' }));
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Command' }), 'paste{Enter}');
    await waitFor(() => expect(store.getState().input).toBe(OTHER));
    expect(selectedTab()).toBe('Debugger');
  });

  it('Examples… shows the Debugger with its Examples menu focused', async () => {
    const { user } = renderApp();
    await user.click(screen.getByRole('tab', { name: 'Issuer' }));
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Command' }), 'examples{Enter}');
    expect(selectedTab()).toBe('Debugger');
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('combobox', { name: 'Examples' })));
  });

  it('clears the token and switches views and theme by action', async () => {
    const { user, store } = renderApp();
    act(() => store.getState().setInput(TOKEN));
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Command' }), 'clear{Enter}');
    expect(store.getState().input).toBe('');
    expect(paneText('Encoded token')).toBe('');
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Command' }), 'theme{Enter}');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(notice()).toContain('Theme: dark');
  });
});

describe('opening files in the page', () => {
  it('opens a dropped .jwt file in the debugger, from any view', async () => {
    const { user, store } = renderApp();
    await user.click(screen.getByRole('tab', { name: 'Stepper' }));
    const file = new File([`${TOKEN}\n`], 'dropped.jwt', { type: '' });
    const over = fireEvent.dragOver(window, { dataTransfer: { types: ['Files'], files: [file] } });
    expect(over).toBe(false); // default prevented: the drop is accepted
    expect(document.documentElement.classList.contains('drop-target')).toBe(true);
    fireEvent.drop(window, { dataTransfer: { types: ['Files'], files: [file] } });
    await waitFor(() => expect(store.getState().input).toBe(TOKEN));
    expect(selectedTab()).toBe('Debugger');
    expect(notice()).toContain('Opened dropped.jwt');
    expect(document.documentElement.classList.contains('drop-target')).toBe(false);
  });

  it('refuses binary and oversized files, saying why, and leaves the token alone', async () => {
    const { store } = renderApp();
    act(() => store.getState().setInput(TOKEN));
    fireEvent.drop(window, { dataTransfer: { types: ['Files'], files: [new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1])], 'image.png')] } });
    await waitFor(() => expect(notice()).toContain("'image.png' is not a text file"));
    fireEvent.drop(window, { dataTransfer: { types: ['Files'], files: [new File(['a'.repeat(1024 * 1024 + 1)], 'huge.jwt')] } });
    await waitFor(() => expect(notice()).toContain("'huge.jwt' is larger than 1 MiB"));
    expect(store.getState().input).toBe(TOKEN);
  });

  it('leaves drags of text alone (the editors handle those)', () => {
    renderApp();
    expect(fireEvent.dragOver(window, { dataTransfer: { types: ['text/plain'], files: [] } })).toBe(true);
  });

  it('Open token file… reads the chosen file', async () => {
    const { user, store } = renderApp();
    const input = screen.getByTestId('open-token-file') as HTMLInputElement;
    const click = vi.spyOn(input, 'click');
    await user.keyboard('{Control>}k{/Control}');
    await user.type(screen.getByRole('combobox', { name: 'Command' }), 'open token{Enter}');
    expect(click).toHaveBeenCalled();
    await user.upload(input, new File([OTHER], 'chosen.txt', { type: 'text/plain' }));
    await waitFor(() => expect(store.getState().input).toBe(OTHER));
  });

  it('readTokenFile trims and drops a BOM; an empty file is refused', async () => {
    expect(await readTokenFile(new File([`\uFEFF ${TOKEN} `], 't.jwt'))).toEqual({ ok: true, source: 'drop', token: TOKEN, name: 't.jwt' });
    expect(await readTokenFile(new File([' \n'], 'e.jwt'))).toEqual({ ok: false, source: 'drop', message: "'e.jwt' is empty" });
  });
});

describe('in Electron', () => {
  let listeners: ((event: AppEvent) => void)[];
  let queue: PendingOpen[];
  let pulls: number;
  let notifications: { title: string; body: string }[];

  beforeEach(() => {
    listeners = fakeAppEvents();
    queue = [];
    pulls = 0;
    notifications = [];
    Object.defineProperty(window, 'workbench', {
      configurable: true,
      value: {
        'app.notify': async (request: { title: string; body: string }) => {
          notifications.push(request);
          return { ok: true, value: { shown: true } };
        },
        'app.pendingOpen': async () => {
          pulls++;
          return { ok: true, value: { opens: queue.splice(0) } };
        },
      },
    });
  });
  const send = (event: AppEvent) => act(() => listeners.forEach((l) => l(event)));

  it('pulls tokens waiting at start, and again whenever main says one is waiting', async () => {
    queue.push({ ok: true, source: 'command-line', token: TOKEN, name: 'start.jwt' });
    const { user, store, unmount } = renderApp();
    await waitFor(() => expect(store.getState().input).toBe(TOKEN));
    expect(notice()).toContain('Opened start.jwt');

    await user.click(screen.getByRole('tab', { name: 'Keys' }));
    queue.push({ ok: true, source: 'link', token: OTHER, name: null });
    send({ type: 'open-pending' });
    await waitFor(() => expect(store.getState().input).toBe(OTHER));
    expect(selectedTab()).toBe('Debugger');
    expect(notice()).toContain('Opened the token from a jwtdbg:// link');

    queue.push({ ok: false, source: 'link', message: 'The jwtdbg:// link does not carry a token that decodes' });
    send({ type: 'open-pending' });
    await waitFor(() => expect(notice()).toContain('does not carry a token'));
    expect(store.getState().input).toBe(OTHER);
    expect(pulls).toBe(3);
    unmount();
    expect(listeners).toHaveLength(0);
  });

  it('pins a token: a desktop notification shortly before it expires', async () => {
    const { store } = renderApp();
    // Expires 61 s from now: the notification is due in about a second.
    const exp = Math.floor(Date.now() / 1000) + 61;
    act(() => store.getState().setInput(makeToken({ alg: 'HS256' }, { sub: 'pinned', exp })));
    send({ type: 'command', id: 'pin-token' });
    expect(notice()).toContain('Pinned: a notification 60 s before it expires');
    await waitFor(() => expect(notifications).toHaveLength(1), { timeout: 10_000 });
    expect(notifications[0]!.title).toBe('JWT Workbench: pinned token expiring');
    expect(notifications[0]!.body).toMatch(/^The pinned token expires at /);
    // The token itself never goes into a notification.
    expect(JSON.stringify(notifications)).not.toContain(store.getState().input.slice(0, 20));

    act(() => store.getState().setInput(TOKEN));
    send({ type: 'command', id: 'pin-token' });
    expect(notice()).toBe('This token has no exp claim: nothing to pinDismiss');
  });

  it('runs the actions the menu sends', async () => {
    renderApp();
    send({ type: 'command', id: 'view-stepper' });
    expect(selectedTab()).toBe('Stepper');
    send({ type: 'command', id: 'command-palette' });
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    send({ type: 'command', id: 'toggle-theme' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});

describe('the action list', () => {
  it('has each action once, with the views, and formats accelerators per platform', () => {
    const ids = APP_COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['open-file', 'paste-token', 'copy-token', 'examples', 'clear', 'find', 'toggle-theme', 'view-debugger', 'view-keys', 'view-issuer', 'view-stepper']));
    expect(formatAccelerator('CmdOrCtrl+Shift+V', true)).toBe('⌘⇧V');
    expect(formatAccelerator('CmdOrCtrl+Shift+V', false)).toBe('Ctrl+Shift+V');
    expect(filterCommands(APP_COMMANDS, 'TOKEN file').map((c) => c.id)).toEqual(['open-file']);
  });
});

describe('pinning', () => {
  it('plans the notification a minute before exp, and refuses what cannot be pinned', () => {
    expect(planPin({ exp: 1000 }, 100)).toEqual({ ok: true, exp: 1000, delayMs: 840_000 });
    expect(planPin({ exp: 1000 }, 980)).toEqual({ ok: true, exp: 1000, delayMs: 0 });
    expect(planPin({ exp: 1000 }, 1000)).toEqual({ ok: false, message: 'This token has already expired' });
    expect(planPin({ sub: 'x' }, 0)).toMatchObject({ ok: false, message: expect.stringContaining('no exp') });
    expect(planPin({ exp: '1000' }, 0)).toMatchObject({ ok: false });
    expect(planPin(null, 0)).toMatchObject({ ok: false });
    expect(planPin({ exp: 100 + 30 * 86400 }, 100)).toMatchObject({ ok: false, message: expect.stringContaining('24 days') });
  });
});

describe('the theme override', () => {
  it('cycles system → dark → light → system, stored in localStorage and set on <html>', () => {
    expect(getThemePreference()).toBe('system');
    expect(cycleThemePreference()).toBe('dark');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(cycleThemePreference()).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(cycleThemePreference()).toBe('system');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it('applies a stored override when the app starts', () => {
    localStorage.setItem(THEME_STORAGE_KEY, 'light');
    renderApp();
    expect(document.documentElement.dataset.theme).toBe('light');
  });
});
