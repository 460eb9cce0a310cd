import { randomBytes } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { withViewer } from '../../db/scoped.ts';
import type { Executor } from '../../db/database.ts';
import { AppError, asAppError, ERROR_STATUS } from '../../domain/errors.ts';
import { authenticateCredential, lastSpokenVersion, requireAccess, type LrsClient } from '../../domain/xapi/xapi-credentials.service.ts';
import { deleteDocuments, readDocuments, writeDocument, type DocumentKind } from '../../domain/xapi/xapi-documents.service.ts';
import { boundaryOf, buildMultipart, parseMultipart, type MultipartPart } from '../../domain/xapi/xapi-multipart.rules.ts';
import { about, readActivity, readPerson } from '../../domain/xapi/xapi-resources.service.ts';
import { readStatementsAs } from '../../domain/xapi/xapi-statement-query.service.ts';
import { storeStatements } from '../../domain/xapi/xapi-statements.service.ts';
import type { XapiVersion } from '../../domain/xapi/xapi-validation.rules.ts';
import { basicCredentials, lrsRequestOf, versionOf, type LrsRequest } from './lrs-request.ts';

/**
 * The xAPI Learning Record Store under /xapi (docs/decisions/0011). Outside Assay's session and
 * token access control: every request authenticates with a credential's Basic auth here, and
 * its database work runs as assay_app in the credential's scope. Body parsing, errors and CORS
 * are this plugin's own (encapsulated), so /api keeps its JSON-only behaviour.
 */

const RESOURCES = ['/statements', '/activities/state', '/activities/profile', '/agents/profile', '/activities', '/agents', '/about'] as const;
type Resource = (typeof RESOURCES)[number];
const DOCUMENT_KINDS: Partial<Record<Resource, DocumentKind>> = {
  '/activities/state': 'state',
  '/activities/profile': 'activity_profile',
  '/agents/profile': 'agent_profile',
};
const ALLOWED: Record<Resource, LrsRequest['method'][]> = {
  '/statements': ['GET', 'HEAD', 'PUT', 'POST'],
  '/activities/state': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  '/activities/profile': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  '/agents/profile': ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
  '/activities': ['GET', 'HEAD'],
  '/agents': ['GET', 'HEAD'],
  '/about': ['GET', 'HEAD'],
};
const CORS_HEADERS = {
  'access-control-allow-methods': 'GET, HEAD, PUT, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, X-Experience-API-Version, If-Match, If-None-Match, Accept-Language',
  'access-control-expose-headers': 'ETag, Last-Modified, X-Experience-API-Version, X-Experience-API-Consistent-Through, Content-Type',
};

function statusOf(error: AppError): number {
  const override = error.meta.xapiStatus;
  if (typeof override === 'number') return override;
  if (error.code === 'VALIDATION_FAILED') return 400;
  return ERROR_STATUS[error.code];
}

function sendLrsError(reply: FastifyReply, error: AppError): FastifyReply {
  if (error.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Basic realm="Assay xAPI"');
  return reply.status(statusOf(error)).type('application/json').send({ error: { code: error.code, message: error.message, details: error.details } });
}

function fromFastify(error: FastifyError): AppError {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large.');
  if (typeof error.statusCode === 'number' && error.statusCode < 500) return new AppError('BAD_REQUEST', error.message);
  return new AppError('INTERNAL', 'Something went wrong on our side.');
}

function scoped<T>(request: FastifyRequest, client: LrsClient, work: (trx: Executor) => Promise<T>): Promise<T> {
  const scope = { kind: client.vendorId ? ('vendor' as const) : ('all' as const), vendorId: client.vendorId, siteId: null, teamId: null, personId: null };
  return withViewer(request.server.database, { userId: null, personId: null, scope }, work);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The body is not valid JSON.', [{ path: '/', message: 'Not valid JSON.' }]);
  }
}

