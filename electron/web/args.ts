/** Command-line options of `npm run web` (dist/web/main.mjs). */
import os from 'node:os';
import path from 'node:path';
import { WorkbenchError } from '../../shared/core/errors';

export interface WebArgs {
  port: number;
  json: boolean;
  dataDir: string | null;
  /** Keys' private parts in plain text, without asking: for tests only, announced loudly at start. */
  unencryptedTestStore: boolean;
}

export const USAGE = 'usage: npm run web -- [--port N] [--json] [--data-dir DIR] [--unencrypted-test-store]';

export class UsageError extends WorkbenchError<'usage'> {
  constructor(message: string) {
    super('usage', message);
  }
}

export function parseWebArgs(argv: readonly string[]): WebArgs {
  const args: WebArgs = { port: 0, json: false, dataDir: null, unencryptedTestStore: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--port': {
        const text = value();
        const port = Number(text);
        if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be 0…65535, got ${JSON.stringify(text)}`);
        args.port = port;
        break;
      }
      case '--json':
        args.json = true;
        break;
      case '--unencrypted-test-store':
        args.unencryptedTestStore = true;
        break;
      case '--data-dir':
        args.dataDir = path.resolve(value());
        break;
      case '--help':
      case '-h':
        throw new UsageError(USAGE);
      default:
        throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

/** The same folder Electron's app.getPath('userData') gives, so the desktop app and the web share keys. */
export function defaultDataDir(appName = 'jwt-workbench'): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', appName);
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
  }
}
