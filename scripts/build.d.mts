// Types for the parts of build.mjs that TypeScript callers (tests) import.
/** True when dist/ is newer than every source. */
export function isBuildCurrent(): boolean;
/** Builds every output into dist/. */
export function buildAll(): Promise<void>;
/** Bundles the jwtdbg CLI to `outfile` (default dist/cli/jwtdbg.mjs) with the release esbuild options. */
export function buildCli(outfile?: string): Promise<void>;
/** esbuild options of the sandboxed preload bundle (one file, only `electron` external); no outfile. */
export const preloadBundle: import('esbuild').BuildOptions;
