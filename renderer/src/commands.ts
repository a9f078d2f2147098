/**
 * The app's actions, run in the page: one list (shared/contract/desktop.ts COMMANDS: ids, labels,
 * accelerators) behind the Electron menu (main sends the id, the page runs it) and the command palette
 * (Ctrl/Cmd+K). Also the page's side of opening a token from outside: a dropped or chosen file read with
 * the File API, and the tokens main hands over with `app.pendingOpen`.
 */
import { COMMANDS, OPEN_FILE_MAX_BYTES, tokenFileText } from '../../shared/contract/desktop';
import type { CommandId, CommandSpec, PendingOpen } from '../../shared/contract/desktop';
import { announceOpenToken } from './issuer/open-token';
import type { WorkbenchStore } from './store';
import { cycleThemePreference } from './theme';

/** What an action may do beyond the store: the shell's view, the palette, the page's dialogs. */
export interface CommandContext {
  store: WorkbenchStore;
  switchView(id: string): void;
  openPalette(): void;
  /** Opens the file chooser (a hidden <input type=file>). */
  chooseFile(): void;
  /** Opens the Encoded editor's find widget. */
  find(): void;
  /** Says what happened, in the page's status notice. */
  notify(message: string): void;
  clipboard: Pick<Clipboard, 'readText' | 'writeText'> | null;
  /** Schedules the pinned token's notification `delayMs` from now (replacing an earlier pin); `token` is the input pinned. */
  pin(exp: number, delayMs: number, token: string): void;
  /** The system clock, seconds. */
  now(): number;
}

export interface AppCommand extends CommandSpec {
  readonly id: CommandId;
  run(context: CommandContext): void | Promise<void>;
}

const VIEW_OF: Partial<Record<CommandId, string>> = {
  'view-debugger': 'debugger',
  'view-keys': 'keys',
  'view-issuer': 'issuer',
  'view-stepper': 'stepper',
};

/** Puts a token in the debugger's input and shows the Debugger. */
export function openToken(store: WorkbenchStore, token: string): void {
  store.getState().setInput(token);
  announceOpenToken();
}

const RUN: Record<CommandId, AppCommand['run']> = {
  'open-file': (c) => c.chooseFile(),
  async 'paste-token'(c) {
    let text: string;
    try {
      if (!c.clipboard) throw new Error('no clipboard');
      text = await c.clipboard.readText();
    } catch {
      // In the desktop app the page may not read the clipboard: the menu's Paste token (main) can.
      c.notify('The clipboard cannot be read here: use File → Paste token (Ctrl+Shift+V) in the desktop app, or paste into the Encoded token pane with Ctrl+V');
      return;
    }
    if (text.trim() === '') c.notify('The clipboard holds no text');
    else openToken(c.store, text.trim());
  },
  async 'copy-token'(c) {
    const token = c.store.getState().decoded?.token ?? null;
    if (token === null) {
      c.notify('No token to copy');
      return;
    }
    try {
      if (!c.clipboard) throw new Error('no clipboard');
      await c.clipboard.writeText(token);
      c.notify('Copied the token');
    } catch {
      c.notify('The clipboard refused the copy');
    }
  },
  examples(c) {
    c.switchView('debugger');
    focusWhenPresent('select[aria-label="Examples"]');
  },
  clear(c) {
    c.store.getState().setInput('');
    c.switchView('debugger');
  },
  find: (c) => c.find(),
  'view-debugger': (c) => c.switchView(VIEW_OF['view-debugger']!),
  'view-keys': (c) => c.switchView(VIEW_OF['view-keys']!),
  'view-issuer': (c) => c.switchView(VIEW_OF['view-issuer']!),
  'view-stepper': (c) => c.switchView(VIEW_OF['view-stepper']!),
  'command-palette': (c) => c.openPalette(),
  'pin-token'(c) {
    const { decoded, input, tokenOrigin } = c.store.getState();
    if (!decoded) {
      c.notify('No token to pin');
      return;
    }
    const plan = planPin(decoded.payload, c.now());
    if (!plan.ok) {
      c.notify(plan.message);
      return;
    }
    c.pin(plan.exp, plan.delayMs, input);
    const refreshable = tokenOrigin?.token === input && tokenOrigin.refresh !== null;
    c.notify(`Pinned: a notification ${PIN_LEAD_SECONDS} s before it expires (${new Date(plan.exp * 1000).toLocaleTimeString()})${refreshable ? ', with Refresh (from the mock issuer)' : ''}`);
  },
  'toggle-theme'(c) {
    const next = cycleThemePreference();
    c.notify(next === 'system' ? 'Theme: follows the system' : `Theme: ${next}`);
  },
};

