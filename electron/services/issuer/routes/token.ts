/**
 * `POST /token` (RFC 6749 §3.2): the password (simulation only; RFC 9700 §2.4 forbids it), refresh_token,
 * client_credentials and authorization_code grants. Successful answers per §5.1, errors per §5.2.
 */
import { toSeconds } from '../clock';
import type { Client } from '../clients';
import { HttpError, invalidClient, invalidRequest } from '../errors';
import { readForm, sendJson } from '../http';
import type { RequestContext } from '../http';
import { parseScope } from '../issuer';
import type { IssuerCore, TokenSet } from '../issuer';
import type { RouteDef } from '../router';
import { dpopHeader } from '../dpop';
import { endpoint, PATHS } from './discovery';

const GRANTS = new Set(['password', 'refresh_token', 'client_credentials', 'authorization_code']);

/** The device id a client sent for binding: a form parameter or the X-Device-Id header. */
export function deviceIdOf(ctx: RequestContext, fromBody: string | null | undefined): string | null {
  const header = ctx.req.headers['x-device-id'];
  return fromBody ?? (typeof header === 'string' && header !== '' ? header : null);
}

/** Authenticates the client of a form request; 401 invalid_client (or 400) when that fails. */
export function authenticateClient(core: IssuerCore, ctx: RequestContext, form: URLSearchParams, confidentialOnly = false): Client {
  const auth = core.clients.authenticate(ctx.req.headers.authorization, form, confidentialOnly);
  if (auth.ok) return auth.client;
  core.log.warn('client.auth-failed', auth.description, { ip: ctx.ip });
  throw auth.error === 'invalid_client' ? invalidClient(auth.description, auth.usedBasic) : invalidRequest(auth.description);
}

export function tokenResponse(tokens: TokenSet, dpopBound = false): Record<string, unknown> {
  return {
    access_token: tokens.accessToken,
    // RFC 9449 §5: a token bound to the client's DPoP key is of type DPoP.
    token_type: dpopBound ? 'DPoP' : 'Bearer',
    expires_in: tokens.expiresIn,
    scope: tokens.scope.join(' '),
    ...(tokens.refreshToken !== null && { refresh_token: tokens.refreshToken }),
    ...(tokens.idToken !== null && { id_token: tokens.idToken }),
  };
}

export function tokenRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.token,
      cors: 'public',
      methods: {
        POST: async (ctx) => {
          const form = await readForm(ctx);
          const grant = form.get('grant_type');
          if (grant === null) throw invalidRequest('grant_type is required');
          if (!GRANTS.has(grant)) throw new HttpError(400, 'unsupported_grant_type', `grant_type ${grant.slice(0, 64)} is not supported`);
          const client = authenticateClient(core, ctx, form);
          // A DPoP proof binds the access token to its key (RFC 9449 §5); checked before any grant is used up.
          const proof = dpopHeader(ctx.req.headers.dpop, 'token');
          const jkt = proof === null ? null : await core.dpop.check(proof, { htm: 'POST', htu: endpoint(core.issuer, PATHS.token) }, 'token');
          let tokens: TokenSet;
          switch (grant) {
            case 'password': {
              core.requireGrant(client, 'password');
              const user = await core.authenticateUser(form.get('username'), form.get('password'), ctx.ip);
              const scope = core.resolveScope(client, parseScope(form.get('scope')));
              tokens = await core.issueForUser({
                user, client, scope, authTime: toSeconds(core.now()), deviceId: deviceIdOf(ctx, form.get('device_id')), grant: 'password', jkt,
              });
              break;
            }
            case 'refresh_token':
              tokens = await core.refresh({
                client, refreshToken: form.get('refresh_token'), scope: parseScope(form.get('scope')), deviceId: deviceIdOf(ctx, form.get('device_id')), ip: ctx.ip, jkt,
              });
              break;
            case 'client_credentials':
              core.limitToken(ctx.ip);
              tokens = await core.clientCredentials(client, parseScope(form.get('scope')), jkt);
              break;
            default:
              tokens = await core.redeemCode({
                client, code: form.get('code'), redirectUri: form.get('redirect_uri'), codeVerifier: form.get('code_verifier'), ip: ctx.ip, jkt,
              });
          }
          sendJson(ctx, 200, tokenResponse(tokens, jkt !== null), jkt !== null ? { 'DPoP-Nonce': core.dpop.nonce() } : undefined);
        },
      },
    },
  ];
}
