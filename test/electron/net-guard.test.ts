/**
 * The network guard the privacy e2e test runs the web host under (test/e2e/net-guard.cjs): loopback is
 * allowed, and everything else — an IP outside 127.0.0.0/8 and ::1, or any name but localhost — is refused
 * and recorded, through every API a Node process can reach the network with.
 *
 * "Refused before connecting" is checked, not assumed: each child process also loads a tripwire below the
 * guard, at the native bindings (the TCP and UDP handles' connect/send, getaddrinfo) — the last JavaScript
 * step before a syscall. The tripwire throws instead of letting a non-loopback destination through, and
 * reports it; so nothing leaves the machine even if the guard were broken, and the test sees it. A control
 * run without the guard shows the tripwire does fire.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './cli-harness';

const GUARD = path.join(repoRoot, 'test/e2e/net-guard.cjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jwt-workbench-net-guard-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const TRIPWIRE = `
'use strict';
// A refusal the callers already handle: the native call answers ENETUNREACH instead of running.
const UNREACHABLE = -require('node:os').constants.errno.ENETUNREACH;
const loopback = (a) => a === 'localhost' || a === '::1' || /^(::ffff:)?127\\./.test(String(a));
const leak = (what) => { process.stdout.write('LEAK ' + what + '\\n'); return UNREACHABLE; };
const tcp = process.binding('tcp_wrap').TCP.prototype;
for (const m of ['connect', 'connect6']) {
  const original = tcp[m];
  tcp[m] = function (req, address, port) { return loopback(address) ? original.apply(this, arguments) : leak('tcp ' + address + ':' + port); };
}
const udp = process.binding('udp_wrap').UDP.prototype;
for (const m of ['send', 'send6', 'connect', 'connect6']) {
  const original = udp[m];
  if (typeof original !== 'function') continue;
  udp[m] = function (...args) {
    const address = args.find((a) => typeof a === 'string');
    return address === undefined || loopback(address) ? original.apply(this, args) : leak('udp ' + address);
  };
}
const cares = process.binding('cares_wrap');
const getaddrinfo = cares.getaddrinfo;
cares.getaddrinfo = function (req, host) { return loopback(host) ? getaddrinfo.apply(this, arguments) : leak('dns ' + host); };
for (const m of ['queryA', 'queryAaaa', 'queryAny', 'queryTxt', 'queryMx', 'querySrv', 'getHostByAddr']) {
  if (typeof cares.ChannelWrap.prototype[m] === 'function') cares.ChannelWrap.prototype[m] = function (req, name) { return leak('dns ' + m + ' ' + name); };
}
`;

/** Every way out the guard must cover; each line prints `name outcome` (outcome: the error code, or ok). */
const ATTEMPTS = `
'use strict';
const net = require('node:net'), tls = require('node:tls'), http = require('node:http'), https = require('node:https');
const dns = require('node:dns'), dgram = require('node:dgram');
const out = (name, outcome) => process.stdout.write(name + ' ' + outcome + '\\n');
const code = (e) => (e && (e.code || (e.cause && e.cause.code))) || String(e);
const settle = (name, p) => p.then(() => out(name, 'ok'), (e) => out(name, code(e)));
const socketOutcome = (name, make) => new Promise((resolve) => {
  let s;
  try { s = make(); } catch (e) { out(name, code(e)); return resolve(); }
  s.once('connect', () => { out(name, 'ok'); s.destroy(); resolve(); });
  s.once('secureConnect', () => { out(name, 'ok'); s.destroy(); resolve(); });
  s.once('error', (e) => { out(name, code(e)); resolve(); });
});
const requestOutcome = (name, lib, url) => new Promise((resolve) => {
  try {
    lib.get(url, (res) => { res.resume(); out(name, 'ok'); resolve(); }).once('error', (e) => { out(name, code(e)); resolve(); });
  } catch (e) { out(name, code(e)); resolve(); }
});
(async () => {
  const server = http.createServer((req, res) => res.end('hello')).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = server.address().port;
  // Allowed: loopback by address and by the name localhost.
  await socketOutcome('net-loopback', () => net.connect(port, '127.0.0.1'));
  await settle('fetch-loopback', fetch('http://127.0.0.1:' + port + '/').then((r) => r.text()).then((t) => { if (t !== 'hello') throw new Error(t); }));
  await requestOutcome('http-localhost', http, 'http://localhost:' + port + '/');
  await settle('dns-localhost', dns.promises.lookup('localhost'));
  // Refused: a private address, a documentation address, IPv6 and names that would need a resolver.
  await socketOutcome('net-private', () => net.connect({ host: '10.255.255.1', port: 9 }));
  await socketOutcome('net-ipv6', () => net.connect(9, '2001:db8::1'));
  await socketOutcome('net-name', () => net.createConnection(9, 'example.invalid'));
  await socketOutcome('tls-name', () => tls.connect({ host: 'example.invalid', port: 443 }));
  await settle('fetch-name', fetch('https://example.invalid/jwks.json'));
  await settle('fetch-private', fetch('http://10.255.255.1/') /* not port 9: fetch refuses that port itself */);
  await requestOutcome('http-private', http, 'http://10.255.255.1:9/');
  await requestOutcome('https-name', https, 'https://example.invalid/');
  await new Promise((r) => dns.lookup('example.invalid', (e) => { out('dns-lookup', code(e)); r(); }));
  await settle('dns-promises-resolve', dns.promises.resolve4('example.invalid'));
  await settle('dns-resolver', new dns.promises.Resolver().resolveTxt('example.invalid'));
  const udp = dgram.createSocket('udp4');
  await new Promise((r) => {
    try { udp.send(Buffer.from('x'), 53, '192.0.2.1', (e) => { out('udp-send', e ? code(e) : 'ok'); r(); }); } catch (e) { out('udp-send', code(e)); r(); }
  });
  udp.close();
  server.close();
})();
`;

