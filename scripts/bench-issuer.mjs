// Benchmark (not a test): refresh-token rotation throughput of the mock issuer on loopback, with autocannon
// at 32 connections, each connection walking its own family (every response's refresh_token is the next
// request's), against oidc-provider doing the refresh_token grant with rotation on, and against a bare
// node:http JSON answer (the ceiling). The mock issuer runs twice: in memory, and with a data folder (each
// rotation journaled and synced to disk, with group commit, before it is answered). Each server runs in its
// own child process; the load generator in this one. Both issuers do the same work per request: an ES256 JWT
// access token, an ES256 ID token (scope openid) and a rotated refresh token. Afterwards: 0 errors and
// 0 non-2xx, and no family with two live children.
//
//   node scripts/bench-issuer.mjs        BENCH_ISSUER_SECONDS (default 8), BENCH_ISSUER_ROUNDS (default 3),
//                                        BENCH_ISSUER_PROFILE=DIR (CPU profiles of the servers)
//
// Prints a table and writes bench/results-issuer.json as [{figure, unit, median, baseline, ratio}]: median and
// baseline are medians over the rounds, ratio the median of the per-round ratios.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForBench } from '../bench/bundle.mjs';
import { median } from '../bench/measure.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const self = fileURLToPath(import.meta.url);
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_ISSUER_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ISSUER_ROUNDS ?? 3);
const TARGETS = ['ceiling', 'issuer', 'issuer-data-dir', 'oidc-provider'];
// Outside dist/, which a concurrent `npm run build` wipes; inside the repository so `jose` resolves.
const BUNDLE = path.join(root, 'node_modules/.cache/bench-issuer/issuer.mjs');

// ------------------------------------------------------------------------------------------------------
// Servers (child processes). Each answers the parent's messages: it sends {ready, url, path, tokens}, and
// on {check} replies {check: {families, familiesWithSeveralLiveTokens}}.

async function serveCeiling() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const body = JSON.stringify({ access_token: 'x', token_type: 'Bearer', expires_in: 900, refresh_token: randomBytes(32).toString('base64url') });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(body);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const tokens = Array.from({ length: CONNECTIONS }, () => randomBytes(32).toString('base64url'));
  return { url: `http://127.0.0.1:${server.address().port}`, path: '/token', clientId: 'bench', tokens, check: async () => ({ families: CONNECTIONS, familiesWithSeveralLiveTokens: 0 }) };
}

