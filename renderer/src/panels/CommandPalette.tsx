/**
 * The command palette (Ctrl/Cmd+K): a modal dialog with a combobox and a listbox of the app's actions
 * (commands.ts). Typing filters, ArrowUp/Down move, Enter runs, Escape closes; focus returns where it was.
 *
 * And AppCommands, the shell's desktop integration: the palette's shortcut, the actions the Electron menu
 * sends, tokens opened from outside (pulled with `app.pendingOpen` when main says one is waiting), a file
 * dropped on the window or chosen with Open (read in the page, in the web build too), and the notice that
 * says what happened.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { AppEventsApi, CommandId, NotificationAction, PendingOpen } from '../../../shared/contract/desktop';
import type { WorkbenchApi } from '../../../shared/contract/methods';
import { APP_COMMANDS, applyOpen, canRefreshPinned, filterCommands, formatAccelerator, readTokenFile, refreshPinned, runCommand } from '../commands';
import type { AppCommand, CommandContext } from '../commands';
import { loadMonaco } from '../monaco/load';
import { useWorkbench, useWorkbenchStore } from '../store/context';
import { applyThemePreference, getThemePreference } from '../theme';
import '../theme.css';

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload. */
    readonly workbenchEvents?: AppEventsApi;
  }
}

/** Electron's side of the integration; null in a browser. Injectable for tests. */
export interface DesktopBridge {
  events: AppEventsApi;
  pendingOpen(): Promise<PendingOpen[]>;
  /** A desktop notification (Electron's, shown by main); false when none was shown. With `action`, a click sends it back as an event. */
  notify(title: string, body: string, action?: NotificationAction): Promise<boolean>;
}

function electronBridge(): DesktopBridge | null {
  if (typeof window === 'undefined' || !window.workbenchEvents || !window.workbench) return null;
  const api: WorkbenchApi = window.workbench;
  return {
    events: window.workbenchEvents,
    async pendingOpen() {
      const result = await api['app.pendingOpen']({});
      return result.ok ? result.value.opens : [];
    },
    async notify(title, body, action) {
      const result = await api['app.notify']({ title, body, ...(action && { action }) });
      return result.ok && result.value.shown;
    },
  };
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function CommandPalette({ commands, onRun, onClose }: { commands: readonly AppCommand[]; onRun(id: CommandId): void; onClose(): void }) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => filterCommands(commands, query), [commands, query]);
  const current = shown[Math.min(active, shown.length - 1)];

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    inputRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (shown.length === 0) return;
      const index = shown.indexOf(current!);
      setActive((index + (event.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (current) onRun(current.id);
    } else if (event.key === 'Tab') {
      // The dialog is modal: focus stays in its one field.
      event.preventDefault();
    }
  };

  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" onKeyDown={onKeyDown}>
        <input
          ref={inputRef}
          type="text"
          role="combobox"
          aria-label="Command"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current ? `${listId}-${current.id}` : undefined}
          placeholder="Type a command…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
        />
        <ul id={listId} role="listbox" aria-label="Commands">
          {shown.map((command) => (
            <li
              key={command.id}
              id={`${listId}-${command.id}`}
              role="option"
              aria-selected={command === current}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onRun(command.id)}
            >
              <span>{command.label}</span>
              {command.accelerator && <kbd>{formatAccelerator(command.accelerator, isMac)}</kbd>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && <p className="palette-empty">No command matches</p>}
      </div>
    </div>
  );
}

/**
 * Opens Monaco's find widget in the editor that has the focus, else in the Encoded token editor; before
 * the editors have loaded it only focuses the Encoded pane.
 */
async function findInEditor(): Promise<void> {
  const region = document.querySelector<HTMLElement>('[aria-labelledby="encoded-title"]');
  if (!document.querySelector('.monaco-editor')) {
    region?.querySelector<HTMLElement>('textarea')?.focus();
    return;
  }
  const editors = (await loadMonaco()).editor.getEditors();
  const editor =
    editors.find((e) => e.hasTextFocus()) ??
    editors.find((e) => {
      const node = e.getDomNode();
      return node !== null && region !== null && region.contains(node);
    });
  editor?.focus();
  await editor?.getAction('actions.find')?.run();
}

/** The browser's notification, when the user allows them (asked when a token is pinned); `onClick` for Refresh. */
function pageNotification(title: string, body: string, onClick: (() => void) | null): boolean {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
  const notification = new Notification(title, { body });
  if (onClick) {
    notification.onclick = () => {
      window.focus();
      notification.close();
      onClick();
    };
  }
  return true;
}

export interface AppCommandsProps {
  switchView(id: string): void;
  /** Electron's bridge; by default the preload's, null in a browser. */
  desktop?: DesktopBridge | null;
}

