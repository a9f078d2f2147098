// ESLint flat config. Beyond the usual recommended rules it enforces the layering of docs/architecture.md
// (shared/ → electron/, renderer/; import downward only) with no-restricted-imports, so a wrong-way
// import fails `npm test` even where the per-layer tsconfigs would let it compile.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Node built-ins in both spellings: `node:fs` by pattern, bare `fs` by exact name (a pattern like 'events'
// would also catch a local './events').
const NO_NODE = 'Node built-ins are not available in this layer (see docs/architecture.md, Layers).';
const NODE_PREFIXED = { regex: '^node:', message: NO_NODE };
const NODE_BARE = builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: NO_NODE }));
const noElectron = (why) => ({ name: 'electron', message: `No \`electron\` here: ${why}` });
const noReact = [
  { name: 'react', message: 'shared/ is platform-neutral: no React.' },
  { name: 'react-dom', message: 'shared/ is platform-neutral: no React.' },
];
// Relative imports that climb into another top-level layer, e.g. '../../electron/services/keystore'.
const intoLayer = (...layers) => ({
  regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`,
  message: `Imports go downward only: nothing from ${layers.map((l) => `${l}/`).join(' or ')} here (docs/architecture.md, Layers).`,
});
// One complete rule per file group: in flat config a later block replaces the rule's options, it does not merge them.
const restrict = (paths, patterns) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });

export default defineConfig(
  {
    ignores: [
      '**/node_modules/',
      'dist/',
      '.perf/',
      'coverage/',
      'release/',
      'data/',
      'test-results/',
      '**/*.tsbuildinfo',
    ],
  },
  // Keep eslint-disable comments honest: one that no longer suppresses anything is an error.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    rules: {
      // Dropping keys with `const { kid: _kid, ...rest } = jwk` is the idiom for "a copy without kid".
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // `let { token, family } = login()` where only some are reassigned: splitting it in two is noise.
      'prefer-const': ['error', { destructuring: 'all' }],
      // Control-character classes are the point where they appear (rejecting C0 bytes, stripping ANSI colours).
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.{ts,tsx,mts}'],
    rules: {
      // tsc's noFallthroughCasesInSwitch (tsconfig.json) checks this with control flow that sees `never` calls like fail().
      'no-fallthrough': 'off',
    },
  },
  {
    files: ['**/*.d.ts'],
    // `declare var` is what puts a declared global on globalThis (platform.d.ts).
    rules: { 'no-var': 'off' },
  },

  // Promises in the source layers: an unhandled rejection ends the main process or the CLI, and a promise
  // handed to a callback that expects nothing loses its rejection. Type-aware (~15 s), so not for tests.
  {
    files: ['shared/**/*.ts', 'electron/**/*.ts', 'renderer/src/**/*.{ts,tsx}', 'renderer/bench/**/*.tsx'],
    ignores: ['**/*.d.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },

  // Node-side scripts and configs (build, bench, screenshots) are plain ESM for Node.
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // These drive Chromium: the callbacks they pass to page.evaluate() run in the page.
    files: ['scripts/bench-ui.mjs', 'scripts/screenshots.mjs', 'scripts/ui-harness.mjs'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    files: ['test/**/*.{ts,tsx}'],
    rules: {
      // Tests read untyped JSON (RFC fixtures, wire responses) and feed ill-typed input on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Expected hex dumps are matched column for column ('00000000  ff ff'); ` {2}` would hide the layout.
      'no-regex-spaces': 'off',
    },
  },

  // Layering (docs/architecture.md, Layers).
  {
    files: ['shared/**/*.ts'],
    rules: restrict(
      [noElectron('shared/ runs in every host.'), ...noReact, ...NODE_BARE],
      [NODE_PREFIXED, intoLayer('electron', 'renderer')],
    ),
  },
  {
    files: ['electron/**/*.ts'],
    rules: restrict([], [intoLayer('renderer')]),
  },
  {
    // Services, the CLI and the web host run under plain Node: only main/ and preload/ may import electron.
    files: ['electron/services/**/*.ts', 'electron/cli/**/*.ts', 'electron/web/**/*.ts'],
    rules: restrict([noElectron('this code must stay importable from plain Node.')], [intoLayer('renderer')]),
  },
  {
    // A sandboxed preload can require only `electron`: no Node built-ins.
    files: ['electron/preload/**/*.ts'],
    rules: restrict(NODE_BARE, [NODE_PREFIXED, intoLayer('renderer')]),
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      [noElectron('the renderer talks to the host only through the contract.'), ...NODE_BARE],
      [NODE_PREFIXED, intoLayer('electron')],
    ),
  },

  // React: the hooks rules for the UI and for the React doubles the component tests render.
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    rules: {
      // An error, not a warning, so `eslint .` fails on it and each eslint-disable for it is a decision.
      'react-hooks/exhaustive-deps': 'error',
      // The latest-value ref (`onChange.current = props.onChange` during render) is deliberate; no React Compiler here.
      'react-hooks/refs': 'off',
    },
  },
);