async function serveIssuer(persisted) {
  const { startIssuer } = await import(BUNDLE);
  const dataDir = persisted ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-issuer-')) : undefined;
  if (dataDir) process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const handle = await startIssuer({
    alg: 'ES256',
    ...(dataDir && { dataDir }),
    users: [{ name: 'bench', password: 'bench-password' }],
    // Logins are the setup here, not the subject: no credential-stuffing limit, and no log sink.
    settings: { rateLimits: { login: { max: 0, windowSeconds: 60 }, token: { max: 0, windowSeconds: 60 } } },
  });
  const tokens = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const res = await fetch(`${handle.issuer}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: 'workbench', username: 'bench', password: 'bench-password', scope: 'openid api:read offline_access' }),
    });
    const body = await res.json();
    if (!body.refresh_token) throw new Error(`issuer login failed: ${JSON.stringify(body)}`);
    tokens.push(body.refresh_token);
  }
  return {
    url: handle.issuer,
    path: '/token',
    clientId: 'workbench',
    tokens,
    check: async () => {
      const { families, familiesWithSeveralLiveTokens } = handle.api.families();
      return { families: families.length, familiesWithSeveralLiveTokens };
    },
  };
}

/** oidc-provider's storage, kept in Maps so the check can read every refresh token afterwards. */
function memoryAdapterFactory() {
  const stores = new Map();
  const storeOf = (name) => {
    if (!stores.has(name)) stores.set(name, new Map());
    return stores.get(name);
  };
  class MemoryAdapter {
    constructor(name) {
      this.name = name;
      this.store = storeOf(name);
    }
    async upsert(id, payload) {
      this.store.set(id, { ...payload });
    }
    async find(id) {
      return this.store.get(id);
    }
    async findByUserCode() {
      return undefined;
    }
    async findByUid(uid) {
      for (const payload of this.store.values()) if (payload.uid === uid) return payload;
      return undefined;
    }
    async consume(id) {
      const payload = this.store.get(id);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id) {
      this.store.delete(id);
    }
    async revokeByGrantId(grantId) {
      for (const [id, payload] of this.store) if (payload.grantId === grantId) this.store.delete(id);
    }
  }
  return { MemoryAdapter, stores };
}

async function serveOidcProvider() {
  const { default: Provider } = await import('oidc-provider');
  const { generateKeyPair, exportJWK } = await import('jose');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'bench' };
  const { MemoryAdapter, stores } = memoryAdapterFactory();
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const resource = `${issuer}/resource`;
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: [jwk] },
    clients: [{
      client_id: 'bench',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['http://127.0.0.1/cb'],
      id_token_signed_response_alg: 'ES256',
    }],
    rotateRefreshToken: true,
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    features: {
      devInteractions: { enabled: false },
      // JWT access tokens (RFC 9068), as the mock issuer issues them.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'api:read', audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } }),
      },
    },
    scopes: ['openid', 'offline_access', 'api:read'],
    ttl: { AccessToken: 900, IdToken: 3600, RefreshToken: 14 * 24 * 3600, Grant: 30 * 24 * 3600 },
  });
  provider.proxy = false;
  server.on('request', provider.callback());
  // A family per connection: a grant and a refresh token made through the provider's own models, as its
  // authorization_code grant would leave them.
  const client = await provider.Client.find('bench');
  const tokens = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const grant = new provider.Grant({ accountId: `user-${i}`, clientId: 'bench' });
    grant.addOIDCScope('openid offline_access');
    grant.addResourceScope(resource, 'api:read');
    const grantId = await grant.save();
    const rt = new provider.RefreshToken({
      accountId: `user-${i}`, client, grantId, scope: 'openid offline_access api:read', resource, gty: 'authorization_code', authTime: Math.floor(Date.now() / 1000),
    });
    tokens.push(await rt.save());
  }
  return {
    url: issuer,
    path: '/token',
    clientId: 'bench',
    tokens,
    check: async () => {
      const live = new Map();
      for (const payload of (stores.get('RefreshToken') ?? new Map()).values()) {
        if (!payload.consumed) live.set(payload.grantId, (live.get(payload.grantId) ?? 0) + 1);
      }
      return { families: live.size, familiesWithSeveralLiveTokens: [...live.values()].filter((n) => n > 1).length };
    },
  };
}

async function serve(target) {
  const server =
    target === 'ceiling' ? await serveCeiling()
      : target === 'issuer' ? await serveIssuer(false)
        : target === 'issuer-data-dir' ? await serveIssuer(true)
          : await serveOidcProvider();
  process.on('message', async (message) => {
    if (message === 'check') process.send({ check: await server.check() });
    if (message === 'exit') process.exit(0);
  });
  process.send({ ready: true, url: server.url, path: server.path, clientId: server.clientId, tokens: server.tokens });
}

// ------------------------------------------------------------------------------------------------------
// The load generator.


function startServer(target) {
  // BENCH_ISSUER_PROFILE=DIR writes a V8 CPU profile of each server process to DIR (open it in DevTools).
  const profile = process.env.BENCH_ISSUER_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_ISSUER_PROFILE}`, `--cpu-prof-name=${target}-${Date.now()}.cpuprofile`] : [];
  const child = fork(self, ['--serve', target], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: profile });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, ...message }));
    child.once('exit', (code) => reject(new Error(`${target} server exited with ${code}`)));
  });
}

function ask(child, message) {
  return new Promise((resolve) => {
    child.once('message', resolve);
    child.send(message);
  });
}

async function load(server) {
  const { default: autocannon } = await import('autocannon');
  const pool = [...server.tokens];
  let badBodies = 0;
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    pipelining: 1, // a connection's next refresh needs its previous answer
    duration: SECONDS,
    // autocannon resets a request's `context` each time it loops over its request list, so the family a
    // connection walks lives in a closure of its own request list instead.
    setupClient(client) {
      const family = { refreshToken: pool.pop() };
      client.setRequests([
        {
          method: 'POST',
          path: server.path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          setupRequest(request) {
            request.body = `grant_type=refresh_token&client_id=${server.clientId}&refresh_token=${encodeURIComponent(family.refreshToken)}`;
            return request;
          },
          onResponse(status, body) {
            if (status !== 200) return;
            try {
              family.refreshToken = JSON.parse(body).refresh_token;
            } catch {
              badBodies++;
            }
          },
        },
      ]);
    },
  });
  return { rps: result.requests.average, total: result.requests.total, errors: result.errors + result.timeouts + badBodies, non2xx: result.non2xx, p50: result.latency.p50, p99: result.latency.p99 };
}


