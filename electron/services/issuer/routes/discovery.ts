/**
 * Metadata and keys: `/.well-known/openid-configuration` (OIDC Discovery), `/.well-known/oauth-authorization-server`
 * (RFC 8414) and `/jwks` (RFC 7517 JWK Set: public keys only, never a secret).
 */
import { sendJson, sendText } from '../http';
import type { RequestContext } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';

export const PATHS = {
  authorize: '/authorize',
  token: '/token',
  jwks: '/jwks',
  revoke: '/revoke',
  introspect: '/introspect',
  userinfo: '/userinfo',
  resource: '/resource/me',
} as const;

/** An endpoint's absolute URL: the configured issuer URL, byte for byte, plus the path. */
export function endpoint(issuer: string, path: string): string {
  return `${issuer.endsWith('/') ? issuer.slice(0, -1) : issuer}${path}`;
}

export function discoveryDocument(core: IssuerCore): Record<string, unknown> {
  const at = (path: string): string => endpoint(core.issuer, path);
  // Every alg a still-published key signs with (the current key's first).
  const algs = [...new Set(core.keys.describe().map((key) => key.alg))];
  return {
    issuer: core.issuer,
    authorization_endpoint: at(PATHS.authorize),
    token_endpoint: at(PATHS.token),
    jwks_uri: at(PATHS.jwks),
    userinfo_endpoint: at(PATHS.userinfo),
    revocation_endpoint: at(PATHS.revoke),
    introspection_endpoint: at(PATHS.introspect),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    // password is kept for simulation only: RFC 9700 §2.4 says it MUST NOT be used.
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'password'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: algs,
    userinfo_signing_alg_values_supported: [],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    // RFC 9449 §5.1: proofs are checked with the shared core's asymmetric algorithms.
    dpop_signing_alg_values_supported: ['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512', 'EdDSA'],
    scopes_supported: core.clients.allScopes(),
    claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'sid', 'name', 'email', 'email_verified', 'preferred_username'],
    authorization_response_iss_parameter_supported: true,
    access_token_signing_alg_values_supported: algs,
  };
}

export function discoveryRoutes(core: IssuerCore): RouteDef[] {
  const metadata = {
    GET: (ctx: RequestContext) =>
      sendJson(ctx, 200, discoveryDocument(core), { 'Cache-Control': 'public, max-age=60' }),
  };
  return [
    { path: '/.well-known/openid-configuration', methods: metadata, cors: 'public' },
    { path: '/.well-known/oauth-authorization-server', methods: metadata, cors: 'public' },
    {
      path: PATHS.jwks,
      cors: 'public',
      methods: {
        GET: (ctx) =>
          sendText(ctx, 200, core.keys.jwks(core.now()), {
            'Content-Type': 'application/jwk-set+json',
            'Cache-Control': 'public, max-age=300',
            'X-Content-Type-Options': 'nosniff',
          }),
      },
    },
  ];
}
