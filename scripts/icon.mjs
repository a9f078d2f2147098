// Renders build/icon.svg to build/icon.png (1024×1024, transparent corners) with the local Chromium that the
// e2e tests already use, so no image tool or download is needed. electron-builder picks build/icon.png up
// for every platform (it derives the .icns/.ico and the Linux sizes from it). Run after editing icon.svg:
//   node scripts/icon.mjs
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, repoRoot } from './ui-harness.mjs';

const SIZE = 1024;
const svg = fs.readFileSync(path.join(repoRoot, 'build/icon.svg'), 'utf8');
const { browser, context } = await launchChromium({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
try {
  const page = await context.newPage();
  // The SVG scales to the viewport; nothing external is loaded (setContent of inline markup).
  await page.setContent(
    `<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block;width:${SIZE}px;height:${SIZE}px}</style>${svg}`,
  );
  await page.screenshot({ path: path.join(repoRoot, 'build/icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote build/icon.png');
