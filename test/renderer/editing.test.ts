// Editing the Header / Payload panes, re-signing through the host, going back, history and JWKS fetching:
// the store without React, under fake timers, with a host that answers only when told.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { decodeToken } from '../../shared/core/decode';
import { createWorkbenchStore } from '../../renderer/src/store';
import type { WorkbenchStore } from '../../renderer/src/store';
import { composeToken } from '../../renderer/src/store/compose';
import { fixtureJson } from '../shared/crypto-fixtures';
import { NOW, createFakeHost, makeToken } from './harness';
import type { FakeHost } from './harness';

const HEADER = { alg: 'HS256', typ: 'JWT' };
const PAYLOAD = { sub: 'u1', role: 'reader', exp: NOW + 60 };
const TOKEN = makeToken(HEADER, PAYLOAD, 'b3JpZ2luYWwtc2lnbmF0dXJl');

let host: FakeHost;
let store: WorkbenchStore;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  host = createFakeHost();
  store = createWorkbenchStore({ host, now: () => NOW, verifyDelayMs: 100, historyDelayMs: 500 });
});

afterEach(() => {
  store.getState().cancelVerify();
  store.getState().clearHistory();
  vi.useRealTimers();
});

const s = () => store.getState();
const textOf = (segment: string) => new TextDecoder().decode(Uint8Array.from(atob(segment.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
const payloadOf = (token: string) => JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)))) as unknown;

describe('pane texts', () => {
  it('shows the decoded header and payload as indented JSON, and keeps them while the input is broken', () => {
    s().setInput(TOKEN);
    expect(JSON.parse(s().headerText)).toEqual(HEADER);
    expect(s().payloadText).toBe(JSON.stringify(PAYLOAD, null, 2));
    expect(s().headerEditable && s().payloadEditable).toBe(true);
    s().setInput(`${TOKEN}*`);
    expect(s().decodeError).not.toBeNull();
    expect(s().payloadText).toBe(JSON.stringify(PAYLOAD, null, 2));
  });

  it('makes the panes of a JWE read-only (its payload is encrypted)', () => {
    const jwe = `${btoa(JSON.stringify({ alg: 'RSA-OAEP', enc: 'A256GCM' })).replace(/=+$/, '')}.a2V5.aXY.Y2lwaGVy.dGFn`;
    s().setInput(jwe);
    expect(s().decoded?.kind).toBe('jwe');
    expect(s().headerEditable).toBe(false);
    expect(s().payloadEditable).toBe(false);
  });
});

describe('editing without a key', () => {
  it('builds a new compact token with the old signature, marked no longer valid, carrying the pane text as typed', () => {
    s().setInput(TOKEN);
    const typed = JSON.stringify({ ...PAYLOAD, role: 'admin' }, null, 4);
    s().editPayload(typed);
    expect(s().modification).toEqual({ status: 'unsigned', reason: 'no signing key is entered' });
    expect(s().original).toBe(TOKEN);
    expect(s().input).not.toBe(TOKEN);
    expect(s().input.split('.')[2]).toBe('b3JpZ2luYWwtc2lnbmF0dXJl');
    expect(payloadOf(s().input)).toEqual({ ...PAYLOAD, role: 'admin' });
    // The token carries the pane's text byte for byte (as `jwtdbg sign` does), and the pane keeps it.
    expect(textOf(s().input.split('.')[1]!)).toBe(typed);
    expect(s().payloadText).toBe(typed);
    expect(host.callsTo('crypto.sign')).toHaveLength(0);
  });

  it('reports an edit that is not JSON at its place in the pane, and leaves the token alone', () => {
    s().setInput(TOKEN);
    s().editPayload('{"sub": "u1",, }');
    expect(s().draftError).toMatchObject({ pane: 'payload', offset: 13 });
    expect(s().draftError!.message).toMatch(/Payload is not valid JSON: .*line 1, column 14/);
    expect(s().input).toBe(TOKEN);
    expect(s().modification).toBeNull();
  });

  it('refuses a header that is not an object', () => {
    s().setInput(TOKEN);
    s().editHeader('[1]');
    expect(s().draftError).toMatchObject({ pane: 'header', message: 'The header must be a JSON object' });
  });

  it('drops the signature when the edited header says alg none', () => {
    s().setInput(TOKEN);
    s().editHeader('{"alg": "none"}');
    expect(s().modification).toEqual({ status: 'unsecured' });
    expect(s().input.endsWith('.')).toBe(true);
    expect(s().decoded?.kind).toBe('unsecured');
  });

  it('goes back to the token as pasted in one action', () => {
    s().setInput(TOKEN);
    s().editPayload('{"sub": "x"}');
    s().editPayload('{"sub": "y"}');
    expect(s().original).toBe(TOKEN);
    s().revertToOriginal();
    expect(s().input).toBe(TOKEN);
    expect(s().modification).toBeNull();
    expect(s().original).toBeNull();
    expect(s().payloadText).toBe(JSON.stringify(PAYLOAD, null, 2));
  });
});