async function main() {
  await bundleForBench('issuer', 'electron/services/issuer/index.ts');
  const runs = Object.fromEntries(TARGETS.map((t) => [t, []]));
  const problems = [];
  // Rounds interleave the targets so a noisy neighbour hurts them alike; each round starts fresh servers.
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of TARGETS) {
      const server = await startServer(target);
      try {
        const run = await load(server);
        const { check } = await ask(server.child, 'check');
        runs[target].push(run);
        if (run.errors > 0 || run.non2xx > 0) problems.push(`${target} round ${round + 1}: ${run.errors} errors, ${run.non2xx} non-2xx`);
        if (check.familiesWithSeveralLiveTokens > 0) problems.push(`${target} round ${round + 1}: ${check.familiesWithSeveralLiveTokens} famil(ies) with two live refresh tokens`);
        if (target !== 'ceiling' && check.families !== CONNECTIONS) problems.push(`${target} round ${round + 1}: ${check.families} live families, expected ${CONNECTIONS}`);
        process.stderr.write(`round ${round + 1} ${target}: ${Math.round(run.rps)} req/s, ${run.total} requests, p50 ${run.p50} ms, p99 ${run.p99} ms, errors ${run.errors}, non-2xx ${run.non2xx}, families ${check.families}, with two live: ${check.familiesWithSeveralLiveTokens}\n`);
      } finally {
        server.child.send('exit');
        await new Promise((resolve) => server.child.once('exit', resolve));
      }
    }
  }
  const rps = (t) => median(runs[t].map((r) => r.rps));
  const p50 = (t) => median(runs[t].map((r) => r.p50));
  const ours = rps('issuer');
  // Ratios are taken within each round (the targets ran back to back there), then their median: on a shared
  // machine a round's noise hits the targets of that round alike, and cancels out of its ratio.
  const ratio = (a, b, of) => round2(median(runs[a].map((r, i) => of(r) / of(runs[b][i]))));
  const rows = [
    { figure: `refresh rotation, ${CONNECTIONS} connections, mock issuer vs oidc-provider`, unit: 'req/s', median: Math.round(ours), baseline: Math.round(rps('oidc-provider')), ratio: ratio('issuer', 'oidc-provider', (r) => r.rps) },
    { figure: `refresh rotation, ${CONNECTIONS} connections, mock issuer with a data folder (durable before answered) vs oidc-provider`, unit: 'req/s', median: Math.round(rps('issuer-data-dir')), baseline: Math.round(rps('oidc-provider')), ratio: ratio('issuer-data-dir', 'oidc-provider', (r) => r.rps) },
    { figure: `refresh rotation, ${CONNECTIONS} connections, mock issuer vs bare node:http JSON (ceiling)`, unit: 'req/s', median: Math.round(ours), baseline: Math.round(rps('ceiling')), ratio: ratio('issuer', 'ceiling', (r) => r.rps) },
    { figure: 'refresh rotation p50 latency, mock issuer vs oidc-provider', unit: 'ms', median: p50('issuer'), baseline: p50('oidc-provider'), ratio: ratio('issuer', 'oidc-provider', (r) => r.p50) },
    { figure: 'refresh rotation p50 latency, mock issuer with a data folder vs oidc-provider', unit: 'ms', median: p50('issuer-data-dir'), baseline: p50('oidc-provider'), ratio: ratio('issuer-data-dir', 'oidc-provider', (r) => r.p50) },
  ];
  console.log(`refresh-token rotation on loopback: ${CONNECTIONS} connections, ${SECONDS} s x ${ROUNDS} rounds (medians)`);
  console.table(rows);
  fs.mkdirSync(path.join(root, 'bench'), { recursive: true });
  fs.writeFileSync(path.join(root, 'bench/results-issuer.json'), `${JSON.stringify(rows, null, 2)}\n`);
  if (problems.length > 0) {
    console.error(`PROBLEMS:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log('0 errors, 0 non-2xx; no family with two live refresh tokens.');
  }
}

function round2(x) {
  return Math.round(x * 100) / 100;
}

if (process.argv[2] === '--serve') await serve(process.argv[3]);
else await main();
