/**
 * A small router for node:http: exact paths and `{name}` patterns, per-method handlers (405 with Allow for the
 * others), and each route's CORS mode.
 */
import type { RequestContext } from './http';
import { WorkbenchError } from '../../../shared/core/errors';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Handler = (ctx: RequestContext) => Promise<void> | void;

/**
 * none: no CORS headers (the login form, the control plane).
 * public: any origin, without credentials (discovery, JWKS, token, revocation, userinfo, …).
 * credentials: only the configured origins, with credentials (the seeds' cookie routes).
 */
export type CorsMode = 'none' | 'public' | 'credentials';

export interface RouteDef {
  path: string;
  methods: Partial<Record<Method, Handler>>;
  cors?: CorsMode;
}

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

interface Pattern {
  regex: RegExp;
  names: string[];
  route: RouteDef;
}

export class RouteParamError extends WorkbenchError<'invalid-path-parameter'> {
  override readonly name = 'RouteParamError';
  constructor(message: string) {
    super('invalid-path-parameter', message);
  }
}

export class Router {
  private readonly exact = new Map<string, RouteDef>();
  private readonly patterns: Pattern[] = [];

  add(...routes: RouteDef[]): this {
    for (const route of routes) {
      if (!route.path.includes('{')) {
        this.exact.set(route.path, route);
        continue;
      }
      const names: string[] = [];
      const source = route.path
        .split(/(\{[a-z]+\})/i)
        .map((part) => {
          const name = /^\{([a-z]+)\}$/i.exec(part)?.[1];
          if (name === undefined) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          names.push(name);
          return '([^/]+)';
        })
        .join('');
      this.patterns.push({ regex: new RegExp(`^${source}$`), names, route });
    }
    return this;
  }

  /** The route for a path, or null. Throws RouteParamError for a parameter that is not valid percent-encoding. */
  match(path: string): RouteMatch | null {
    const exact = this.exact.get(path);
    if (exact) return { route: exact, params: {} };
    for (const { regex, names, route } of this.patterns) {
      const m = regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1]!);
        } catch {
          throw new RouteParamError(`path parameter ${name} is not valid percent-encoding`);
        }
      });
      return { route, params };
    }
    return null;
  }
}
