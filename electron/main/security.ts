/**
 * The Electron security settings that are more than a flag: who may call the host over IPC, where the
 * app may navigate or open links, which permissions a page gets. See electronjs.org "Security".
 */
import type { IpcMainInvokeEvent, Session, WebContents } from 'electron';

/** The renderer is served from a privileged custom scheme, never file:// (see window.ts). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workbench';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for app://workbench/… and nothing else. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The IPC sender must be the given window's own webContents, its main frame (no sub-frame, whatever its
 * origin), showing the app's own origin.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, appContents: WebContents | null): boolean {
  if (!appContents || appContents.isDestroyed()) return false;
  if (event.sender.id !== appContents.id) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/** https only, no credentials in the URL: the only links handed to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
  } catch {
    return false;
  }
}

// Writing to the clipboard (the "copy token" buttons) is the one capability the app uses.
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/** Every permission request is denied except clipboard writes from the app itself. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return ALLOWED_PERMISSIONS.has(permission) && requestingOrigin === APP_ORIGIN;
  });
}

/**
 * Applied to every webContents the app creates: no navigation away, no webviews, no new windows; a
 * link the user opens in a new tab (target=_blank, middle click) goes to the system browser when it is
 * https, and nowhere otherwise.
 */
export function hardenWebContents(contents: WebContents, openExternal: (url: string) => Promise<void>): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url, disposition }) => {
    const userOpenedLink = disposition === 'foreground-tab' || disposition === 'background-tab';
    if (userOpenedLink && isSafeExternalUrl(url)) {
      openExternal(url).catch(() => {
        // No browser to hand it to: nothing else to do, and the app must not open it itself.
      });
    }
    return { action: 'deny' };
  });
}
