/**
 * Desktop integration: the app's actions (one list for the Electron menu and the web command palette),
 * the main → renderer event channel, and what `app.pendingOpen` hands over (tokens opened from outside:
 * the command line, a file, a jwtdbg:// link).
 *
 * No imports: the preload inlines this module into its sandboxed bundle to vet events before the page
 * sees them.
 */

/** Where a token opened from outside came from. */
export const OPEN_SOURCES = ['command-line', 'file', 'link', 'clipboard', 'drop'] as const;
export type OpenSource = (typeof OPEN_SOURCES)[number];

/**
 * A token opened from outside, as `app.pendingOpen` hands it over (oldest first), or why one was refused.
 * A refusal's message names the file or the source, never the text it refused.
 */
export type PendingOpen =
  | { ok: true; source: OpenSource; token: string; /** The file's base name, for a file. */ name: string | null }
  | { ok: false; source: OpenSource; message: string };

/** Largest token file accepted (bytes), from the command line, a drop or Open: the contract's token bound. */
export const OPEN_FILE_MAX_BYTES = 1024 * 1024;
/** File name extensions the command line and the file associations open. */
export const OPEN_FILE_EXTENSIONS = ['jwt', 'txt'] as const;
/**
 * A token file's text: UTF-8 without NUL or other C0 controls but tab and line breaks (a leading BOM
 * dropped), or null for anything binary. Main (files from outside) and the page (drop, Open) both use it.
 */
export function tokenFileText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text) ? null : text.replace(/^\uFEFF/, '');
}

/** The link scheme: `jwtdbg://open?token=<compact token>` or `jwtdbg://<compact token>`. */
export const OPEN_LINK_SCHEME = 'jwtdbg';

/**
 * The app's actions. `accelerator` is Electron's syntax (CmdOrCtrl = Cmd on macOS, Ctrl elsewhere); the
 * palette shows it the same way. A menu click sends the id to the page, which runs it — except Open and
 * Paste, which main runs itself (a file dialog needs no user activation there, and the page may not read
 * the clipboard).
 */
export interface CommandSpec {
  readonly id: string;
  readonly label: string;
  readonly accelerator?: string;
  /** The Electron menu the action sits in. */
  readonly menu: 'file' | 'edit' | 'view';
}

export const COMMANDS = [
  { id: 'open-file', label: 'Open token file…', accelerator: 'CmdOrCtrl+O', menu: 'file' },
  { id: 'paste-token', label: 'Paste token', accelerator: 'CmdOrCtrl+Shift+V', menu: 'file' },
  { id: 'copy-token', label: 'Copy token', accelerator: 'CmdOrCtrl+Shift+C', menu: 'file' },
  { id: 'examples', label: 'Examples…', menu: 'file' },
  { id: 'clear', label: 'Clear token', menu: 'file' },
  { id: 'find', label: 'Find in token', accelerator: 'CmdOrCtrl+F', menu: 'edit' },
  { id: 'view-debugger', label: 'Switch to Debugger', accelerator: 'CmdOrCtrl+1', menu: 'view' },
  { id: 'view-keys', label: 'Switch to Keys', accelerator: 'CmdOrCtrl+2', menu: 'view' },
  { id: 'view-issuer', label: 'Switch to Issuer', accelerator: 'CmdOrCtrl+3', menu: 'view' },
  { id: 'view-stepper', label: 'Switch to Stepper', accelerator: 'CmdOrCtrl+4', menu: 'view' },
  { id: 'command-palette', label: 'Command palette…', accelerator: 'CmdOrCtrl+K', menu: 'view' },
  // No accelerator: the free ones clash with the editors' (Ctrl+Shift+L selects all occurrences).
  { id: 'pin-token', label: 'Pin token (notify before it expires)', menu: 'file' },
  { id: 'toggle-theme', label: 'Toggle theme (light / dark / system)', menu: 'view' },
] as const satisfies readonly CommandSpec[];

export type CommandId = (typeof COMMANDS)[number]['id'];
export const COMMAND_IDS: readonly CommandId[] = COMMANDS.map((command) => command.id);

export function isCommandId(value: unknown): value is CommandId {
  return typeof value === 'string' && (COMMAND_IDS as readonly string[]).includes(value);
}

/** The one main → renderer channel. Its events carry no token: a token is pulled with `app.pendingOpen`. */
export const APP_EVENT_CHANNEL = 'workbench-app:event';

/**
 * What a click on a desktop notification (`app.notify` with an `action`) asks the page to do: main sends
 * it back as a `notification` event. 'refresh-token': refresh the pinned token from the mock issuer.
 */
export const NOTIFICATION_ACTIONS = ['refresh-token'] as const;
export type NotificationAction = (typeof NOTIFICATION_ACTIONS)[number];
/** The notification's button for each action, where the platform shows buttons. */
export const NOTIFICATION_ACTION_LABELS: Record<NotificationAction, string> = { 'refresh-token': 'Refresh' };

export type AppEvent = { type: 'open-pending' } | { type: 'command'; id: CommandId } | { type: 'notification'; action: NotificationAction };

/** The event if `value` is a well-formed one, else null (the preload drops anything else). */
export function parseAppEvent(value: unknown): AppEvent | null {
  if (typeof value !== 'object' || value === null) return null;
  const { type, id, action } = value as { type?: unknown; id?: unknown; action?: unknown };
  if (type === 'open-pending') return { type };
  if (type === 'command' && isCommandId(id)) return { type, id };
  if (type === 'notification' && typeof action === 'string' && (NOTIFICATION_ACTIONS as readonly string[]).includes(action)) return { type, action: action as NotificationAction };
  return null;
}

/** `window.workbenchEvents` in Electron (the preload's), absent in a browser. */
export interface AppEventsApi {
  /** Calls `listener` for each event from main; returns a function that stops it. */
  onAppEvent(listener: (event: AppEvent) => void): () => void;
}