export const APP_COMMANDS: readonly AppCommand[] = COMMANDS.map((spec) => ({ ...spec, run: RUN[spec.id] }));

/** How long before `exp` a pinned token's notification comes. */
export const PIN_LEAD_SECONDS = 60;
// setTimeout's longest delay (about 24.8 days).
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Whether the pinned token (`pinned`, the input pinned) can be refreshed now: it is still the debugger's, from the mock issuer, with a refresh token. */
export function canRefreshPinned(store: WorkbenchStore, pinned: string | null): boolean {
  const origin = store.getState().tokenOrigin;
  return pinned !== null && origin !== null && origin.token === pinned && origin.refresh !== null;
}

/**
 * Refresh for a pinned token: a fresh token from the mock issuer (the store's refreshTokenFromIssuer), pinned
 * again in its place. Says what happened either way; never throws.
 */
export async function refreshPinned(context: Pick<CommandContext, 'store' | 'notify' | 'pin' | 'now'>): Promise<boolean> {
  const outcome = await context.store.getState().refreshTokenFromIssuer();
  if (!outcome.ok) {
    context.notify(outcome.message);
    return false;
  }
  const { decoded, input } = context.store.getState();
  const plan = planPin(decoded?.payload, context.now());
  if (!plan.ok) {
    context.notify(`Refreshed, but not pinned again: ${plan.message}`);
    return true;
  }
  context.pin(plan.exp, plan.delayMs, input);
  context.notify(`Refreshed: a new token from the mock issuer, pinned again (expires ${new Date(plan.exp * 1000).toLocaleTimeString()})`);
  return true;
}

/** When to notify about a token with this payload, judged at `now` (seconds), or why it cannot be pinned. */
export function planPin(payload: unknown, now: number): { ok: true; exp: number; delayMs: number } | { ok: false; message: string } {
  const exp = typeof payload === 'object' && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, message: 'This token has no exp claim: nothing to pin' };
  if (exp <= now) return { ok: false, message: 'This token has already expired' };
  const delayMs = Math.max(0, Math.round((exp - PIN_LEAD_SECONDS - now) * 1000));
  if (delayMs > MAX_TIMER_MS) return { ok: false, message: 'This token expires more than 24 days from now: too far ahead to pin' };
  return { ok: true, exp, delayMs };
}

/** Runs an action by id; an unknown id does nothing. */
export async function runCommand(id: CommandId, context: CommandContext): Promise<void> {
  const command = APP_COMMANDS.find((c) => c.id === id);
  if (command) await command.run(context);
}

/** The accelerator as the platform writes it: ⌘K on macOS, Ctrl+K elsewhere. */
export function formatAccelerator(accelerator: string, mac: boolean): string {
  return mac ? accelerator.replace('CmdOrCtrl+', '⌘').replace('Shift+', '⇧') : accelerator.replace('CmdOrCtrl', 'Ctrl');
}

/** Commands whose label contains every typed word (case-insensitive), in list order. */
export function filterCommands(commands: readonly AppCommand[], query: string): AppCommand[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return commands.filter((c) => words.every((w) => c.label.toLowerCase().includes(w) || c.id.includes(w)));
}

/** A file the user dropped or chose, read in the page: size-capped, text only. */
export async function readTokenFile(file: Blob & { name: string }): Promise<PendingOpen> {
  if (file.size > OPEN_FILE_MAX_BYTES) return { ok: false, source: 'drop', message: `'${file.name}' is larger than ${OPEN_FILE_MAX_BYTES / 1024 / 1024} MiB` };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return { ok: false, source: 'drop', message: `'${file.name}' cannot be read` };
  }
  const text = tokenFileText(bytes);
  if (text === null) return { ok: false, source: 'drop', message: `'${file.name}' is not a text file` };
  if (text.trim() === '') return { ok: false, source: 'drop', message: `'${file.name}' is empty` };
  return { ok: true, source: 'drop', token: text.trim(), name: file.name };
}

/** Applies an open: the token goes to the debugger; either way the user is told what happened. */
export function applyOpen(store: WorkbenchStore, open: PendingOpen, notify: (message: string) => void): void {
  if (!open.ok) {
    notify(open.message);
    return;
  }
  openToken(store, open.token);
  notify(
    open.name ? `Opened ${open.name}`
    : open.source === 'link' ? 'Opened the token from a jwtdbg:// link'
    : open.source === 'clipboard' ? 'Pasted the token from the clipboard'
    : 'Opened the token',
  );
}

/** Focuses the element once it is on screen (a view switch renders it a moment later). */
function focusWhenPresent(selector: string, tries = 30): void {
  const element = document.querySelector<HTMLElement>(selector);
  if (element) element.focus();
  else if (tries > 0) setTimeout(() => focusWhenPresent(selector, tries - 1), 16);
}