/** The statements and attachment parts of a statement PUT/POST body. */
function statementBody(lrs: LrsRequest): { payload: unknown; parts: MultipartPart[] } {
  const type = lrs.contentType.toLowerCase();
  if (type.startsWith('multipart/mixed')) {
    const boundary = boundaryOf(lrs.contentType);
    const parts = boundary ? parseMultipart(lrs.body, boundary) : null;
    if (!parts || parts.length === 0) throw new AppError('VALIDATION_FAILED', 'The multipart/mixed body is not well formed.', [{ path: '/', message: 'Malformed multipart body.' }]);
    const [first, ...rest] = parts;
    if (!/^application\/json\b/i.test(first!.headers['content-type'] ?? '')) {
      throw new AppError('VALIDATION_FAILED', 'The first part of a multipart statement request is the application/json statement.', [{ path: '/parts/0', message: 'Not application/json.' }]);
    }
    return { payload: parseJson(first!.body), parts: rest };
  }
  if (!type.startsWith('application/json')) {
    throw new AppError('VALIDATION_FAILED', 'Send statements as application/json, or multipart/mixed with attachments.', [{ path: 'Content-Type', message: 'Unsupported content type.' }]);
  }
  return { payload: parseJson(lrs.body), parts: [] };
}

async function statements(request: FastifyRequest, reply: FastifyReply, lrs: LrsRequest, client: LrsClient, version: XapiVersion): Promise<FastifyReply> {
  reply.header('x-experience-api-consistent-through', new Date().toISOString());
  if (lrs.method === 'GET' || lrs.method === 'HEAD') {
    requireAccess(client, false);
    const result = await scoped(request, client, (trx) => readStatementsAs(trx, client, lrs.params, lrs.headers['accept-language']));
    reply.header('x-experience-api-consistent-through', new Date().toISOString());
    if (result.lastModified) reply.header('last-modified', result.lastModified.toUTCString());
    if (result.attachments) {
      const boundary = randomBytes(12).toString('hex');
      return reply.type(`multipart/mixed; boundary=${boundary}`).send(buildMultipart(result.body, result.attachments, boundary));
    }
    return reply.type('application/json').send(result.body);
  }
  requireAccess(client, true);
  const { payload, parts } = statementBody(lrs);
  if (lrs.method === 'PUT') {
    const extra = Object.keys(lrs.params).filter((k) => k !== 'statementId');
    const id = lrs.params.statementId;
    if (id === undefined) throw new AppError('VALIDATION_FAILED', 'PUT needs the statementId parameter.', [{ path: '?statementId', message: 'Required.' }]);
    if (extra.length > 0) throw new AppError('VALIDATION_FAILED', 'PUT takes only statementId.', extra.map((k) => ({ path: `?${k}`, message: 'Not allowed.' })));
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      throw new AppError('VALIDATION_FAILED', 'PUT stores one statement (a JSON object).', [{ path: '/', message: 'Not a statement.' }]);
    }
    const body = payload as Record<string, unknown>;
    if (body.id !== undefined && String(body.id).toLowerCase() !== id.toLowerCase()) {
      throw new AppError('VALIDATION_FAILED', 'The statement\'s id differs from statementId.', [{ path: '/id', message: 'Must equal statementId.' }]);
    }
    await scoped(request, client, (trx) => storeStatements(trx, client, [{ ...body, id }], { version, parts, multi: false }));
    return reply.status(204).send();
  }
  if (Object.keys(lrs.params).length > 0) {
    throw new AppError('VALIDATION_FAILED', 'POST to statements takes no parameters.', Object.keys(lrs.params).map((k) => ({ path: `?${k}`, message: 'Not allowed.' })));
  }
  const multi = Array.isArray(payload);
  const list = multi ? (payload as unknown[]) : [payload];
  const ids = await scoped(request, client, (trx) => storeStatements(trx, client, list, { version, parts, multi }));
  return reply.type('application/json').send(ids);
}