describe('re-signing through the host', () => {
  it('signs the Header and Payload panes\' exact text with the entered key and shows the new token', async () => {
    s().setInput(TOKEN);
    s().setKeyText('a-secret');
    expect(host.callsTo('crypto.sign')).toHaveLength(0); // a key alone never re-signs a pasted token
    s().editPayload('{ "sub": "u2" }');
    expect(s().modification).toEqual({ status: 'signing', keyLabel: 'the secret (utf8)' });
    const [call] = host.callsTo('crypto.sign');
    expect(call!.request).toEqual({ headerText: JSON.stringify(HEADER, null, 2), payloadText: '{ "sub": "u2" }', key: { type: 'secret', value: 'a-secret', encoding: 'utf8' } });
    const signed = makeToken(HEADER, { sub: 'u2' }, 'bmV3LXNpZ25hdHVyZQ');
    call!.respond({ ok: true, value: { token: signed, alg: 'HS256', warnings: [], headerText: JSON.stringify(HEADER), kid: null } });
    await vi.waitFor(() => expect(s().input).toBe(signed));
    expect(s().modification).toEqual({ status: 'resigned', keyLabel: 'the secret (utf8)', alg: 'HS256' });
    // The panes keep the user's text: no feedback loop rewrites what they are typing.
    expect(s().payloadText).toBe('{ "sub": "u2" }');
    // And the new token is what gets verified.
    vi.advanceTimersByTime(100);
    expect(host.callsTo('crypto.verify').at(-1)!.request.token).toBe(signed);
  });

  it('drops a signing answer that a newer edit superseded', async () => {
    s().setInput(TOKEN);
    s().setKeyText('a-secret');
    s().editPayload('{"sub": "first"}');
    s().editPayload('{"sub": "second"}');
    const [first, second] = host.callsTo('crypto.sign');
    const secondToken = makeToken(HEADER, { sub: 'second' }, 'c2Vjb25k');
    second!.respond({ ok: true, value: { token: secondToken, alg: 'HS256', warnings: [], headerText: '', kid: null } });
    await vi.waitFor(() => expect(s().input).toBe(secondToken));
    first!.respond({ ok: true, value: { token: makeToken(HEADER, { sub: 'first' }), alg: 'HS256', warnings: [], headerText: '', kid: null } });
    await Promise.resolve();
    await Promise.resolve();
    expect(s().input).toBe(secondToken);
  });

  it('drops a signing answer once the user pasted another token', async () => {
    s().setInput(TOKEN);
    s().setKeyText('a-secret');
    s().editPayload('{"sub": "x"}');
    const other = makeToken(HEADER, { sub: 'other' });
    s().setInput(other);
    host.callsTo('crypto.sign')[0]!.respond({ ok: true, value: { token: makeToken(HEADER, { sub: 'x' }), alg: 'HS256', warnings: [], headerText: '', kid: null } });
    await Promise.resolve();
    await Promise.resolve();
    expect(s().input).toBe(other);
    expect(s().modification).toBeNull();
  });

  it('says why when the key cannot sign (a public key), keeping the edit', async () => {
    s().setInput(TOKEN);
    s().setKeySource('pem');
    s().setKeyText('-----BEGIN PUBLIC KEY-----');
    s().editPayload('{"sub": "x"}');
    host.callsTo('crypto.sign')[0]!.respond({ ok: false, error: { code: 'key-not-private', message: 'A public key cannot sign' } });
    await vi.waitFor(() => expect(s().modification).toEqual({ status: 'unsigned', reason: 'A public key cannot sign' }));
    expect(payloadOf(s().input)).toEqual({ sub: 'x' });
  });

  it('re-signs a modified token when the key changes, never a pasted one', () => {
    s().setInput(TOKEN);
    s().setKeyText('k1');
    s().setKeyText('k2');
    expect(host.callsTo('crypto.sign')).toHaveLength(0);
    s().editPayload('{"sub": "x"}');
    s().setKeyText('k3');
    const calls = host.callsTo('crypto.sign');
    expect(calls.map((c) => (c.request.key as { value: string }).value)).toEqual(['k2', 'k3']);
  });
});

