/**
 * The application menu: the app's own actions (shared/contract/desktop.ts COMMANDS, the same list as the
 * command palette) with their accelerators, plus the standard roles, so copy / paste shortcuts work
 * everywhere (macOS routes them through the Edit menu) and zoom is Electron's webContents zoom.
 * A click hands the action's id to `onCommand` (index.ts: main runs Open and Paste, the page the rest).
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import { COMMANDS } from '../../shared/contract/desktop';
import type { CommandId, CommandSpec } from '../../shared/contract/desktop';

function items(menu: CommandSpec['menu'], onCommand: (id: CommandId) => void, only?: (id: CommandId) => boolean): MenuItemConstructorOptions[] {
  return COMMANDS.filter((c) => c.menu === menu && (!only || only(c.id))).map((c) => ({
    id: c.id,
    label: c.label,
    ...('accelerator' in c ? { accelerator: c.accelerator } : {}),
    click: () => onCommand(c.id),
  }));
}

const isView = (id: CommandId) => id.startsWith('view-');

export function menuTemplate(platform: NodeJS.Platform, devTools: boolean, onCommand: (id: CommandId) => void = () => {}): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push({
    label: 'File',
    submenu: [
      ...items('file', onCommand, (id) => id === 'open-file'),
      { type: 'separator' },
      ...items('file', onCommand, (id) => id !== 'open-file'),
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      ...items('edit', onCommand),
    ],
  });
  template.push({
    label: 'View',
    submenu: [
      ...items('view', onCommand, isView),
      { type: 'separator' },
      ...items('view', onCommand, (id) => !isView(id)),
      { type: 'separator' },
      { role: 'reload' },
      ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({ role: 'windowMenu' });
  return template;
}

export function installMenu(platform: NodeJS.Platform, devTools: boolean, onCommand?: (id: CommandId) => void): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(platform, devTools, onCommand)));
}