const tripwire = path.join(dir, 'tripwire.cjs');
const attempts = path.join(dir, 'attempts.cjs');
fs.writeFileSync(tripwire, TRIPWIRE);
fs.writeFileSync(attempts, ATTEMPTS);

function runChild(preloads: string[], record?: string) {
  const r = spawnSync(process.execPath, [...preloads.flatMap((p) => ['--require', p]), attempts], {
    encoding: 'utf8',
    env: { ...process.env, NET_GUARD_RECORD: record ?? '', NODE_OPTIONS: '' },
    timeout: 30_000,
  });
  const outcomes = new Map<string, string>();
  const leaks: string[] = [];
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    if (line.startsWith('LEAK ')) leaks.push(line.slice(5));
    else outcomes.set(line.split(' ')[0]!, line.split(' ')[1]!);
  }
  return { status: r.status, stderr: r.stderr, outcomes, leaks };
}

describe('net-guard', () => {
  it('lets loopback through and refuses every other destination before it reaches the network', () => {
    const record = path.join(dir, 'record.jsonl');
    const { status, stderr, outcomes, leaks } = runChild([tripwire, GUARD], record);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(leaks).toEqual([]);
    expect(Object.fromEntries(outcomes)).toEqual({
      'net-loopback': 'ok',
      'fetch-loopback': 'ok',
      'http-localhost': 'ok',
      'dns-localhost': 'ok',
      'net-private': 'ERR_NET_GUARD',
      'net-ipv6': 'ERR_NET_GUARD',
      'net-name': 'ERR_NET_GUARD',
      'tls-name': 'ERR_NET_GUARD',
      'fetch-name': 'ERR_NET_GUARD',
      'fetch-private': 'ERR_NET_GUARD',
      'http-private': 'ERR_NET_GUARD',
      'https-name': 'ERR_NET_GUARD',
      'dns-lookup': 'ERR_NET_GUARD',
      'dns-promises-resolve': 'ERR_NET_GUARD',
      'dns-resolver': 'ERR_NET_GUARD',
      'udp-send': 'ERR_NET_GUARD',
    });

    // Every use is on record, with what was decided.
    const lines = fs.readFileSync(record, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; host: string; allowed: boolean });
    const refusedHosts = new Set(lines.filter((l) => !l.allowed).map((l) => l.host));
    expect([...refusedHosts].sort()).toEqual(['10.255.255.1', '192.0.2.1', '2001:db8::1', 'example.invalid']);
    expect(lines.filter((l) => l.allowed).every((l) => ['127.0.0.1', 'localhost'].includes(l.host))).toBe(true);
    expect(lines.some((l) => l.kind === 'tcp' && l.host === '127.0.0.1' && l.allowed)).toBe(true);
  });

  it('the tripwire fires without the guard (so the test above could fail)', () => {
    const { leaks, outcomes } = runChild([tripwire]);
    expect(leaks).toEqual(expect.arrayContaining(['tcp 10.255.255.1:9', 'tcp 10.255.255.1:80', 'tcp 2001:db8::1:9', 'dns example.invalid', 'udp 192.0.2.1']));
    expect(outcomes.get('net-private')).toBe('ENETUNREACH');
    expect(outcomes.get('net-loopback')).toBe('ok');
  });

  it('knows loopback when it sees it', async () => {
    const { isLoopback } = (await import(GUARD)) as { isLoopback: (h: unknown) => boolean };
    for (const h of ['127.0.0.1', '127.255.0.9', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', undefined]) {
      expect(isLoopback(h), String(h)).toBe(true);
    }
    for (const h of ['10.255.255.1', '0.0.0.0', '::', '128.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', 'example.invalid', 'localhost.example.com', '127.0.0.1.nip.io']) {
      expect(isLoopback(h), h).toBe(false);
    }
  });
});
