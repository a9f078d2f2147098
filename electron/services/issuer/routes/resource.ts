/**
 * `GET /resource/me`: a protected resource on the same server, as a separate API would be. It verifies the
 * access token locally against the issuer's published keys (signature, typ, iss, aud, exp), then — as
 * configured — the user's token version and the deny-list. It is what turns the stepper's 401s into real ones.
 */
import { invalidToken } from '../errors';
import { bearerToken, sendJson } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';
import { PATHS } from './discovery';

export function resourceRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.resource,
      cors: 'public',
      methods: {
        GET: async (ctx) => {
          const token = bearerToken(ctx.req);
          if (token === null) throw invalidToken('an access token is required (Authorization: Bearer)', 'resource', false);
          const check = await core.checkAccessToken(token, {
            audience: core.audience(),
            denyList: core.settings.resourceChecksDenyList,
            version: core.settings.resourceChecksVersion,
          });
          if (!check.ok) {
            core.log.info('resource.refused', check.description, { problem: check.problem });
            throw invalidToken(check.description, 'resource', true);
          }
          const p = check.payload;
          sendJson(ctx, 200, {
            sub: p.sub,
            client_id: p.client_id,
            scope: p.scope ?? '',
            jti: p.jti,
            exp: p.exp,
            kid: check.header.kid ?? null,
            checks: {
              signature: true,
              denyList: core.settings.resourceChecksDenyList,
              version: core.settings.resourceChecksVersion,
            },
          });
        },
      },
    },
  ];
}
