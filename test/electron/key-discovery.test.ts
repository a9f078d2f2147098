// Key discovery (`verify --discover`, `verify --jwks-url`) through the built CLI, against the project's own
// issuer and tiny node:http servers, all on 127.0.0.1.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverKeys, metadataUrls } from '../../electron/services/key-discovery';
import { buildCliHarness, jsonLines } from './cli-harness';
import type { CliHarness } from './cli-harness';
import { startTestIssuer, T0 } from './issuer-helpers';
import type { TestIssuer } from './issuer-helpers';
import { serveJson } from './json-server';

const NOW = String(T0 / 1000 + 60);

let cli: CliHarness;
let issuer: TestIssuer;

beforeAll(async () => {
  [cli, issuer] = await Promise.all([buildCliHarness(), startTestIssuer()]);
}, 60_000);

afterAll(async () => {
  cli?.dispose();
  await issuer?.close();
});


async function es256(): Promise<{ jwks: { keys: unknown[] }; sign: (claims: Record<string, unknown>) => Promise<string> }> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  return {
    jwks: { keys: [jwk] },
    sign: (claims) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).setIssuedAt(Number(NOW) - 10).sign(privateKey),
  };
}

interface VerifyLine {
  valid: boolean;
  ok: boolean;
  reason: string | null;
  key: { kid: string | null; source?: string } | null;
  error: { code: string; message: string } | null;
}

