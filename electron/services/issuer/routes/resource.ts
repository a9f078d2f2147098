/**
 * `GET /resource/me`: a protected resource on the same server, as a separate API would be. It verifies the
 * access token locally against the issuer's published keys (signature, typ, iss, aud, exp), then — as
 * configured — the user's token version and the deny-list. It is what turns the stepper's 401s into real ones.
 */
import { dpopHeader, dpopJkt } from '../dpop';
import { HttpError, invalidToken } from '../errors';
import { sendJson } from '../http';
import type { IssuerCore } from '../issuer';
import type { RouteDef } from '../router';
import { endpoint, PATHS } from './discovery';

/** The access token and its scheme (RFC 6750 Bearer, RFC 9449 DPoP), or null without one. */
function accessTokenOf(header: string | undefined): { token: string; scheme: 'bearer' | 'dpop' } | null {
  const match = header ? /^(bearer|dpop) +(\S+)\s*$/i.exec(header) : null;
  return match ? { scheme: match[1]!.toLowerCase() as 'bearer' | 'dpop', token: match[2]! } : null;
}

function dpopChallenge(description: string): HttpError {
  return new HttpError(401, 'invalid_token', description, { 'WWW-Authenticate': `DPoP error="invalid_token", error_description="${description.replace(/["\\]/g, '')}", algs="ES256 PS256 EdDSA RS256"` });
}

export function resourceRoutes(core: IssuerCore): RouteDef[] {
  return [
    {
      path: PATHS.resource,
      cors: 'public',
      methods: {
        GET: async (ctx) => {
          const presented = accessTokenOf(ctx.req.headers.authorization);
          if (presented === null) throw invalidToken('an access token is required (Authorization: Bearer or DPoP)', 'resource', false);
          const token = presented.token;
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
          // RFC 9449 §7: a DPoP-bound token only with the DPoP scheme and a proof of this request by its key.
          const bound = dpopJkt(p);
          const proof = dpopHeader(ctx.req.headers.dpop, 'resource');
          if (bound !== null) {
            if (presented.scheme !== 'dpop') throw dpopChallenge('this access token is DPoP-bound: send it as "Authorization: DPoP" with a DPoP proof');
            if (proof === null) throw dpopChallenge('a DPoP proof is required with a DPoP-bound access token');
            await core.dpop.check(proof, { htm: 'GET', htu: endpoint(core.issuer, PATHS.resource), accessToken: token }, 'resource');
          } else if (presented.scheme === 'dpop') {
            throw invalidToken('the access token is not DPoP-bound: send it as Bearer', 'resource', true);
          }
          sendJson(ctx, 200, {
            sub: p.sub,
            client_id: p.client_id,
            scope: p.scope ?? '',
            jti: p.jti,
            exp: p.exp,
            kid: check.header.kid ?? null,
            ...(bound !== null && { cnf: { jkt: bound } }),
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
