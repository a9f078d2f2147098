// electron-builder configuration. Named electron-builder.cjs because that is a name electron-builder finds on
// its own: a bare `electron-builder` (or `npm run pack`) can never silently fall back to defaults that would
// package the whole repository. Run `npm run build` first; this only packages what dist/ already holds.
// How to package and what the fuses do: build/README.md.

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'dev.jwtworkbench.app',
  productName: 'JWT Workbench',
  copyright: 'Copyright © JWT Workbench contributors',
  directories: {
    output: 'release',
    buildResources: 'build',
  },
  // Rendered from build/icon.svg by scripts/icon.mjs; electron-builder derives .icns, .ico and Linux sizes.
  icon: 'build/icon.png',
  // Only what runs: the main + preload bundles, the built renderer, package.json (for `main`), and the
  // known-secrets list the build copies to dist/data (with its MIT LICENSE) for the hmac-secret-known scan.
  // Source maps stay out.
  files: [
    'package.json',
    'dist/electron/**',
    'dist/renderer/**',
    'dist/data/**',
    '!**/*.map',
    // main.cjs is bundled with packages external and still requires `jose` and `@noble/hashes` (SD-JWT
    // digests); every other dependency (react, react-dom, zustand, monaco-editor) is already inside the
    // renderer bundle. Production dependencies are added by electron-builder and only exclude patterns
    // apply to them, hence an exclude of every package but those. test/electron/packaging.test.ts checks
    // this stays enough.
    '!node_modules/!(jose|@noble){,/**}',
    '!node_modules/@noble/!(hashes){,/**}',
    '!node_modules/@noble/hashes/src{,/**}', // its TypeScript sources: the compiled files are what runs
  ],
  // Nothing native to rebuild, and a rebuild would try to fetch Electron headers.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  asar: true,
  // electron-builder drops scripts and devDependencies from the packaged package.json by itself.
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the signed app binary into a plain Node interpreter.
    runAsNode: false,
    // Cookies are encrypted at rest with a key from the OS keychain.
    enableCookieEncryption: true,
    // NODE_OPTIONS could inject code (--require) into the main process.
    enableNodeOptionsEnvironmentVariable: false,
    // --inspect and friends would let anyone who can launch the app attach a debugger to main.
    enableNodeCliInspectArguments: false,
    // app.asar is checked against the hash embedded at packaging time (macOS and Windows).
    enableEmbeddedAsarIntegrityValidation: true,
    // The app loads only from app.asar, never from a loose resources/app folder dropped beside it.
    onlyLoadAppFromAsar: true,
    // The renderer is served over app://; file:// needs no privileges beyond a normal page's.
    grantFileProtocolExtraPrivileges: false,
  },
  // .jwt files open in the app ('Open with', double-click); the token goes to the debugger of the running
  // instance (electron/main/open-request.ts). .txt is too general to claim: it opens from the command line.
  fileAssociations: [
    {
      ext: 'jwt',
      name: 'JSON Web Token',
      description: 'JSON Web Token',
      mimeType: 'application/jwt',
      role: 'Viewer',
    },
  ],
  // jwtdbg://open?token=<compact token> (or jwtdbg://<compact token>) opens the token in the debugger.
  protocols: [{ name: 'JWT Workbench token link', schemes: ['jwtdbg'], role: 'Viewer' }],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Development',
    executableName: 'jwt-workbench',
    synopsis: 'Debugger, key manager and mock issuer for JSON Web Tokens',
  },
  deb: {
    // The maintainer field is mandatory for .deb; package.json has no author to derive it from.
    maintainer: 'JWT Workbench contributors <noreply@jwtworkbench.invalid>',
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true,
  },
  win: {
    target: ['nsis'],
  },
  nsis: {
    oneClick: false,
    perMachine: false,
    allowToChangeInstallationDirectory: true,
  },
  publish: null,
};
