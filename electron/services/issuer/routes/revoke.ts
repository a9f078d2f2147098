/**
 * `POST /revoke` (RFC 7009): 200 for any token, known or not (§2.2). Revoking a refresh token revokes its
 * whole family and the access tokens issued from it; revoking an access token puts its jti on the deny-list.
 */
import { invalidRequest } from '../errors';
import { readForm, sendEmpty } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';
import { PATHS } from './discovery';
import { authenticateClient } from './token';

const MAX_TOKEN = 16 * 1024;

export function revokeRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.revoke,
      cors: 'public',
      methods: {
        POST: async (ctx) => {
          const form = await readForm(ctx);
          const client = authenticateClient(core, ctx, form);
          const token = form.get('token');
          if (token === null) throw invalidRequest('token is required');
          if (token.length <= MAX_TOKEN) await core.revoke(client, token, form.get('token_type_hint'));
          sendEmpty(ctx, 200);
        },
      },
    },
  ];
}