export function AppCommands({ switchView, desktop: given }: AppCommandsProps) {
  const store = useWorkbenchStore();
  const desktop = useMemo(() => (given === undefined ? electronBridge() : given), [given]);
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [notice, setNoticeText] = useState<string | null>(null);
  // The pinned token whose "about to expire" notice is on screen (it may offer Refresh), else null.
  const [expiring, setExpiring] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const pinTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pinned = useRef<string | null>(null);
  // Re-rendered when the origin changes: an edit of the token takes its Refresh away at once.
  const origin = useWorkbench((s) => s.tokenOrigin);

  const setNotice = useCallback((text: string | null) => {
    setNoticeText(text);
    setExpiring(null);
  }, []);

  // Set below, once the pin exists: a notification's click refreshes through it.
  const refreshRef = useRef<() => void>(() => {});

  const pin = useCallback(
    (exp: number, delayMs: number, token: string) => {
      if (pinTimer.current) clearTimeout(pinTimer.current);
      pinned.current = token;
      // In a browser, ask now: a permission prompt needs the user's gesture, which the pin is.
      if (!desktop && typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => 'denied');
      pinTimer.current = setTimeout(() => {
        pinTimer.current = null;
        const refreshable = canRefreshPinned(store, token);
        const title = 'JWT Workbench: pinned token expiring';
        const body = `The pinned token expires at ${new Date(exp * 1000).toLocaleTimeString()}.${refreshable ? ' Click to refresh it from the mock issuer.' : ''}`;
        setNoticeText(`The pinned token expires at ${new Date(exp * 1000).toLocaleTimeString()}.`);
        setExpiring(token);
        const onClick = refreshable ? () => refreshRef.current() : null;
        void (desktop ? desktop.notify(title, body, refreshable ? 'refresh-token' : undefined) : Promise.resolve(pageNotification(title, body, onClick)));
      }, delayMs);
    },
    [desktop, store],
  );
  useEffect(() => () => {
    if (pinTimer.current) clearTimeout(pinTimer.current);
  }, []);

  const refresh = useCallback(async () => {
    if (refreshing) return;
    if (!canRefreshPinned(store, pinned.current)) {
      setNotice('Nothing to refresh: the debugger no longer holds the pinned token from the mock issuer');
      return;
    }
    setRefreshing(true);
    try {
      await refreshPinned({ store, notify: setNotice, pin, now: () => Date.now() / 1000 });
    } finally {
      setRefreshing(false);
    }
  }, [refreshing, store, setNotice, pin]);
  useEffect(() => {
    refreshRef.current = () => void refresh();
  }, [refresh]);

  const context = useMemo<CommandContext>(
    () => ({
      store,
      switchView,
      openPalette: () => setPaletteOpen(true),
      chooseFile: () => fileInput.current?.click(),
      find: () => void findInEditor(),
      notify: setNotice,
      clipboard: typeof navigator !== 'undefined' ? (navigator.clipboard ?? null) : null,
      pin,
      now: () => Date.now() / 1000,
    }),
    [store, switchView, pin, setNotice],
  );

  const run = useCallback(
    (id: CommandId) => {
      setPaletteOpen(false);
      void runCommand(id, context);
    },
    [context],
  );

  const openFile = useCallback(
    async (file: File | undefined) => {
      if (!file) return;
      applyOpen(store, await readTokenFile(file), setNotice);
    },
    [store, setNotice],
  );

  // The stored theme override, applied once.
  useEffect(() => applyThemePreference(getThemePreference()), []);

  // Ctrl/Cmd+K opens the palette from anywhere, the editors included (caught before Monaco's chords).
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key.toLowerCase() === 'k' && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        event.stopPropagation();
        setPaletteOpen(true);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  // A file dropped anywhere on the window opens its token (caught before the editors, which would insert
  // the file's path or nothing).
  useEffect(() => {
    const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');
    const onDragOver = (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const onDragLeave = (event: DragEvent) => {
      if (event.relatedTarget === null) setDragging(false);
    };
    const onDrop = (event: DragEvent) => {
      setDragging(false);
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.stopPropagation();
      void openFile(event.dataTransfer?.files[0]);
    };
    window.addEventListener('dragover', onDragOver, true);
    window.addEventListener('dragleave', onDragLeave, true);
    window.addEventListener('drop', onDrop, true);
    return () => {
      window.removeEventListener('dragover', onDragOver, true);
      window.removeEventListener('dragleave', onDragLeave, true);
      window.removeEventListener('drop', onDrop, true);
    };
  }, [openFile]);

  // Electron: menu actions, and tokens opened from outside (pulled once now, then whenever main says so).
  useEffect(() => {
    if (!desktop) return;
    let live = true;
    const pull = async () => {
      const opens = await desktop.pendingOpen();
      if (live) for (const open of opens) applyOpen(store, open, setNotice);
    };
    const stop = desktop.events.onAppEvent((event) => {
      if (event.type === 'open-pending') void pull();
      else if (event.type === 'notification') refreshRef.current();
      else run(event.id);
    });
    void pull();
    return () => {
      live = false;
      stop();
    };
  }, [desktop, store, run, setNotice]);

  useEffect(() => {
    document.documentElement.classList.toggle('drop-target', dragging);
  }, [dragging]);

  return (
    <>
      <input
        ref={fileInput}
        type="file"
        accept=".jwt,.txt,text/plain,application/jwt"
        hidden
        aria-hidden="true"
        tabIndex={-1}
        data-testid="open-token-file"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          void openFile(file);
        }}
      />
      {paletteOpen && <CommandPalette commands={APP_COMMANDS} onRun={run} onClose={() => setPaletteOpen(false)} />}
      {notice !== null && (
        <div className="desktop-notice" role="status">
          <span>{notice}</span>
          {expiring !== null && origin?.token === expiring && origin.refresh !== null && (
            <button type="button" aria-label="Refresh token" onClick={() => void refresh()} disabled={refreshing}>
              {refreshing ? 'Refreshing…' : 'Refresh'}
            </button>
          )}
          <button type="button" className="button-quiet" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}
