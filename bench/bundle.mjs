/**
 * Bundles TypeScript sources for a benchmark with esbuild (offline, no other tooling) and imports the bundle.
 * Each bench writes its own file under node_modules/.cache: outside dist/, which a concurrent `npm run build`
 * wipes, and inside the repository so the bundle's external imports (jose, …) resolve from node_modules.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `entry`: a source file (relative to the repository), or `{ contents }`: TypeScript re-exporting what the
 * bench needs. `name`: the bundle's file under node_modules/.cache/bench-<name>/. Returns the imported module.
 */
export async function bundleForBench(name, entry) {
  const { build } = await import('esbuild');
  const outfile = path.join(root, `node_modules/.cache/bench-${name}/${name}.mjs`);
  await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [path.join(root, entry)] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return { outfile, module: () => import(pathToFileURL(outfile).href) };
}
