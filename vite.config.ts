// Vite build of the renderer. The same output is loaded by Electron (custom protocol) and by
// `npm run web` (served from 127.0.0.1), so every URL in it is relative and nothing comes from a CDN:
// Monaco (issue 3) is bundled from node_modules and its workers are emitted as ES module files that
// the CSP's `worker-src 'self'` admits.
import { defineConfig } from 'vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * `npx vite` (dev server) only: drops the CSP <meta>, whose `script-src 'self'` would block the inline
 * React refresh preamble. Builds keep it.
 */
function devServerWithoutCsp(): Plugin {
  return {
    name: 'workbench-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>/, ''),
  };
}

export default defineConfig({
  root: path.join(here, 'renderer'),
  base: './',
  publicDir: path.join(here, 'renderer/public'),
  plugins: [devServerWithoutCsp(), react()],
  worker: { format: 'es' },
  build: {
    outDir: path.join(here, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    // light-dark() (each colour defined once, styles.css) natively, not lightningcss's polyfill:
    // Chromium 123+, and Electron 45 ships Chromium 140.
    cssTarget: 'chrome123',
    sourcemap: true,
    // Keep every asset a file: inlined data: URLs for scripts or workers would need a looser CSP.
    assetsInlineLimit: 0,
    // The editor chunk (issue 3) is large by nature and loaded lazily; do not warn about it.
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1' },
});