describe('exact text and modified as a comparison', () => {
  it('encodes the payload exactly as typed: 1.0, member order and spacing survive a decode', () => {
    s().setInput(TOKEN);
    const typed = '{"a": 1.0,  "z":1, "b":2}';
    s().editPayload(typed);
    expect(s().draftError).toBeNull();
    expect(textOf(s().input.split('.')[1]!)).toBe(typed);
    // The unsigned token's header segment is the header pane's text, unchanged.
    expect(textOf(s().input.split('.')[0]!)).toBe(s().headerText);
    expect(s().payloadText).toBe(typed);
  });

  it('still refuses a header that repeats a member, at the repeat', () => {
    s().setInput(TOKEN);
    s().editHeader('{"alg": "HS256", "alg": "none"}');
    expect(s().draftError).toMatchObject({ pane: 'header', offset: 17, message: expect.stringContaining('"alg" twice') });
    expect(s().input).toBe(TOKEN);
  });

  it('is unmodified again, with the loaded token, when the panes return to the text they were loaded with', () => {
    s().setInput(TOKEN);
    const loadedPayload = s().payloadText;
    s().editPayload(loadedPayload.replace('reader', 'admin'));
    expect(s().modification).not.toBeNull();
    expect(s().input).not.toBe(TOKEN);
    s().editPayload(loadedPayload); // an undo back to the loaded text
    expect(s().modification).toBeNull();
    expect(s().original).toBeNull();
    expect(s().input).toBe(TOKEN); // the loaded token, not a re-encode of the pretty-printed text
    expect(s().payloadText).toBe(loadedPayload);
  });

  it('drops a pending re-sign when the edit is undone, and clears a draft error on the way back', async () => {
    s().setInput(TOKEN);
    s().setKeyText('a-secret');
    const loadedHeader = s().headerText;
    s().editHeader('{"alg": "HS256",');
    expect(s().draftError?.pane).toBe('header');
    s().editHeader(loadedHeader.replace('JWT', 'at+jwt'));
    expect(s().modification?.status).toBe('signing');
    s().editHeader(loadedHeader);
    expect(s().modification).toBeNull();
    expect(s().draftError).toBeNull();
    host.callsTo('crypto.sign')[0]!.respond({ ok: true, value: { token: makeToken({ alg: 'HS256', typ: 'at+jwt' }, PAYLOAD), alg: 'HS256', warnings: [], headerText: '', kid: null } });
    await Promise.resolve();
    await Promise.resolve();
    expect(s().input).toBe(TOKEN);
    expect(s().modification).toBeNull();
    // What gets verified is the loaded token again.
    vi.advanceTimersByTime(100);
    expect(host.callsTo('crypto.verify').at(-1)!.request.token).toBe(TOKEN);
  });

  it('is unmodified when the typed text encodes to the loaded token\'s own bytes', () => {
    const compact = `${btoa('{"alg":"HS256"}').replace(/=+$/, '')}.${btoa('{"sub":"u1"}').replace(/=+$/, '')}.c2ln`;
    s().setInput(compact);
    s().editHeader('{"alg":"HS256"}');
    s().editPayload('{"sub":"u2"}');
    expect(s().modification).not.toBeNull();
    s().editPayload('{"sub":"u1"}'); // not the panes' loaded (indented) text, but the token's own bytes
    expect(s().modification).toBeNull();
    expect(s().input).toBe(compact);
  });

  it('is unmodified when re-signing makes the loaded token again (a deterministic signature)', async () => {
    const compact = `${btoa('{"alg":"HS256"}').replace(/=+$/, '')}.${btoa('{"sub":"u1"}').replace(/=+$/, '')}.c2ln`;
    s().setInput(compact);
    s().setKeyText('a-secret');
    s().editPayload('{"sub":"u1"} ');
    host.callsTo('crypto.sign')[0]!.respond({ ok: true, value: { token: compact, alg: 'HS256', warnings: [], headerText: '{"alg":"HS256"}', kid: null } });
    await vi.waitFor(() => expect(s().modification).toBeNull());
    expect(s().original).toBeNull();
    expect(s().input).toBe(compact);
  });
});

