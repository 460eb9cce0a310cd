import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { secretBox } from '../../src/domain/auth/secret-box.ts';
import { buildServer } from '../../src/api/server.ts';
import type { Db } from '../../src/db/database.ts';
import type { SessionPolicy } from '../../src/domain/auth/auth.service.ts';

export const TEST_POLICY: SessionPolicy = { idleMinutes: 30, maxHours: 12, maxFailures: 5, windowMinutes: 15 };
/** One random sealing key per test process, as a deployment has one. */
export const TEST_SECRET_BOX = secretBox(randomBytes(32));

export async function buildTestServer(db: Db, policy: Partial<SessionPolicy> = {}): Promise<FastifyInstance> {
  const app = await buildServer({ db, policy: { ...TEST_POLICY, ...policy }, secureCookies: false, webDir: null, secretBox: TEST_SECRET_BOX });
  await app.ready();
  return app;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in browser: keeps the session cookie and sends the CSRF token on writes. */
export class BrowserSession {
  cookie: string | null = null;
  csrfToken: string | null = null;
  constructor(private readonly app: FastifyInstance) {}

  async signIn(email: string, password: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password } });
    const setCookie = response.cookies.find((c) => c.name === 'assay_session');
    if (setCookie) this.cookie = `assay_session=${setCookie.value}`;
    if (response.statusCode === 200) this.csrfToken = response.json().csrfToken;
    return response;
  }

  request(method: Method, url: string, payload?: unknown, options: { csrf?: boolean } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && options.csrf !== false && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return this.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as object }) });
  }
}

/** An API client authenticated with a bearer token. */
export function tokenClient(app: FastifyInstance, token: string) {
  return (method: Method, url: string, payload?: unknown) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload !== undefined && { payload: payload as object }),
    });
}
