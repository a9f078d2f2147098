/**
 * The seed documents' own JSON routes, as their Express servers have them, with rotation done right:
 * `POST /auth/login` (user name + password → access token, and the refresh token in the body — or, in cookie
 * mode, in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to `/auth/refresh`), `POST /auth/refresh`
 * and `POST /auth/logout` (every family of the user revoked, token version bumped).
 * They act for a public client (`workbench` unless the body names another public client).
 */
import { toSeconds } from '../clock';
import type { Client } from '../clients';
import { HttpError } from '../errors';
import { bearerToken, jsonString, parseCookies, readJson, sendJson, serializeCookie } from '../http';
import type { RequestContext } from '../http';
import { parseScope } from '../issuer';
import type { IssuerCore, TokenSet } from '../issuer';
import type { Handler, RouteDef } from '../router';
import { deviceIdOf } from './token';

export const REFRESH_COOKIE = 'refresh_token';
export const DEFAULT_SEED_CLIENT = 'workbench';

function seedClient(core: IssuerCore, body: Record<string, unknown>): Client {
  const id = jsonString(body, 'clientId', 128) ?? DEFAULT_SEED_CLIENT;
  const client = core.clients.get(id);
  if (!client || !client.isPublic) {
    throw new HttpError(400, 'invalid_client', 'clientId must name a public client (these routes carry no client secret)');
  }
  return client;
}

/** These routes are not OAuth: a refused credential is a 401, as the seeds answer it. */
function seedError(error: unknown): unknown {
  if (error instanceof HttpError && error.status === 400 && (error.error === 'invalid_grant' || error.error === 'invalid_token')) {
    return new HttpError(401, error.error, error.description, error.headers);
  }
  return error;
}

function body(tokens: TokenSet, withRefresh: boolean, presented?: string): Record<string, unknown> {
  const refreshToken = tokens.refreshToken ?? presented ?? null;
  return {
    accessToken: tokens.accessToken,
    tokenType: 'Bearer',
    expiresIn: tokens.expiresIn,
    scope: tokens.scope.join(' '),
    ...(withRefresh && refreshToken !== null && { refreshToken, refreshExpiresIn: tokens.refreshExpiresIn }),
    // With `openid` in the scope, the ID token too (its at_hash binds it to this access token).
    ...(tokens.idToken !== null && { idToken: tokens.idToken }),
  };
}

export function seedRoutes(core: IssuerCore, mount: string): RouteDef[] {
  const cookiePath = `${mount}/auth/refresh`;
  const setCookie = (ctx: RequestContext, token: string, maxAge: number): void => {
    ctx.headers['Set-Cookie'] = serializeCookie(REFRESH_COOKIE, token, { path: cookiePath, maxAgeSeconds: maxAge });
  };
  const clearCookie = (ctx: RequestContext): void => setCookie(ctx, '', 0);
  const wrap = (handler: Handler): Handler => async (ctx) => {
    try {
      await handler(ctx);
    } catch (error) {
      throw seedError(error);
    }
  };

  const login: Handler = async (ctx) => {
    const json = await readJson(ctx);
    const client = seedClient(core, json);
    core.requireGrant(client, 'password');
    const user = await core.authenticateUser(jsonString(json, 'username', 256) ?? null, jsonString(json, 'password', 1024) ?? null, ctx.ip);
    const scope = core.resolveScope(client, parseScope(jsonString(json, 'scope', 2048)));
    const tokens = await core.issueForUser({
      user, client, scope, authTime: toSeconds(core.now()), deviceId: deviceIdOf(ctx, jsonString(json, 'deviceId', 256)), grant: 'seed login',
    });
    const cookieMode = core.settings.cookieMode;
    if (cookieMode && tokens.refreshToken !== null) setCookie(ctx, tokens.refreshToken, tokens.refreshExpiresIn ?? 0);
    sendJson(ctx, 200, body(tokens, !cookieMode));
  };

  const refresh: Handler = async (ctx) => {
    const cookieMode = core.settings.cookieMode;
    const json = await readJson(ctx, cookieMode);
    const client = seedClient(core, json);
    const presented = cookieMode ? parseCookies(ctx.req.headers.cookie).get(REFRESH_COOKIE) || null : jsonString(json, 'refreshToken', 1024) ?? null;
    let tokens: TokenSet;
    try {
      tokens = await core.refresh({
        client, refreshToken: presented, scope: parseScope(jsonString(json, 'scope', 2048)), deviceId: deviceIdOf(ctx, jsonString(json, 'deviceId', 256)), ip: ctx.ip,
      });
    } catch (error) {
      // A cookie that will never work again is better gone.
      if (cookieMode && error instanceof HttpError && error.error === 'invalid_grant') clearCookie(ctx);
      throw error;
    }
    if (cookieMode) setCookie(ctx, tokens.refreshToken ?? presented!, tokens.refreshExpiresIn ?? 0);
    sendJson(ctx, 200, body(tokens, !cookieMode, presented ?? undefined));
  };

  const logout: Handler = async (ctx) => {
    const json = await readJson(ctx, true);
    const client = seedClient(core, json);
    let sub: string | null = null;
    const refreshToken = jsonString(json, 'refreshToken', 1024);
    if (refreshToken !== undefined) sub = core.subjectOfRefreshToken(refreshToken, client.id);
    const access = bearerToken(ctx.req);
    if (sub === null && access !== null) {
      // Any token we signed that has not expired names its user: logging out is never a privilege gained.
      const check = await core.checkAccessToken(access, { denyList: false, version: false });
      if (check.ok && core.users.get(check.payload.sub)) sub = check.payload.sub;
    }
    if (core.settings.cookieMode) clearCookie(ctx);
    if (sub === null) {
      sendJson(ctx, 200, { loggedOut: false, revokedFamilies: 0 });
      return;
    }
    const { revokedFamilies } = core.logout(sub);
    sendJson(ctx, 200, { loggedOut: true, revokedFamilies });
  };

  return [
    { path: '/auth/login', cors: 'credentials', methods: { POST: wrap(login) } },
    { path: '/auth/refresh', cors: 'credentials', methods: { POST: wrap(refresh) } },
    { path: '/auth/logout', cors: 'credentials', methods: { POST: wrap(logout) } },
  ];
}
