import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/xapi-linking.repository.ts';
import * as enrolments from '../../db/repositories/training-enrolments.repository.ts';
import { audit } from '../audit/audit.service.ts';
import { awardForCompletion } from '../training/certification.service.ts';
import { credentialActor, type LrsClient } from './xapi-credentials.service.ts';
import { isObject, type JsonObject } from './xapi-primitives.rules.ts';
import { ADL_VERBS } from './xapi-training-events.rules.ts';
import { emitTrainingEvent } from './xapi-training-events.service.ts';

/**
 * Statements from external LMSs about people Assay knows (issue 8 item 4; docs/decisions/0011,
 * "External statements"). At store time the actor is matched to a person, within the storing
 * credential's scope (row-level security: a vendor's credential only ever finds that vendor's
 * people): mbox = the person's email (case-insensitive), mbox_sha1sum of it, an account on the
 * configured employee_ref home page (name = employee_ref), or an account on Assay's own base
 * (name = person id). An address that matches people of two vendors (an organisation-wide
 * credential) is ambiguous and links no one.
 */

type Identity = { kind: 'email' | 'sha1' | 'ref' | 'id'; value: string };

function identityOf(actor: unknown, settings: { activity_base: string; employee_ref_home_page: string | null }): Identity | null {
  if (!isObject(actor) || actor.objectType === 'Group') return null;
  if (typeof actor.mbox === 'string' && /^mailto:/i.test(actor.mbox)) return { kind: 'email', value: actor.mbox.slice(7).toLowerCase() };
  if (typeof actor.mbox_sha1sum === 'string') return { kind: 'sha1', value: actor.mbox_sha1sum.toLowerCase() };
  const account = actor.account;
  if (isObject(account) && typeof account.homePage === 'string' && typeof account.name === 'string') {
    if (settings.employee_ref_home_page && account.homePage === settings.employee_ref_home_page) return { kind: 'ref', value: account.name };
    if (account.homePage === settings.activity_base && /^[0-9a-f-]{36}$/i.test(account.name)) return { kind: 'id', value: account.name.toLowerCase() };
  }
  return null;
}

function unique(matches: repo.PersonMatch[], key: (m: repo.PersonMatch) => string, vendorId: string | null): Map<string, string | null> {
  const out = new Map<string, string | null>();
  // Row-level security already limits a request to the credential's vendor; a system transaction
  // (the demo, the CLI) has none, so the vendor is checked here too.
  for (const m of matches) if (vendorId === null || m.vendor_id === vendorId) out.set(key(m), out.has(key(m)) ? null : m.id);
  return out;
}

/** The person each statement's actor is, or null. */
export async function linkActors(trx: Executor, client: LrsClient, statements: JsonObject[]): Promise<Array<string | null>> {
  const settings = await repo.settings(trx);
  const ids = statements.map((s) => identityOf(s.actor, settings));
  const of = (kind: Identity['kind']) => [...new Set(ids.filter((i) => i?.kind === kind).map((i) => i!.value))];
  const byEmail = unique(await repo.peopleByEmail(trx, of('email')), (m) => m.key, client.vendorId);
  const byRef = unique(await repo.peopleByEmployeeRef(trx, of('ref')), (m) => m.key, client.vendorId);
  const byId = unique(await repo.peopleById(trx, of('id')), (m) => m.key, client.vendorId);
  const bySha1 = new Map<string, string | null>();
  if (of('sha1').length > 0) {
    // The hash is of the address as the LMS spells it: try it as stored and in lower case.
    const people = await repo.peopleWithEmail(trx);
    for (const spell of [(k: string) => k, (k: string) => k.toLowerCase()]) {
      for (const [k, v] of unique(people, (m) => createHash('sha1').update(`mailto:${spell(m.key)}`).digest('hex'), client.vendorId)) if (!bySha1.has(k)) bySha1.set(k, v);
    }
  }
  return ids.map((i) => {
    if (!i) return null;
    const map = { email: byEmail, sha1: bySha1, ref: byRef, id: byId }[i.kind];
    return map.get(i.value) ?? null;
  });
}

const COMPLETING = new Set<string>([ADL_VERBS.completed, ADL_VERBS.passed]);

/**
 * A completed or passed statement (not reporting failure) on a mapped activity, for a linked
 * person, completes that person's open enrolment on the mapped course: once (the enrolment is
 * locked and a completion row keyed by enrolment), audited as the credential, awarding the
 * course's certifications like any completion. Returns the enrolments completed.
 */
export async function completeMappedEnrolments(trx: Executor, client: LrsClient, rows: Array<{ id: string; personId: string | null; statement: JsonObject; timestamp: Date }>): Promise<string[]> {
  const candidates = rows.filter((r) => {
    const verb = isObject(r.statement.verb) ? r.statement.verb.id : undefined;
    const object = r.statement.object;
    const result = isObject(r.statement.result) ? r.statement.result : {};
    return r.personId !== null && typeof verb === 'string' && COMPLETING.has(verb) && isObject(object) && (object.objectType ?? 'Activity') === 'Activity' && result.success !== false;
  });
  if (candidates.length === 0) return [];
  const mappings = await repo.mappedCourses(trx, [...new Set(candidates.map((r) => (r.statement.object as JsonObject).id as string))]);
  if (mappings.length === 0) return [];
  const actor = credentialActor(client);
  const completed: string[] = [];
  for (const r of candidates) {
    const activityId = (r.statement.object as JsonObject).id as string;
    for (const m of mappings.filter((x) => x.activity_id === activityId)) {
      const enrolment = await repo.openEnrolment(trx, r.personId!, m.course_id);
      if (!enrolment) continue;
      const result = isObject(r.statement.result) ? r.statement.result : {};
      const scaled = isObject(result.score) && typeof result.score.scaled === 'number' ? Math.max(0, result.score.scaled) : null;
      if (!(await repo.insertCompletion(trx, { enrolmentId: enrolment.id, statementId: r.id, personId: enrolment.person_id, courseId: m.course_id, vendorId: enrolment.vendor_id, completedAt: r.timestamp }))) continue;
      await enrolments.updateEnrolment(trx, enrolment.id, { status: 'completed', completed_at: r.timestamp, score: scaled });
      await emitTrainingEvent(trx, { kind: 'completed', key: enrolment.id, at: r.timestamp, personId: enrolment.person_id, courseId: m.course_id, enrolmentId: enrolment.id, result: { completion: true, scaled } });
      await audit(trx, actor, {
        action: 'training.enrolment.complete',
        entityType: 'enrolment',
        entityId: enrolment.id,
        vendorId: enrolment.vendor_id,
        details: { courseId: m.course_id, versionId: enrolment.course_version_id, score: scaled, source: 'xapi', statementId: r.id, activityId },
      });
      await awardForCompletion(trx, actor, enrolment, null, r.timestamp);
      completed.push(enrolment.id);
    }
  }
  return completed;
}