describe('verify --discover against the project issuer', () => {
  it('verifies a token the issuer minted and reports the key source', async () => {
    const { access_token: token } = await issuer.passwordLogin();
    const meta = (await (await fetch(issuer.url('/.well-known/openid-configuration'))).json()) as { jwks_uri: string };
    const run = await cli.run(['verify', token, '--discover', '--json', '--now', NOW]);
    expect(run.stderr).toBe('');
    const [line] = jsonLines(run.stdout) as VerifyLine[];
    expect(line).toMatchObject({ valid: true, ok: true });
    expect(line!.key?.source).toBe(`discovery:${meta.jwks_uri}`);
    expect(line!.key?.kid).not.toBeNull();
    expect(run.code).toBe(0);
  }, 30_000);

  it('verifies with --jwks-url and reports that source; without any key source it is a usage error', async () => {
    const { access_token: token } = await issuer.passwordLogin();
    const meta = (await (await fetch(issuer.url('/.well-known/openid-configuration'))).json()) as { jwks_uri: string };
    const run = await cli.run(['verify', token, '--jwks-url', meta.jwks_uri, '--json', '--now', NOW]);
    const [line] = jsonLines(run.stdout) as VerifyLine[];
    expect(line).toMatchObject({ valid: true, ok: true, key: { source: `jwks:${meta.jwks_uri}` } });
    expect(run.code).toBe(0);

    const refused = await cli.run(['verify', token, '--jwks-url', 'file:///etc/passwd', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('url-invalid');

    const none = await cli.run(['verify', token, '--json', '--now', NOW]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--discover');
  }, 30_000);

  it('refuses two key sources at once', async () => {
    const { access_token: token } = await issuer.passwordLogin();
    const run = await cli.run(['verify', token, '--discover', '--secret', 'x'.repeat(32), '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('one key source');
  }, 30_000);
});

describe('verify --discover against hand-made metadata', () => {
  it('falls back to the RFC 8414 location (well-known segment before the path) when OIDC has none', async () => {
    const keys = await es256();
    const server = await serveJson((base) => ({
      '/.well-known/oauth-authorization-server/tenant': { issuer: `${base}/tenant`, jwks_uri: `${base}/keys` },
      '/keys': keys.jwks,
    }));
    try {
      const token = await keys.sign({ iss: `${server.base}/tenant`, sub: 'bob' });
      const run = await cli.run(['verify', token, '--discover', '--json', '--now', NOW]);
      const [line] = jsonLines(run.stdout) as VerifyLine[];
      expect(line).toMatchObject({ valid: true, ok: true, key: { kid: 'k1', source: `discovery:${server.base}/keys` } });
      expect(server.requests).toEqual(['/tenant/.well-known/openid-configuration', '/.well-known/oauth-authorization-server/tenant', '/keys']);
    } finally {
      await server.close();
    }
  }, 30_000);

  it('refuses metadata naming another issuer, and fetches no keys', async () => {
    const keys = await es256();
    const server = await serveJson((base) => ({
      '/.well-known/openid-configuration': { issuer: 'https://elsewhere.example', jwks_uri: `${base}/keys` },
      '/keys': keys.jwks,
    }));
    try {
      const token = await keys.sign({ iss: server.base, sub: 'bob' });
      const run = await cli.run(['verify', token, '--discover', '--json', '--now', NOW]);
      const [line] = jsonLines(run.stdout) as VerifyLine[];
      expect(line).toMatchObject({ valid: false, ok: false, reason: 'key-unavailable', key: null, error: { code: 'issuer-mismatch' } });
      expect(run.code).toBe(1);
      expect(server.requests).not.toContain('/keys');
    } finally {
      await server.close();
    }
  }, 30_000);

  it('refuses an iss that is not an http(s) URL, and one that is missing', async () => {
    const keys = await es256();
    const input = `${await keys.sign({ iss: 'file:///etc/passwd' })}\n${await keys.sign({ sub: 'no-iss' })}\n`;
    const run = await cli.run(['verify', '--discover', '--json', '--now', NOW], { input });
    const lines = jsonLines(run.stdout) as VerifyLine[];
    expect(lines.map((l) => [l.reason, l.error?.code])).toEqual([
      ['key-unavailable', 'iss-not-url'],
      ['key-unavailable', 'iss-missing'],
    ]);
    expect(run.code).toBe(1);
  }, 30_000);

  it('fetches once per distinct iss in a stdin batch', async () => {
    const keys = await es256();
    const server = await serveJson((base) => ({
      '/.well-known/openid-configuration': { issuer: base, jwks_uri: `${base}/keys` },
      '/keys': keys.jwks,
    }));
    try {
      const tokens = await Promise.all([1, 2, 3].map((n) => keys.sign({ iss: server.base, sub: `user-${n}` })));
      const run = await cli.run(['verify', '--discover', '--json', '--now', NOW], { input: `${tokens.join('\n')}\n` });
      const lines = jsonLines(run.stdout) as VerifyLine[];
      expect(lines.map((l) => l.ok)).toEqual([true, true, true]);
      expect(server.requests).toEqual(['/.well-known/openid-configuration', '/keys']);
      expect(run.code).toBe(0);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('discoverKeys', () => {
  it('builds the OIDC then RFC 8414 locations', () => {
    expect(metadataUrls('https://id.example/tenant/')).toEqual([
      'https://id.example/tenant/.well-known/openid-configuration',
      'https://id.example/.well-known/oauth-authorization-server/tenant',
    ]);
    expect(metadataUrls('https://id.example')).toEqual([
      'https://id.example/.well-known/openid-configuration',
      'https://id.example/.well-known/oauth-authorization-server',
    ]);
  });

  it('refuses credentials in iss and a non-http jwks_uri, with stable codes', async () => {
    await expect(discoverKeys('https://user:pw@id.example')).rejects.toMatchObject({ code: 'iss-not-url' });
    await expect(discoverKeys(42)).rejects.toMatchObject({ code: 'iss-not-url' });
    const server = await serveJson((base) => ({ '/.well-known/openid-configuration': { issuer: base, jwks_uri: 'file:///etc/passwd' } }));
    try {
      await expect(discoverKeys(server.base)).rejects.toMatchObject({ name: 'KeyDiscoveryError', code: 'jwks-uri-invalid' });
    } finally {
      await server.close();
    }
  });

  it('says discovery-failed when neither location answers', async () => {
    const server = await serveJson(() => ({}));
    try {
      await expect(discoverKeys(server.base, { timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'discovery-failed' });
      expect(server.requests).toEqual(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);
    } finally {
      await server.close();
    }
  });
});
