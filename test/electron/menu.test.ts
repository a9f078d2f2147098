// The application menu built from the shared action list, and what main does with each action.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { COMMANDS } from '../../shared/contract/desktop';
import type { CommandId } from '../../shared/contract/desktop';

const built = vi.hoisted(() => ({ template: null as unknown }));
vi.mock('electron', () => ({
  Menu: {
    buildFromTemplate: (template: unknown) => template,
    setApplicationMenu: (menu: unknown) => (built.template = menu),
  },
}));

const { menuTemplate, installMenu } = await import('../../electron/main/menu');
const { createMenuCommandRunner } = await import('../../electron/main/commands');

/** Every item of the template, submenus flattened. */
function flatten(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

describe('the application menu', () => {
  it('has every action of the shared list once, with its label and accelerator, and clicking sends its id', () => {
    const onCommand = vi.fn();
    const items = flatten(menuTemplate('linux', false, onCommand));
    for (const command of COMMANDS) {
      const matching = items.filter((i) => i.id === command.id);
      expect(matching, command.id).toHaveLength(1);
      expect(matching[0]!.label).toBe(command.label);
      expect(matching[0]!.accelerator).toBe('accelerator' in command ? command.accelerator : undefined);
      (matching[0]!.click as () => void)();
      expect(onCommand).toHaveBeenLastCalledWith(command.id);
    }
    expect(onCommand).toHaveBeenCalledTimes(COMMANDS.length);
  });

  it('keeps the standard roles: edit shortcuts, zoom (webContents), fullscreen, quit; devtools only when asked', () => {
    const roles = (platform: NodeJS.Platform, devTools: boolean) => flatten(menuTemplate(platform, devTools)).map((i) => i.role).filter(Boolean);
    expect(roles('linux', false)).toEqual(expect.arrayContaining(['quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'windowMenu']));
    expect(roles('linux', false)).not.toContain('toggleDevTools');
    expect(roles('linux', true)).toContain('toggleDevTools');
    expect(roles('darwin', false)).toEqual(expect.arrayContaining(['appMenu', 'close']));
    expect(roles('darwin', false)).not.toContain('quit');
    expect(menuTemplate('linux', false).map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu']);
  });

  it('no two items share an accelerator', () => {
    const accelerators = flatten(menuTemplate('linux', true)).map((i) => i.accelerator).filter(Boolean);
    expect(new Set(accelerators).size).toBe(accelerators.length);
  });

  it('installs the template', () => {
    installMenu('linux', false, () => {});
    expect(flatten(built.template as MenuItemConstructorOptions[]).some((i) => i.id === 'command-palette')).toBe(true);
  });
});

describe('running a menu action in main', () => {
  function deps(options: { chosen?: string | null; clipboard?: string } = {}) {
    const add = vi.fn(async () => {});
    const send = vi.fn();
    const showOpenDialog = vi.fn(async () => (options.chosen ? { canceled: false, filePaths: [options.chosen] } : { canceled: true, filePaths: [] }));
    const window = {} as never;
    return {
      add,
      send,
      showOpenDialog,
      window,
      run: createMenuCommandRunner({ dialog: { showOpenDialog } as never, clipboard: { readText: () => options.clipboard ?? '' } as never, window: () => window, queue: { add }, send }),
    };
  }

  it('Open shows the file dialog (modal to the window) and queues the chosen file; cancel queues nothing', async () => {
    const chosen = deps({ chosen: '/home/me/token.jwt' });
    await chosen.run('open-file');
    expect(chosen.showOpenDialog).toHaveBeenCalledWith(chosen.window, expect.objectContaining({ properties: ['openFile'], filters: expect.arrayContaining([{ name: 'Token files', extensions: ['jwt', 'txt'] }]) }));
    expect(chosen.add).toHaveBeenCalledWith([{ kind: 'file', source: 'file', path: '/home/me/token.jwt' }]);
    expect(chosen.send).not.toHaveBeenCalled();
    const cancelled = deps({ chosen: null });
    await cancelled.run('open-file');
    expect(cancelled.add).not.toHaveBeenCalled();
  });

  it('Paste reads main’s clipboard into the queue; empty or huge clipboards are refused', async () => {
    const pasted = deps({ clipboard: '  eyJhbGciOiJIUzI1NiJ9.e30.c2ln\n' });
    await pasted.run('paste-token');
    expect(pasted.add).toHaveBeenCalledWith([{ kind: 'token', source: 'clipboard', token: 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln' }]);
    const empty = deps({ clipboard: ' ' });
    await empty.run('paste-token');
    expect(empty.add).toHaveBeenCalledWith([{ kind: 'refused', source: 'clipboard', message: 'The clipboard holds no text' }]);
    const huge = deps({ clipboard: 'x'.repeat(1024 * 1024 + 1) });
    await huge.run('paste-token');
    expect(huge.add).toHaveBeenCalledWith([{ kind: 'refused', source: 'clipboard', message: 'The clipboard text is larger than 1 MiB' }]);
  });

  it('sends every other action to the page by id', async () => {
    const other = deps();
    const ids = COMMANDS.map((c) => c.id).filter((id): id is CommandId => id !== 'open-file' && id !== 'paste-token');
    for (const id of ids) await other.run(id);
    expect(other.send.mock.calls).toEqual(ids.map((id) => [{ type: 'command', id }]));
    expect(other.add).not.toHaveBeenCalled();
  });
});
