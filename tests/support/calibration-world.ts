import type { Db } from '../../src/db/database.ts';
import type { JobRole } from '../../src/db/schema.ts';
import type { Role } from '../../src/domain/access/roles.ts';
import type { ScopeKind } from '../../src/domain/access/scope.ts';
import type { DecisionWorld } from './decision-world.ts';
import { insertSampledDecisions } from './decision-fixtures.ts';
import { addUser, type World, type WorldPerson, type WorldUser } from './org-world.ts';

/** People and users of the calibration tests: persons with a job role outside any team, and users linked to them. */
export function calibrationPeople(db: Db, world: World) {
  let seq = 0;
  return {
    async addPerson(vendor: number, jobRole: JobRole): Promise<WorldPerson> {
      seq += 1;
      const vendorId = world.vendors[vendor]!.id;
      const siteId = world.sites.find((s) => s.vendorId === vendorId)!.id;
      const fullName = `Person ${seq} ${world.tag}`;
      const row = await db
        .insertInto('people')
        .values({ vendor_id: vendorId, site_id: siteId, team_id: null, full_name: fullName, job_role: jobRole, hire_date: '2021-06-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: row.id, vendorId, siteId, teamId: null, fullName };
    },
    /** A user of the role and scope kind (a vendor scope on vendor `vendor`), linked to `person` if given. */
    async linkedUser(role: Role, kind: ScopeKind, person: WorldPerson | null, vendor = 1): Promise<WorldUser> {
      seq += 1;
      const user = await addUser(db, world, role, kind, `${role}-${kind}-${seq}`);
      if (kind === 'vendor' && vendor !== 1) {
        await db.updateTable('users').set({ scope_ref_id: world.vendors[vendor]!.id }).where('id', '=', user.id).execute();
        user.scope = { ...user.scope, refId: world.vendors[vendor]!.id, vendorId: world.vendors[vendor]!.id };
      }
      if (person) await db.updateTable('users').set({ person_id: person.id }).where('id', '=', user.id).execute();
      return user;
    },
  };
}

export interface ReviewedDecisionSpec {
  scorecardId: string;
  vendor: number;
  reviewer: WorldPerson;
  answers?: unknown[];
  score?: number;
  errorTypes?: string[];
}

/** A decision an agent of `vendor` left up ("no violation"), reviewed by `reviewer` as slur + remove. */
export async function addReviewedDecision(db: Db, world: World, dw: DecisionWorld, spec: ReviewedDecisionSpec): Promise<string> {
  const { scorecardId, vendor, reviewer } = spec;
  const agent = world.people.find((p) => p.vendorId === world.vendors[vendor]!.id && p.teamId !== null)!;
  const [decisionId] = await insertSampledDecisions(db, [{ agent, workflowId: world.workflowId, labels: [], action: 'no_action', severity: 'high' }]);
  const task = await db
    .insertInto('qa_tasks')
    .values({ decision_id: decisionId!, workflow_id: world.workflowId, vendor_id: agent.vendorId, site_id: agent.siteId, team_id: agent.teamId, agent_id: agent.id, status: 'completed', assignee_id: reviewer.id, due_at: new Date(), completed_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('reviews')
    .values({
      task_id: task.id, decision_id: decisionId!, workflow_id: world.workflowId, vendor_id: agent.vendorId, site_id: agent.siteId, team_id: agent.teamId, agent_id: agent.id,
      reviewer_id: reviewer.id, reviewer_vendor_id: reviewer.vendorId, scorecard_version_id: scorecardId, blind: true,
      qa_labels: [dw.labels.slur], qa_action: 'remove', answers: JSON.stringify(spec.answers ?? []), score: spec.score ?? 0, passed: false, critical_failed: false,
      correct: false, error_types: spec.errorTypes ?? ['false_negative'], root_causes: [], time_on_task_ms: 60_000,
    })
    .execute();
  return decisionId!;
}
