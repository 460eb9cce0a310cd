import { sql } from 'kysely';
import type { Db } from '../../src/db/database.ts';
import type { World } from './org-world.ts';
import { publishScorecard } from './scorecard-fixtures.ts';

/**
 * Training-core rows (migration 0012) the training-operations tests stand on,
 * written directly as the system so those tests do not depend on the
 * training core's services.
 */

export async function addCourse(db: Db, world: World, title: string): Promise<{ courseId: string; versionId: string }> {
  const { rows: [course] } = await sql<{ id: string }>`
    INSERT INTO courses (workflow_id, title) VALUES (${world.workflowId}, ${title}) RETURNING id`.execute(db);
  const { rows: [version] } = await sql<{ id: string }>`
    INSERT INTO course_versions (course_id, version, status, title, published_at)
    VALUES (${course!.id}, 1, 'published', ${title}, now()) RETURNING id`.execute(db);
  return { courseId: course!.id, versionId: version!.id };
}

export interface EnrolmentSpec {
  personId: string;
  course: { courseId: string; versionId: string };
  dueAt: Date | null;
  status?: 'assigned' | 'in_progress' | 'completed' | 'withdrawn';
  cohortId?: string | null;
}

export async function addEnrolment(db: Db, spec: EnrolmentSpec): Promise<string> {
  const status = spec.status ?? 'assigned';
  const completedAt = status === 'completed' ? new Date() : null;
  const { rows: [row] } = await sql<{ id: string }>`
    INSERT INTO enrolments (person_id, vendor_id, site_id, course_id, course_version_id, source, cohort_id, due_at, status, completed_at)
    SELECT p.id, p.vendor_id, p.site_id, ${spec.course.courseId}, ${spec.course.versionId}, 'person', ${spec.cohortId ?? null},
           ${spec.dueAt}, ${status}, ${completedAt}
    FROM people p WHERE p.id = ${spec.personId}
    RETURNING id`.execute(db);
  return row!.id;
}

export async function addCohort(db: Db, world: World, siteIndex: number, name: string, startDate: string): Promise<string> {
  const site = world.sites[siteIndex]!;
  const { rows: [row] } = await sql<{ id: string }>`
    INSERT INTO cohorts (vendor_id, site_id, workflow_id, name, start_date, status)
    VALUES (${site.vendorId}, ${site.id}, ${world.workflowId}, ${name}, ${startDate}, 'active') RETURNING id`.execute(db);
  return row!.id;
}

export async function addCohortMember(db: Db, cohortId: string, personId: string): Promise<void> {
  await sql`INSERT INTO cohort_members (cohort_id, person_id) VALUES (${cohortId}, ${personId})`.execute(db);
}

export async function setEmail(db: Db, personId: string, email: string): Promise<void> {
  await db.updateTable('people').set({ email }).where('id', '=', personId).execute();
}

export interface ReviewBatch {
  agent: { id: string; vendorId: string; siteId: string; teamId: string | null };
  reviewerId: string;
  reviewerVendorId: string;
  scorecardVersionId: string;
  workflowId: string;
  decidedAt: Date;
  correct: number;
  wrong: number;
  /** Of the wrong ones, how many are critical failures. */
  critical?: number;
  errorTypes?: string[];
  rootCauses?: string[];
}

export async function addScorecardVersion(db: Db, workflowId: string): Promise<string> {
  const definition = {
    sections: [{ key: 'core', title: 'Decision', questions: [{ key: 'label', text: 'Correct label?', kind: 'correct_label', weight: 1, critical: false }] }],
    rootCauses: [{ key: 'policy_gap', label: 'Policy knowledge gap' }], commentRequiredOnFail: false, passMark: 80,
  };
  const row = await publishScorecard(db, workflowId, definition, 'Fixture');
  return row.id;
}

/** Reviews of an agent's decisions on one day, written as a submitted review would be (the rollups follow by trigger). */
export async function addReviews(db: Db, batch: ReviewBatch): Promise<string[]> {
  const { insertSampledDecisions } = await import('../support/decision-fixtures.ts');
  const total = batch.correct + batch.wrong;
  const decisionIds = await insertSampledDecisions(db, Array.from({ length: total }, () => ({
    agent: batch.agent, workflowId: batch.workflowId, labels: [], action: 'no_action', decidedAt: batch.decidedAt,
  })));
  const ids: string[] = [];
  for (const [i, decisionId] of decisionIds.entries()) {
    const correct = i < batch.correct;
    const critical = !correct && i - batch.correct < (batch.critical ?? 0);
    const task = await db.insertInto('qa_tasks').values({
      decision_id: decisionId, workflow_id: batch.workflowId, vendor_id: batch.agent.vendorId, site_id: batch.agent.siteId, team_id: batch.agent.teamId,
      agent_id: batch.agent.id, status: 'completed', assignee_id: batch.reviewerId, due_at: new Date(), completed_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const review = await db.insertInto('reviews').values({
      task_id: task.id, decision_id: decisionId, workflow_id: batch.workflowId, vendor_id: batch.agent.vendorId, site_id: batch.agent.siteId,
      team_id: batch.agent.teamId, agent_id: batch.agent.id, reviewer_id: batch.reviewerId, reviewer_vendor_id: batch.reviewerVendorId,
      scorecard_version_id: batch.scorecardVersionId, blind: true, qa_labels: correct ? [] : ['abuse.slur'], qa_action: correct ? 'no_action' : 'remove',
      answers: '[]', score: correct ? 100 : 0, passed: correct, critical_failed: critical, correct,
      error_types: correct ? [] : (batch.errorTypes ?? ['false_negative']), root_causes: correct ? [] : (batch.rootCauses ?? ['policy_gap']),
      time_on_task_ms: 60_000, submitted_at: batch.decidedAt,
    }).returning('id').executeTakeFirstOrThrow();
    ids.push(review.id);
  }
  return ids;
}

/** A user of any role and scope (the scope's row given by id), optionally linked to a person, with an API token. */
export async function scopedUser(db: Db, world: World, role: import('../../src/domain/access/roles.ts').Role, kind: 'all' | 'vendor' | 'site' | 'team' | 'self', refId: string | null, personId: string | null = null): Promise<{ id: string; email: string; token: string }> {
  const { randomBytes } = await import('node:crypto');
  const { digest } = await import('../../src/domain/auth/secrets.ts');
  const email = `${role}.${kind}.${randomBytes(3).toString('hex')}.${world.tag}@test.example`;
  const user = await db.insertInto('users')
    .values({ email, display_name: email, password_hash: null, role, scope_kind: kind, scope_ref_id: refId, person_id: personId })
    .returning('id').executeTakeFirstOrThrow();
  const token = `assay_${randomBytes(24).toString('base64url')}`;
  await db.insertInto('api_tokens').values({ user_id: user.id, name: 'test', token_hash: digest(token), prefix: token.slice(0, 12) }).execute();
  return { id: user.id, email, token };
}
