import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Db, Executor } from '../db/database.ts';
import { withViewer } from '../db/scoped.ts';
import type { Actor } from '../domain/access/actor.ts';
import type { Permission } from '../domain/access/roles.ts';
import {
  actorOf,
  authenticateSession,
  authenticateToken,
  can,
  type Principal,
  type SessionPolicy,
} from '../domain/auth/auth.service.ts';
import { AppError } from '../domain/errors.ts';
import { safeEqual } from '../domain/auth/secrets.ts';

/**
 * Every /api route declares who may call it in `config.access`:
 *   { public: true }              no sign-in (health, sign-in, setup)
 *   { signedIn: true }            any signed-in user (their own profile)
 *   { permission: 'org.read' }    a role with that permission
 * A route without a declaration refuses to register, so a new route cannot
 * forget authorisation, and the scope test matrix finds it automatically.
 */
export type RouteAccess = { public: true } | { signedIn: true } | { permission: Permission };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The signed-in actor; throws 401 when there is none. */
    actor(): Actor;
    /** Runs database work in one transaction that sees only the actor's scope. */
    db<T>(work: (trx: Executor) => Promise<T>): Promise<T>;
  }
}

export const SESSION_COOKIE = 'assay_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AccessOptions {
  db: Db;
  policy: SessionPolicy;
  registry: RouteAccessEntry[];
}

export interface RouteAccessEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

function clientOf(request: FastifyRequest) {
  return { ip: request.ip ?? null, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) };
}

async function authenticate(request: FastifyRequest, options: AccessOptions): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError('UNAUTHENTICATED', 'Send the API token as "Authorization: Bearer <token>".');
    const principal = await authenticateToken(options.db, match[1]!);
    if (!principal) throw new AppError('UNAUTHENTICATED', 'This API token is unknown, expired or revoked.');
    return principal;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (!cookie) return null;
  return authenticateSession(options.db, options.policy, cookie);
}

export function registerAccessControl(app: FastifyInstance, options: AccessOptions): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('actor', function (this: FastifyRequest) {
    if (!this.principal) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    return actorOf(this.principal, clientOf(this));
  });
  app.decorateRequest('db', function <T>(this: FastifyRequest, work: (trx: Executor) => Promise<T>) {
    const actor = this.actor();
    return withViewer(options.db, { userId: actor.userId, personId: actor.personId, scope: actor.scope }, work);
  });

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access.`);
    // In the OpenAPI document, public routes need no credentials.
    if ('public' in access) route.schema = { ...route.schema, security: [] } as typeof route.schema;
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') options.registry.push({ method, url: route.url, access });
    }
  });

  // onRequest, before the body is read: an unauthorised caller learns nothing from validation errors.
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    request.principal = await authenticate(request, options);
    if (!request.principal) throw new AppError('UNAUTHENTICATED', 'Sign in first.');
    // Cookies ride along on cross-site requests; a token only this origin can read proves the request is ours.
    if (request.principal.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !request.principal.csrfToken || !safeEqual(sent, request.principal.csrfToken)) {
        throw new AppError('CSRF_FAILED', 'The request is missing its CSRF token; reload the page and try again.');
      }
    }
    if ('permission' in access && !can(request.principal, access.permission)) {
      throw new AppError('FORBIDDEN', 'Your role does not allow this.');
    }
  });
}
