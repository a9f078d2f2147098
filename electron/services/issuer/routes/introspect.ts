/**
 * `POST /introspect` (RFC 7662): for confidential clients only (a resource server). `{"active": false}` for
 * anything revoked, expired, unknown or not issued here — nothing more is said about such a token (§2.2).
 */
import { invalidRequest } from '../errors';
import { readForm, sendJson } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';
import { PATHS } from './discovery';
import { authenticateClient } from './token';

const MAX_TOKEN = 16 * 1024;

export function introspectRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.introspect,
      cors: 'public',
      methods: {
        POST: async (ctx) => {
          const form = await readForm(ctx);
          const client = authenticateClient(core, ctx, form, true);
          const token = form.get('token');
          if (token === null) throw invalidRequest('token is required');
          const answer = token.length > MAX_TOKEN ? { active: false } : await core.introspect(token);
          core.log.info('introspect', `introspection by ${client.id}: ${answer.active ? 'active' : 'inactive'}`, { client: client.id, active: answer.active === true });
          sendJson(ctx, 200, answer);
        },
      },
    },
  ];
}
