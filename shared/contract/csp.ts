/**
 * The Content-Security-Policy the renderer runs under, on both hosts (Electron's app:// protocol and the
 * HTTP host of `npm run web`). Scripts only from the app itself and never eval; Monaco needs inline styles
 * and its workers come from 'self' or blob: URLs; the renderer talks to nothing but its own origin.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
