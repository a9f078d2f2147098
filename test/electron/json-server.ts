/** A loopback HTTP server for tests that fetch JSON documents (OIDC / RFC 8414 metadata, JWKS). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedJson {
  base: string;
  /** Paths requested, in order. */
  requests: string[];
  close: () => Promise<void>;
}

/** Answers JSON documents by path (404 otherwise) on 127.0.0.1; the documents may use the server's base URL. */
export async function serveJson(documents: (base: string) => Record<string, unknown>): Promise<ServedJson> {
  const requests: string[] = [];
  let routes: Record<string, unknown> = {};
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    if (!(path in routes)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(routes[path]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes = documents(base);
  return { base, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
