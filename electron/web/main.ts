/**
 * `npm run web`: the real services and the built renderer behind the HTTP host on 127.0.0.1.
 * Prints one line, `JWT Workbench is running at <url>` (or with --json one JSON line for tools and the
 * end-to-end tests), and stops cleanly on SIGINT / SIGTERM.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandlers, createServices, PRODUCT_NAME } from '../services/index';
import { parseWebArgs, defaultDataDir, USAGE, UsageError } from './args';
import type { WebArgs } from './args';
import { startWebHost } from './host';
import type { WebHost } from './host';

async function main(argv: readonly string[]): Promise<number> {
  let args: WebArgs;
  try {
    args = parseWebArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const help = error.message === USAGE;
    (help ? process.stdout : process.stderr).write(`${error.message}\n`);
    return help ? 0 : 2;
  }
  // Bundled to dist/web/main.mjs; the renderer is built beside it in dist/renderer.
  const rendererDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../renderer');
  const dataDir = args.dataDir ?? defaultDataDir();
  if (args.unencryptedTestStore) {
    // Loud on purpose: private keys of this store are written in plain text.
    process.stderr.write(
      `\n*** WARNING: --unencrypted-test-store: private keys in ${path.join(dataDir, 'keys.json')} are stored UNENCRYPTED. ***\n` +
        '*** Use it for tests only, never for keys that matter. ***\n\n',
    );
  }
  const services = createServices({ dataDir, keys: { unencryptedTestStore: args.unencryptedTestStore } });
  let host: WebHost;
  try {
    host = await startWebHost({ port: args.port, handlers: createHandlers(services), rendererDir });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${args.port} is in use` : code === 'EACCES' ? `port ${args.port} is not allowed` : (error as Error).message;
    process.stderr.write(`${PRODUCT_NAME} could not start: ${why}\n`);
    return 1;
  }
  const { url, origin, port, secret } = host;
  process.stdout.write(args.json ? `${JSON.stringify({ url, origin, port, secret })}\n` : `${PRODUCT_NAME} is running at ${url}\n`);

  // The handlers stay installed: Ctrl+C reaches this process twice (from the terminal, and forwarded by
  // scripts/web.mjs), and the second must not kill a shutdown already under way.
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve()).on('SIGTERM', () => resolve());
  });
  await host.close();
  await services.issuer.close(); // the mock issuer writes its state and frees its ports
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
