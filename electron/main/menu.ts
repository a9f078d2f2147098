/**
 * A minimal application menu: the standard roles only, so copy / paste shortcuts work everywhere (macOS
 * routes them through the Edit menu) and nothing else is exposed.
 */
import { Menu } from 'electron';
import type { MenuItemConstructorOptions } from 'electron';

export function menuTemplate(platform: NodeJS.Platform, devTools: boolean): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];
  if (mac) template.push({ role: 'appMenu' });
  template.push(mac ? { role: 'fileMenu' } : { label: 'File', submenu: [{ role: 'quit' }] });
  template.push({ role: 'editMenu' });
  template.push({
    label: 'View',
    submenu: [
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

export function installMenu(platform: NodeJS.Platform, devTools: boolean): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(platform, devTools)));
}
