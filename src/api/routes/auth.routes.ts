import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { ROLE_PERMISSIONS, type Role } from '../../domain/access/roles.ts';
import { signIn, signOut, type SessionPolicy } from '../../domain/auth/auth.service.ts';
import { presentUser } from '../../domain/auth/users.service.ts';
import { SESSION_COOKIE } from '../access.ts';
import { UserSchema } from './users.routes.ts';

const SignedIn = Type.Object({ user: UserSchema, csrfToken: Type.String(), permissions: Type.Array(Type.String()) });

export interface AuthRouteOptions {
  policy: SessionPolicy;
  secureCookies: boolean;
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRouteOptions> = async (app, options) => {
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: options.secureCookies,
  };

  app.post(
    '/api/auth/sign-in',
    {
      config: { access: { public: true } },
      schema: {
        tags: ['Auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: Type.Object(
          { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
          { additionalProperties: false },
        ),
        response: { 200: SignedIn, 401: Type.Ref('Error'), 429: Type.Ref('Error') },
      },
    },
    async (request, reply) => {
      const client = { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) };
      const result = await signIn(app.database, options.policy, request.body, client);
      reply.setCookie(SESSION_COOKIE, result.sessionToken, { ...cookieOptions, maxAge: options.policy.maxHours * 3600 });
      return {
        user: await presentUser(app.database, result.user),
        csrfToken: result.csrfToken,
        permissions: [...ROLE_PERMISSIONS[result.user.role as Role]],
      };
    },
  );

  app.post(
    '/api/auth/sign-out',
    { config: { access: { signedIn: true } }, schema: { tags: ['Auth'], summary: 'End this session', response: { 204: Type.Null() } } },
    async (request, reply) => {
      const principal = request.principal!;
      await signOut(app.database, principal, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: String(request.id) });
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: { signedIn: true } },
      schema: { tags: ['Auth'], summary: 'The signed-in user, their permissions and the CSRF token', response: { 200: SignedIn, 401: Type.Ref('Error') } },
    },
    async (request) => {
      const principal = request.principal!;
      return {
        user: await presentUser(app.database, principal.user),
        csrfToken: principal.csrfToken ?? '',
        permissions: [...ROLE_PERMISSIONS[principal.user.role as Role]],
      };
    },
  );
};
