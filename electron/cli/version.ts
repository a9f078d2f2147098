// esbuild inlines the JSON at build time, so the bundle carries the version it was built from.
import { version } from '../../package.json';

export const VERSION: string = version;