async function documents(request: FastifyRequest, reply: FastifyReply, lrs: LrsRequest, client: LrsClient, version: XapiVersion, kind: DocumentKind): Promise<FastifyReply> {
  const preconditions = { ifMatch: lrs.headers['if-match'], ifNoneMatch: lrs.headers['if-none-match'] };
  if (lrs.method === 'GET' || lrs.method === 'HEAD') {
    requireAccess(client, false);
    const doc = await scoped(request, client, (trx) => readDocuments(trx, client, { kind, params: lrs.params, version }));
    reply.header('etag', `"${doc.etag}"`);
    if (doc.updatedAt) reply.header('last-modified', doc.updatedAt.toUTCString());
    return reply.type(doc.contentType).send(doc.content);
  }
  requireAccess(client, true);
  if (lrs.method === 'DELETE') {
    await scoped(request, client, (trx) => deleteDocuments(trx, client, { kind, params: lrs.params, version, preconditions }));
  } else {
    await scoped(request, client, (trx) =>
      writeDocument(trx, client, { kind, params: lrs.params, version, method: lrs.method as 'PUT' | 'POST', content: lrs.body, contentType: lrs.contentType, preconditions }),
    );
  }
  return reply.status(204).send();
}

async function handle(resource: Resource, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  reply.header('x-experience-api-version', '1.0.3');
  const lrs = lrsRequestOf(request);
  const credentials = basicCredentials(lrs);
  // A request without a usable version (refused below; About needs none) is answered in the version
  // its client last spoke, kept with the credential (migration 0019).
  const spoken = async () => {
    const last = credentials ? await lastSpokenVersion(request.server.database, credentials.key) : null;
    if (last) reply.header('x-experience-api-version', last);
  };
  if (resource === '/about') {
    await spoken();
    if (lrs.method !== 'GET' && lrs.method !== 'HEAD') throw new AppError('VALIDATION_FAILED', 'About answers GET only.');
    return reply.type('application/json').send(about());
  }
  if (resource === '/statements') reply.header('x-experience-api-consistent-through', new Date().toISOString());
  let version: XapiVersion;
  try {
    version = versionOf(lrs);
  } catch (error) {
    await spoken();
    throw error;
  }
  reply.header('x-experience-api-version', version);
  if (!credentials) throw new AppError('UNAUTHENTICATED', 'Authenticate with the Basic-auth key and secret of an xAPI credential.');
  const client = await authenticateCredential(request.server.database, credentials.key, credentials.secret, version);
  if (!client) throw new AppError('UNAUTHENTICATED', 'This xAPI credential is unknown, wrong or revoked.');
  if (!ALLOWED[resource].includes(lrs.method)) throw new AppError('VALIDATION_FAILED', `${resource} does not answer ${lrs.method}.`, [{ path: '/', message: 'Method not allowed here.' }], { xapiStatus: 405 });
  if (resource === '/statements') return statements(request, reply, lrs, client, version);
  const kind = DOCUMENT_KINDS[resource];
  if (kind) return documents(request, reply, lrs, client, version, kind);
  requireAccess(client, false);
  if (resource === '/activities') return reply.type('application/json').send(await scoped(request, client, (trx) => readActivity(trx, client, lrs.params)));
  return reply.type('application/json').send(readPerson(lrs.params));
}

export async function lrsRoutes(app: FastifyInstance): Promise<void> {
  // Statements, attachments and documents of any type arrive as raw bytes; the handlers decide.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 32 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    // Any origin may call the LRS (browser-based e-learning packages do), but never with ambient
    // credentials: clients send their Authorization header explicitly, so no allow-credentials.
    reply.header('access-control-allow-origin', '*');
    for (const [name, value] of Object.entries(CORS_HEADERS)) reply.header(name, value);
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = asAppError(error) ?? fromFastify(error);
    if (statusOf(known) >= 500) request.log.error({ err: error }, 'xAPI request failed');
    if (known.code === 'INTERNAL') return sendLrsError(reply, new AppError('INTERNAL', `Something went wrong on our side. Quote request id ${String(request.id)} when reporting it.`));
    return sendLrsError(reply, known);
  });
  app.setNotFoundHandler((request, reply) => sendLrsError(reply, new AppError('NOT_FOUND', `The LRS has no resource ${request.url.split('?')[0]}.`)));

  for (const resource of RESOURCES) {
    app.route({
      method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE'],
      url: resource,
      exposeHeadRoute: false,
      handler: (request, reply) => handle(resource, request, reply),
    });
    app.options(resource, (_request, reply) => reply.status(204).send());
  }
}
