import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { attachmentIssues, buildMultipart, parseMultipart, sha256Hex, signatureIssues } from '../../src/domain/xapi/xapi-multipart.rules.ts';
import { agentIfi, canonicalFormat, idsFormat, indexStatement, preferredLanguages, sameStatement, storedForm } from '../../src/domain/xapi/xapi-statement.rules.ts';
import { SIGNATURE_USAGE } from '../../src/domain/xapi/xapi-validation.rules.ts';

const statement = () => ({
  actor: { objectType: 'Group', name: 'Night shift', member: [{ mbox: 'mailto:Ana@Example.com', name: 'Ana' }] },
  verb: { id: 'http://adlnet.gov/expapi/verbs/passed', display: { 'en-US': 'passed', 'fr-FR': 'réussi' } },
  object: { id: 'https://lms.example.com/quiz/1', definition: { name: { 'en-US': 'Quiz', de: 'Test' } } },
  context: {
    instructor: { account: { homePage: 'https://lms.example.com', name: 't-7' } },
    contextActivities: { parent: { id: 'https://lms.example.com/course/1' } },
  },
});

describe('statement index', () => {
  it('identifies agents by one normalised identifier', () => {
    expect(agentIfi({ mbox: 'mailto:Ana@Example.com' })).toBe('mbox:mailto:ana@example.com');
    expect(agentIfi({ account: { homePage: 'https://h', name: 'n' } })).toBe('account:https://h|n');
  });

  it('separates direct agents/activities (actor, object) from related ones (context, members)', () => {
    const index = indexStatement(statement());
    expect(index.agents.filter((a) => a.direct).map((a) => a.ifi)).toEqual(['mbox:mailto:ana@example.com']);
    expect(index.agents.filter((a) => !a.direct).map((a) => a.ifi)).toContain('account:https://lms.example.com|t-7');
    expect(index.activities).toEqual([
      { activityId: 'https://lms.example.com/quiz/1', direct: true },
      { activityId: 'https://lms.example.com/quiz/1', direct: false },
      { activityId: 'https://lms.example.com/course/1', direct: false },
    ]);
  });

  it('stores context activities as arrays and fills id, stored, authority, version and timestamp', () => {
    const stored = storedForm(statement(), { id: 'x', stored: new Date('2026-12-04T10:00:00Z'), authority: { mbox: 'mailto:lrs@example.com' }, version: '1.0.3' });
    expect((stored.context as any).contextActivities.parent).toEqual([{ id: 'https://lms.example.com/course/1' }]);
    expect(stored).toMatchObject({ id: 'x', stored: '2026-12-04T10:00:00.000Z', timestamp: '2026-12-04T10:00:00.000Z', version: '1.0.0' });
  });
});

describe('statement equivalence', () => {
  it('ignores what the LRS sets and key order, and compares durations to the hundredth', () => {
    const stored = storedForm({ ...statement(), result: { duration: 'PT1.2345S' } }, { id: 'x', stored: new Date(), authority: {}, version: '2.0.0' });
    expect(sameStatement(stored, { result: { duration: 'PT1.23S' }, ...statement() })).toBe(true);
    expect(sameStatement(stored, { ...statement(), result: { duration: 'PT1.24S' } })).toBe(false);
  });
});

describe('formats', () => {
  it('ids keeps identifiers only', () => {
    const ids = idsFormat(statement()) as any;
    expect(ids.actor).toEqual({ objectType: 'Group', member: [{ mbox: 'mailto:Ana@Example.com' }] });
    expect(ids.object).toEqual({ id: 'https://lms.example.com/quiz/1' });
    expect(ids.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/passed' });
  });

  it('canonical keeps the language the client prefers', () => {
    expect(preferredLanguages('fr-CH, fr;q=0.9, en;q=0.8')).toEqual(['fr-CH', 'fr', 'en']);
    const canonical = canonicalFormat(statement(), ['fr']) as any;
    expect(canonical.verb.display).toEqual({ 'fr-FR': 'réussi' });
    expect(canonical.object.definition.name).toEqual({ 'en-US': 'Quiz' });
  });
});

describe('multipart and signatures', () => {
  it('round-trips a multipart body and checks hashes against the statement', () => {
    const content = Buffer.from('certificate');
    const sha2 = sha256Hex(content);
    const body = buildMultipart({ a: 1 }, [{ sha2, contentType: 'text/plain', content }], 'b0undary');
    const parts = parseMultipart(body, 'b0undary')!;
    expect(parts).toHaveLength(2);
    expect(parts[1]!.body.toString()).toBe('certificate');
    const declared = { ...statement(), attachments: [{ usageType: 'https://x', display: { en: 'c' }, contentType: 'text/plain', length: 11, sha2 }] };
    expect(attachmentIssues([declared], parts.slice(1))).toEqual([]);
    expect(attachmentIssues([declared], [])).toHaveLength(1);
    expect(attachmentIssues([statement()], parts.slice(1)).map((i) => i.message)).toEqual(['No statement in the request declares an attachment with this hash.']);
  });

  it('accepts an RS256 JWS over the statement and refuses other algorithms or another payload', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sign = (header: object, payload: object) => {
      const head = Buffer.from(JSON.stringify(header)).toString('base64url');
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      const signature = createSign('RSA-SHA256').update(`${head}.${body}`).sign(privateKey).toString('base64url');
      return Buffer.from(`${head}.${body}.${signature}`);
    };
    const signed = { ...statement(), attachments: [{ usageType: SIGNATURE_USAGE, display: { en: 's' }, contentType: 'application/octet-stream', length: 1, sha2: 'ab' }] };
    expect(signatureIssues(signed, sign({ alg: 'RS256' }, statement()), '/attachments/0')).toEqual([]);
    expect(signatureIssues(signed, sign({ alg: 'HS256' }, statement()), '/attachments/0')[0]!.message).toMatch(/RS256/);
    expect(signatureIssues(signed, sign({ alg: 'RS256' }, { ...statement(), verb: { id: 'http://x/other' } }), '/attachments/0')[0]!.message).toMatch(/not this statement/);
    expect(signatureIssues(signed, Buffer.from('not a jws'), '/attachments/0')).toHaveLength(1);
  });
});
