import { createHash, createVerify, X509Certificate } from 'node:crypto';
import type { FieldIssue } from '../errors.ts';
import { isObject, type JsonObject } from './xapi-primitives.rules.ts';
import { sameStatement } from './xapi-statement.rules.ts';
import { SIGNATURE_USAGE } from './xapi-validation.rules.ts';

/**
 * Statements with attachments travel as multipart/mixed (xAPI 1.0.3 Part Three 1.5.2): the
 * statement(s) as the first, application/json part, then one part per attachment carrying
 * X-Experience-API-Hash (its SHA-256) and Content-Transfer-Encoding: binary. Signed
 * statements carry a JWS over the statement as an attachment (Part Two 2.6). Pure.
 */

export interface MultipartPart {
  headers: Record<string, string>;
  body: Buffer;
}

export function boundaryOf(contentType: string): string | null {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]!) : null;
}

/** Splits a multipart body into its parts; null when the body is not well formed. */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let position = body.indexOf(delimiter);
  if (position < 0) return null;
  for (;;) {
    const afterDelimiter = position + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const headerStart = body.indexOf('\r\n', afterDelimiter);
    if (headerStart < 0) return null;
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerStart);
    if (next < 0) return null;
    const raw = body.subarray(headerStart + 2, next);
    const split = raw.indexOf('\r\n\r\n');
    const headerText = split < 0 ? raw.toString('utf8') : raw.subarray(0, split).toString('utf8');
    const content = split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4);
    const headers: Record<string, string> = {};
    for (const line of headerText.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: content });
    position = next + 2;
  }
}

export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export interface AttachmentPayload {
  sha2: string;
  contentType: string;
  content: Buffer;
}

/** Checks the attachment parts against the statements' attachment metadata. */
export function attachmentIssues(statements: JsonObject[], parts: MultipartPart[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const declared = new Set<string>();
  statements.forEach((s, i) => {
    for (const [j, a] of (Array.isArray(s.attachments) ? s.attachments : []).entries()) {
      if (!isObject(a)) continue;
      if (a.fileUrl === undefined || parts.some((p) => p.headers['x-experience-api-hash'] === a.sha2)) {
        declared.add(String(a.sha2));
        if (!parts.some((p) => p.headers['x-experience-api-hash'] === a.sha2)) {
          issues.push({ path: `/${i}/attachments/${j}`, message: 'This attachment has no fileUrl and no part with its sha2 in the request.' });
        }
      }
    }
  });
  parts.forEach((part, k) => {
    const hash = part.headers['x-experience-api-hash'];
    const at = `/parts/${k + 1}`;
    if (!hash) return issues.push({ path: at, message: 'Every attachment part needs an X-Experience-API-Hash header.' });
    if (part.headers['content-transfer-encoding']?.toLowerCase() !== 'binary') issues.push({ path: at, message: 'Attachment parts must be sent with Content-Transfer-Encoding: binary.' });
    if (sha256Hex(part.body) !== hash.toLowerCase()) issues.push({ path: at, message: 'The part\'s content does not match its X-Experience-API-Hash.' });
    if (!declared.has(hash)) issues.push({ path: at, message: 'No statement in the request declares an attachment with this hash.' });
    return undefined;
  });
  return issues;
}

const SIGNING_ALGORITHMS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' };

function decodeSegment(segment: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * A signed statement's JWS must be well formed, use RS256/384/512 and carry the statement
 * itself (before the signature attachment was added). When the JWS names its certificate
 * (x5c) the signature is verified against it.
 */
export function signatureIssues(statement: JsonObject, jws: Buffer, path: string): FieldIssue[] {
  const fail = (message: string): FieldIssue[] => [{ path, message }];
  const segments = jws.toString('utf8').trim().split('.');
  if (segments.length !== 3 || segments.some((s) => !/^[A-Za-z0-9_-]*$/.test(s))) return fail('The signature is not a JWS in compact serialisation.');
  const header = decodeSegment(segments[0]!);
  if (!header) return fail('The JWS header is not valid JSON.');
  const algorithm = SIGNING_ALGORITHMS[String(header.alg)];
  if (!algorithm) return fail('The JWS must use RS256, RS384 or RS512.');
  const payload = decodeSegment(segments[1]!);
  if (!payload) return fail('The JWS payload is not a JSON statement.');
  const { attachments, ...unsigned } = statement;
  const signedAttachments = Array.isArray(attachments) ? attachments.filter((a) => !(isObject(a) && a.usageType === SIGNATURE_USAGE)) : [];
  const original = signedAttachments.length > 0 ? { ...unsigned, attachments: signedAttachments } : unsigned;
  const { attachments: _a, ...payloadCore } = payload;
  if (!sameStatement(payload, original) && !sameStatement(payloadCore, unsigned)) return fail('The JWS payload is not this statement.');
  if (Array.isArray(header.x5c) && typeof header.x5c[0] === 'string') {
    try {
      const certificate = new X509Certificate(Buffer.from(header.x5c[0], 'base64'));
      const ok = createVerify(algorithm).update(`${segments[0]}.${segments[1]}`).verify(certificate.publicKey, Buffer.from(segments[2]!, 'base64url'));
      if (!ok) return fail('The JWS signature does not verify against its x5c certificate.');
    } catch {
      return fail('The JWS x5c certificate cannot be read.');
    }
  }
  return [];
}

/** Builds a multipart/mixed answer: the JSON first, then each attachment. */
export function buildMultipart(json: unknown, attachments: AttachmentPayload[], boundary: string): Buffer {
  const chunks: Buffer[] = [Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\n\r\n`), Buffer.from(JSON.stringify(json))];
  for (const a of attachments) {
    chunks.push(
      Buffer.from(`\r\n--${boundary}\r\nContent-Type: ${a.contentType}\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: ${a.sha2}\r\n\r\n`),
      a.content,
    );
  }
  chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
