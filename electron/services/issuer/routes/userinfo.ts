/**
 * `GET`/`POST /userinfo` (OIDC Core §5.3): the user's claims for the access token's scope. The issuer itself
 * answers here, so it applies everything it knows: the deny-list and the user's token version.
 */
import { HttpError, invalidToken } from '../errors';
import { bearerToken, sendJson } from '../http';
import type { RequestContext } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';
import { claimsForScope } from '../users';
import { PATHS } from './discovery';

export function userinfoRoutes(core: IssuerCore): RouteDef[] {
  const handler = async (ctx: RequestContext): Promise<void> => {
    const token = bearerToken(ctx.req);
    if (token === null) throw invalidToken('an access token is required (Authorization: Bearer)', 'userinfo', false);
    const check = await core.checkAccessToken(token, { denyList: true, version: true });
    if (!check.ok) throw invalidToken(check.description, 'userinfo', true);
    const scope = typeof check.payload.scope === 'string' ? check.payload.scope.split(' ') : [];
    const user = core.users.get(check.payload.sub);
    if (!scope.includes('openid') || !user) {
      throw new HttpError(403, 'insufficient_scope', 'the access token lacks the openid scope', {
        'WWW-Authenticate': 'Bearer realm="userinfo", error="insufficient_scope", scope="openid"',
      });
    }
    sendJson(ctx, 200, { ...claimsForScope(user.claims, scope), sub: user.name });
  };
  return [{ path: PATHS.userinfo, cors: 'public', methods: { GET: handler, POST: handler } }];
}
