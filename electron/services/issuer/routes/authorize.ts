/**
 * `GET /authorize` (RFC 6749 §4.1, OIDC Core §3.1.2): validates the request (client, exact redirect URI, PKCE
 * S256, scope, state, nonce), shows a minimal login form, and on `POST /authorize` redirects back with a
 * one-time code, `state` and `iss` (RFC 9207). Errors that cannot be trusted to the redirect URI (unknown
 * client, malformed or unregistered redirect URI) are shown as a 400 page instead (RFC 6749 §4.1.2.1): the
 * issuer never redirects to a URI it does not know for the client.
 */
import { redirectUriAllowed, redirectUriProblem } from '../clients';
import { HttpError } from '../errors';
import { escapeHtml, parseForm, readForm, redirect, sendHtml } from '../http';
import type { RequestContext } from '../http';
import { parseScope } from '../issuer';
import type { IssuerCore, PendingAuthorization } from '../issuer';
import type { Client } from '../clients';
import type { RouteDef } from '../router';
import { PATHS } from './discovery';

const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

function withParams(uri: string, params: Record<string, string | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) query.set(name, value);
  return `${uri}${uri.includes('?') ? '&' : '?'}${query.toString()}`;
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(title)}</title><style>
body{font:15px system-ui,sans-serif;background:#f4f5f7;color:#1d2433;display:grid;place-items:center;min-height:90vh;margin:0}
main{background:#fff;padding:28px 32px;border-radius:10px;box-shadow:0 2px 12px #0002;width:320px}
h1{font-size:18px;margin:0 0 4px}p{margin:6px 0 14px;color:#555}label{display:block;margin:10px 0 4px}
input{width:100%;box-sizing:border-box;padding:8px;border:1px solid #bbb;border-radius:6px;font:inherit}
button{margin-top:16px;width:100%;padding:9px;border:0;border-radius:6px;background:#2f5fd0;color:#fff;font:inherit;cursor:pointer}
.error{color:#b00020}.scope{font-family:ui-monospace,monospace;font-size:13px}
</style></head><body><main>${body}</main></body></html>`;
}

function errorPage(ctx: RequestContext, status: number, message: string, code = 'invalid_request'): void {
  sendHtml(ctx, status, page('Authorization error', `<h1>Authorization error</h1><p class="error"><code>${code}</code>: ${escapeHtml(message)}</p>`));
}

function loginPage(core: IssuerCore, requestId: string, pending: PendingAuthorization, error: string | null): string {
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(core.issuer)}</h1>
<p>Client <b>${escapeHtml(pending.clientId)}</b> asks for <span class="scope">${escapeHtml(pending.scope.join(' ') || '(no scope)')}</span></p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="${escapeHtml(PATHS.authorize.slice(1))}">
<input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
<label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button></form>`,
  );
}

function isRegistered(core: IssuerCore, client: Client, redirectUri: string): boolean {
  const registered = core.settings.redirectUris;
  return redirectUriAllowed(client, redirectUri, Object.hasOwn(registered, client.id) ? registered[client.id]! : []);
}

/** Validates an authorization request; returns what to remember, or redirects/answers with the error. */
function validateRequest(core: IssuerCore, ctx: RequestContext): PendingAuthorization | null {
  let query: URLSearchParams;
  try {
    query = parseForm(ctx.query.toString());
  } catch (error) {
    errorPage(ctx, 400, (error as HttpError).description);
    return null;
  }
  const clientId = query.get('client_id');
  const client = clientId ? core.clients.get(clientId) : undefined;
  if (!client) {
    errorPage(ctx, 400, clientId ? 'Unknown client_id.' : 'client_id is missing.', clientId ? 'invalid_client' : 'invalid_request');
    return null;
  }
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri) {
    errorPage(ctx, 400, 'redirect_uri is missing.');
    return null;
  }
  const problem = redirectUriProblem(redirectUri);
  if (problem !== null) {
    errorPage(ctx, 400, `redirect_uri ${problem}.`);
    core.log.warn('authorize.bad-redirect-uri', `redirect_uri refused: ${problem}`, { client: client.id });
    return null;
  }
  if (!isRegistered(core, client, redirectUri)) {
    errorPage(ctx, 400, 'redirect_uri is not registered for this client (loopback URIs, or those in the issuer settings).');
    core.log.warn('authorize.bad-redirect-uri', 'redirect_uri is not registered for this client', { client: client.id });
    return null;
  }
  const state = query.get('state');
  const fail = (error: string, description: string): null => {
    redirect(ctx, withParams(redirectUri, { error, error_description: description, state, iss: core.issuer }));
    core.log.info('authorize.refused', description, { client: client.id, error });
    return null;
  };
  if (query.get('response_type') !== 'code') return fail('unsupported_response_type', 'response_type must be code');
  const mode = query.get('response_mode');
  if (mode !== null && mode !== 'query') return fail('invalid_request', 'response_mode must be query');
  if (!client.grants.has('authorization_code')) return fail('unauthorized_client', 'this client may not use the authorization code flow');
  if ((state?.length ?? 0) > 2048) return fail('invalid_request', 'state is too long');
  const nonce = query.get('nonce');
  if ((nonce?.length ?? 0) > 512) return fail('invalid_request', 'nonce is too long');
  let scope: string[];
  try {
    scope = core.resolveScope(client, parseScope(query.get('scope')));
  } catch (error) {
    return fail('invalid_scope', (error as HttpError).description);
  }
  const challenge = query.get('code_challenge');
  const method = query.get('code_challenge_method');
  if (challenge === null) return fail('invalid_request', 'code_challenge is required (PKCE, RFC 7636)');
  if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
  if (!S256_CHALLENGE.test(challenge)) return fail('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
  if (query.get('prompt')?.split(' ').includes('none')) return fail('login_required', 'no session here: the user must log in');
  return { clientId: client.id, redirectUri, scope, state, nonce, codeChallenge: challenge, createdAt: core.now() };
}

export function authorizeRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.authorize,
      cors: 'none',
      methods: {
        GET: (ctx) => {
          const pending = validateRequest(core, ctx);
          if (!pending) return;
          const requestId = core.addPending(pending);
          sendHtml(ctx, 200, loginPage(core, requestId, pending, null));
        },
        POST: async (ctx) => {
          const form = await readForm(ctx);
          const requestId = form.get('request_id') ?? '';
          const pending = core.getPending(requestId);
          if (!pending) {
            errorPage(ctx, 400, 'This sign-in request is unknown or has expired. Start again from the application.');
            return;
          }
          let user;
          try {
            user = await core.authenticateUser(form.get('username'), form.get('password'), ctx.ip);
          } catch (error) {
            if (!(error instanceof HttpError)) throw error;
            if (error.status === 429) {
              const retry = error.headers['Retry-After'] ?? '60';
              ctx.headers['Retry-After'] = retry;
              sendHtml(ctx, 429, loginPage(core, requestId, pending, `Too many attempts. Try again in ${retry} s.`));
              return;
            }
            sendHtml(ctx, 200, loginPage(core, requestId, pending, error.error === 'invalid_request' ? 'Enter a user name and a password.' : 'Wrong user name or password.'));
            return;
          }
          const client = core.clients.get(pending.clientId);
          // The settings may have unregistered the URI while the form was open.
          if (!client || !isRegistered(core, client, pending.redirectUri)) {
            errorPage(ctx, 400, 'redirect_uri is no longer registered for this client. Start again from the application.');
            return;
          }
          const code = core.issueCode(requestId, pending, user);
          redirect(ctx, withParams(pending.redirectUri, { code, state: pending.state, iss: core.issuer }), 303);
        },
      },
    },
  ];
}
