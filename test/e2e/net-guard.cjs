'use strict';
/**
 * A network guard for a Node process under test, preloaded with `node --require test/e2e/net-guard.cjs`
 * (or in NODE_OPTIONS, so child processes get it too; worker threads inherit it from the process).
 *
 * Every outgoing use of the network — a TCP or TLS connection (net, tls, http, https and fetch all end in
 * net.Socket#connect), a DNS query (dns and dns/promises), a UDP datagram (dgram) — is checked against
 * the loopback range (127.0.0.0/8, ::1, `localhost`) BEFORE anything is sent: a destination outside it is
 * refused (the socket errors with code ERR_NET_GUARD, a DNS call fails with it), so not even a DNS query
 * or a SYN leaves the machine. Each use, allowed or refused, is appended as one JSON line
 * (`{ pid, kind, host, port, allowed }`) to the file named by NET_GUARD_RECORD, when set; the refused ones
 * are also in `require('net-guard.cjs').refused`.
 *
 * A Unix socket or pipe (`path`) is local IPC and allowed. Listening is not checked: only where a process
 * reaches out to.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: `node --require` preloads it. */
const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');
const dgram = require('node:dgram');

const RECORD = process.env.NET_GUARD_RECORD;
const CODE = 'ERR_NET_GUARD';

const loopback = new net.BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for a loopback IP literal or the name `localhost` (what Node connects to when no host is given). */
function isLoopback(host) {
  if (host === undefined || host === null || host === '') return true; // Node's default host is localhost
  let h = String(host).toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h === 'localhost.') return true;
  const family = net.isIP(h);
  if (family === 4) return loopback.check(h, 'ipv4');
  if (family === 6) return loopback.check(h, 'ipv6');
  return false; // any other name would need a DNS query to a resolver that is not ours
}

/** Every refused use in this process, for a caller that loads the guard with require(). */
const refused = [];

function record(kind, host, port, allowed) {
  if (!allowed) refused.push({ kind, host: host ?? null, port: port ?? null });
  if (!RECORD) return;
  const line = JSON.stringify({ pid: process.pid, kind, host: host ?? null, port: port ?? null, allowed });
  try {
    fs.appendFileSync(RECORD, `${line}\n`);
  } catch {
    // A record that cannot be written must not change what the process does; the test sees the gap.
  }
}

function refusal(kind, host, port) {
  const where = port === undefined || port === null ? String(host) : `${host}:${port}`;
  const error = new Error(`net-guard: ${kind} to ${where} refused: only loopback is allowed`);
  error.code = CODE;
  return error;
}

// --- TCP and TLS: net.connect, tls.connect, http(s).request, fetch (undici) all call Socket#connect. ---

/** Socket#connect's arguments as net.connect would normalize them: [options, cb] or (port, host, cb) or (path, cb). */
function destination(args) {
  // net.connect() passes its already normalized [options, cb] array as the single argument.
  const a = Array.isArray(args[0]) ? args[0] : args;
  const first = a[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return { path: String(first.path) };
    return { host: first.host, port: first.port };
  }
  if (typeof first === 'string' && !/^\s*\d+\s*$/.test(first)) return { path: first };
  return { host: typeof a[1] === 'string' ? a[1] : undefined, port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const to = destination(args);
  if (to.path !== undefined) {
    record('ipc', to.path, null, true);
    return originalConnect.apply(this, args);
  }
  const allowed = isLoopback(to.host);
  record('tcp', to.host ?? 'localhost', to.port, allowed);
  if (allowed) return originalConnect.apply(this, args);
  // Fail the way an unreachable host does — an 'error' on the socket, asynchronously — but before the
  // original connect runs, so no lookup and no packet happens.
  // `connecting` as the original would set it: tls waits for 'connect' instead of starting a handshake.
  const error = refusal('connection', to.host, to.port);
  this.connecting = true;
  process.nextTick(() => this.destroy(error));
  return this;
};

// --- DNS: only names that need no resolver pass. ---

const LOOKUPS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse'];

function guardCallbackApi(target, name) {
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function guardedDns(host, ...rest) {
    const allowed = isLoopback(host);
    record(`dns.${name}`, host, null, allowed);
    if (allowed) return original.call(this, host, ...rest);
    const callback = rest.reverse().find((r) => typeof r === 'function');
    const error = refusal(`dns.${name}`, host);
    if (callback) process.nextTick(() => callback(error));
    else throw error;
    return undefined;
  };
}

function guardPromiseApi(target, name) {
  const original = target[name];
  if (typeof original !== 'function') return;
  target[name] = function guardedDnsPromise(host, ...rest) {
    const allowed = isLoopback(host);
    record(`dns.promises.${name}`, host, null, allowed);
    if (allowed) return original.call(this, host, ...rest);
    return Promise.reject(refusal(`dns.${name}`, host));
  };
}

for (const name of LOOKUPS) {
  guardCallbackApi(dns, name);
  guardCallbackApi(dns.Resolver.prototype, name);
  guardPromiseApi(dns.promises, name);
  guardPromiseApi(dns.promises.Resolver.prototype, name);
}

// --- UDP ---

const originalUdpConnect = dgram.Socket.prototype.connect;
dgram.Socket.prototype.connect = function guardedUdpConnect(port, address, ...rest) {
  const host = typeof address === 'string' ? address : undefined;
  const allowed = isLoopback(host);
  record('udp.connect', host ?? 'localhost', port, allowed);
  if (allowed) return originalUdpConnect.call(this, port, address, ...rest);
  throw refusal('udp connect', host, port);
};

const originalSend = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function guardedSend(...args) {
  // send(msg[, offset, length][, port][, address][, callback]): the address is the string after the port.
  const rest = args.slice(1).filter((a) => typeof a !== 'function');
  const address = rest.find((a) => typeof a === 'string');
  const port = rest.filter((a) => typeof a === 'number').pop();
  if (port !== undefined || address !== undefined) {
    const allowed = isLoopback(address);
    record('udp.send', address ?? 'localhost', port, allowed);
    if (!allowed) throw refusal('udp send', address, port);
  }
  return originalSend.apply(this, args);
};

module.exports = { isLoopback, refused, CODE };