describe('history', () => {
  it('remembers a token once typing settles on it, newest first, without duplicates, until cleared', () => {
    const a = makeToken(HEADER, { sub: 'alice' });
    const b = makeToken({ alg: 'RS256' }, { iss: 'https://idp' });
    s().setInput(a.slice(0, -3));
    s().setInput(a);
    vi.advanceTimersByTime(500);
    s().setInput(b);
    vi.advanceTimersByTime(500);
    s().setInput(a);
    vi.advanceTimersByTime(500);
    expect(s().history.map((h) => h.label)).toEqual(['HS256 · sub alice', 'RS256 · iss https://idp']);
    expect(s().history.map((h) => h.token)).toEqual([a, b]);
    s().clearHistory();
    expect(s().history).toEqual([]);
  });

  it('does not remember a token that was on screen only briefly', () => {
    s().setInput(makeToken(HEADER, { sub: 'brief' }));
    vi.advanceTimersByTime(200);
    s().setInput('');
    vi.advanceTimersByTime(1000);
    expect(s().history).toEqual([]);
  });
});

describe('JWKS from a URL', () => {
  it('asks the host only when told to, and uses the answer as the key', async () => {
    s().setInput(TOKEN);
    s().setJwksUrl('https://idp.example/jwks.json');
    expect(host.callsTo('jwks.fetch')).toHaveLength(0);
    const pending = s().fetchJwks();
    expect(s().jwksFetch).toEqual({ status: 'pending', url: 'https://idp.example/jwks.json' });
    host.callsTo('jwks.fetch')[0]!.respond({ ok: true, value: { jwks: '{"keys":[]}', keys: 0, url: 'https://idp.example/jwks.json' } });
    await pending;
    expect(s().keySource).toBe('jwks');
    expect(s().keyText).toBe('{"keys":[]}');
    expect(s().jwksFetch).toMatchObject({ status: 'done', keys: 0 });
    expect(s().input).toBe(TOKEN);
  });

  it('shows the host’s reason when the fetch fails, and keeps the key', async () => {
    s().setKeyText('previous');
    s().setJwksUrl('https://down.example/jwks');
    const pending = s().fetchJwks();
    host.callsTo('jwks.fetch')[0]!.respond({ ok: false, error: { code: 'fetch-timeout', message: 'No answer' } });
    await pending;
    expect(s().jwksFetch).toMatchObject({ status: 'failed', error: { code: 'fetch-timeout' } });
    expect(s().keyText).toBe('previous');
  });
});

describe('composeToken', () => {
  it('keeps an SD-JWT’s Disclosures after the edited issuer JWT, and drops its KB-JWT (its sd_hash no longer fits)', () => {
    const rfc = fixtureJson<{ presentation: string; disclosures: Record<string, string>; keyBinding: { jwt: string } }>('sd-jwt/rfc9901.json');
    const decoded = decodeToken(rfc.presentation);
    if (!decoded.ok) throw new Error('fixture does not decode');
    const result = composeToken(decoded.token, '{"alg": "ES256"}', '{"sub": "edited"}');
    if (!result.ok) throw new Error(result.error.message);
    const { suffix, unsigned } = result.value;
    expect(suffix).toBe(`~${rfc.disclosures.family_name}~${rfc.disclosures.address}~${rfc.disclosures.given_name}~${rfc.disclosures.nationality_US}~`);
    expect(unsigned.endsWith(suffix)).toBe(true);
    expect(unsigned).not.toContain(rfc.keyBinding.jwt);
    // The edit still decodes as an SD-JWT (its digests no longer match, which verification reports).
    const again = decodeToken(unsigned);
    expect(again.ok && again.token.sdJwt?.disclosures).toHaveLength(4);
  });

  it('keeps a text payload as typed when the original payload was not JSON', () => {
    const token = `${makeToken(HEADER, {}).split('.')[0]}.${btoa('hello').replace(/=+$/, '')}.c2ln`;
    const decoded = decodeToken(token);
    if (!decoded.ok) throw new Error('fixture does not decode');
    const result = composeToken(decoded.token, '{"alg":"HS256"}', 'hello, world');
    expect(result.ok && result.value.payloadText).toBe('hello, world');
  });

  it('refuses, naming why, to re-encode a token whose payload is not UTF-8 (the pane holds a hex dump)', () => {
    // `__8` decodes to ff ff: never UTF-8.
    const decoded = decodeToken(`${makeToken(HEADER, {}).split('.')[0]}.__8.c2ln`);
    if (!decoded.ok) throw new Error('fixture does not decode');
    const result = composeToken(decoded.token, '{"alg":"HS384"}', '00000000  ff ff');
    expect(result).toMatchObject({ ok: false, error: { pane: 'header', message: expect.stringContaining('not UTF-8') } });
  });
});
