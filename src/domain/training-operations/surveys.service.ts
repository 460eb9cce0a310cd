import type { Db, Executor } from '../../db/database.ts';
import * as repo from '../../db/repositories/training-operations-surveys.repository.ts';
import type { Actor } from '../access/actor.ts';
import { systemActor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, conflict, notFound } from '../errors.ts';
import { checkResponse, checkSurveyDefinition, surveyResults, type GroupResult, type ResponseInput, type SurveyItem } from './surveys.rules.ts';
import type { SurveyInvitation } from './training-operations.types.ts';
export type { SurveyInvitation };

/**
 * Reaction surveys (Kirkpatrick level 1): learners are invited when a cohort
 * session they attended is completed, or when they complete a course; they
 * answer once, anonymously (the response keeps no person and no time of day);
 * results per course, trainer, site or cohort show only for groups of at
 * least the survey's minimum size.
 */

export interface SurveyDefinition {
  id: string;
  name: string;
  description: string;
  items: SurveyItem[];
  minGroupSize: number;
  status: 'active' | 'retired';
  createdAt: string;
  /** The course this survey follows (its learners get it instead of the general survey); null: the general survey. */
  courseId: string | null;
  courseTitle: string | null;
}

function toDefinition(r: repo.SurveyDefinitionRow): SurveyDefinition {
  return {
    id: r.id, name: r.name, description: r.description, items: r.items as SurveyItem[], minGroupSize: r.min_group_size, status: r.status, createdAt: r.created_at.toISOString(),
    courseId: r.course_id, courseTitle: r.course_title,
  };
}

export async function listSurveys(trx: Executor): Promise<{ items: SurveyDefinition[] }> {
  return { items: (await repo.listSurveyDefinitions(trx)).map(toDefinition) };
}

export async function createSurvey(
  trx: Executor,
  actor: Actor,
  input: { name: string; description?: string; items: SurveyItem[]; minGroupSize?: number; courseId?: string | null },
): Promise<SurveyDefinition> {
  if (actor.scope.kind !== 'all') throw new AppError('FORBIDDEN', 'Survey definitions apply to every vendor: only someone with scope "everything" can add one.');
  const course = input.courseId ? await repo.findCourseRef(trx, input.courseId) : null;
  checkSurveyDefinition(input, input.courseId ? course !== undefined : true);
  const items = input.items.map((i) => ({ key: i.key, text: i.text.trim(), kind: i.kind }));
  const courseId = input.courseId ?? null;
  const id = await repo.insertSurveyDefinition(trx, { name: input.name.trim(), description: (input.description ?? '').trim(), items, minGroupSize: input.minGroupSize ?? 5, courseId });
  await audit(trx, actor, { action: 'survey.create', entityType: 'survey', entityId: id, vendorId: null, details: { name: input.name, items: items.length, courseId } });
  return toDefinition((await repo.findSurveyDefinition(trx, id))!);
}

/** Invites the members who attended a completed session (present or late) to the current survey. */
export async function inviteSessionAttendees(trx: Executor, actor: Actor, sessionId: string): Promise<number> {
  const attendees = await repo.sessionAttendees(trx, sessionId);
  const survey = await repo.findCurrentSurvey(trx, attendees[0]?.course_id ?? null);
  if (!survey) return 0;
  const count = await repo.insertInvitations(trx, attendees.map((a) => ({
    surveyId: survey.id, personId: a.person_id, vendorId: a.vendor_id, siteId: a.site_id, teamId: a.team_id,
    contextKey: `session:${sessionId}`, contextLabel: `${a.cohort_name}: ${a.topic}`, courseId: a.course_id, cohortId: a.cohort_id,
    cohortSessionId: sessionId, trainerId: a.trainer_id,
  })));
  if (count > 0) await audit(trx, actor, { action: 'survey.invite', entityType: 'cohort_session', entityId: sessionId, details: { surveyId: survey.id, invited: count } });
  return count;
}

/** Invites everyone who completed a course since `since` (run daily by the reminders job; idempotent). */
export async function inviteCourseCompleters(db: Db, since: Date): Promise<number> {
  const completers = await repo.recentCompleters(db, since);
  // Each course's own survey when it has one, else the general survey.
  const surveyByCourse = new Map<string, repo.SurveyDefinitionRow | undefined>();
  for (const courseId of new Set(completers.map((c) => c.course_id))) surveyByCourse.set(courseId, await repo.findCurrentSurvey(db, courseId));
  const general = await repo.findCurrentSurvey(db);
  const invited = completers.flatMap((c) => {
    const survey = surveyByCourse.get(c.course_id);
    return survey ? [{ ...c, survey_id: survey.id }] : [];
  });
  const count = await repo.insertInvitations(db, invited.map((c) => ({
    surveyId: c.survey_id, personId: c.person_id, vendorId: c.vendor_id, siteId: c.site_id, teamId: c.team_id,
    contextKey: `enrolment:${c.enrolment_id}`, contextLabel: c.course_title, courseId: c.course_id, cohortId: c.cohort_id,
    cohortSessionId: null, trainerId: c.trainer_id,
  })));
  if (count > 0) {
    const surveyIds = [...new Set(invited.map((c) => c.survey_id))];
    await audit(db, systemActor('surveys'), { action: 'survey.invite', entityType: 'survey', entityId: general?.id ?? surveyIds[0]!, vendorId: null, details: { invited: count, surveys: surveyIds, since: since.toISOString() } });
  }
  return count;
}

export interface SurveyInvitationDetail extends SurveyInvitation {
  items: SurveyItem[];
  anonymityNote: string;
}

function toInvitation(r: repo.InvitationRow): SurveyInvitation {
  return { id: r.id, surveyId: r.survey_id, surveyName: r.survey_name, contextLabel: r.context_label, sentAt: r.sent_at.toISOString(), respondedOn: r.responded_on };
}


export async function myInvitations(trx: Executor, actor: Actor): Promise<{ items: SurveyInvitation[] }> {
  // An account with no person (an administrator) took no training: nothing to answer.
  if (!actor.personId) return { items: [] };
  return { items: (await repo.listInvitationsFor(trx, actor.personId)).map(toInvitation) };
}

async function ownInvitation(trx: Executor, actor: Actor, id: string): Promise<repo.InvitationRow> {
  const personId = actor.personId;
  if (!personId) throw notFound('Survey invitation');
  const row = await repo.findInvitation(trx, id);
  // Someone else's invitation is not there for this caller.
  if (!row || row.person_id !== personId) throw notFound('Survey invitation');
  return row;
}

export async function getInvitation(trx: Executor, actor: Actor, id: string): Promise<SurveyInvitationDetail> {
  const row = await ownInvitation(trx, actor, id);
  const minGroupSize = (await repo.findSurveyDefinition(trx, row.survey_id))?.min_group_size ?? 5;
  return {
    ...toInvitation(row),
    items: row.items as SurveyItem[],
    anonymityNote: `Your answers are stored without your name and are shown to trainers and managers only in groups of ${minGroupSize} or more.`,
  };
}

export async function respondToSurvey(trx: Executor, actor: Actor, id: string, input: ResponseInput, now = new Date()): Promise<SurveyInvitation> {
  const row = await ownInvitation(trx, actor, id);
  const { ratings, comments } = checkResponse(row.items as SurveyItem[], input);
  const day = now.toISOString().slice(0, 10);
  if (!(await repo.markResponded(trx, id, day))) throw conflict('You have already answered this survey.');
  await repo.insertResponse(trx, {
    surveyId: row.survey_id, vendorId: row.vendor_id, siteId: row.site_id, courseId: row.course_id, cohortId: row.cohort_id,
    cohortSessionId: row.cohort_session_id, trainerId: row.trainer_id, ratings, comments, day,
  });
  // The audit entry names the invitation answered, never the answers.
  await audit(trx, actor, { action: 'survey.respond', entityType: 'survey_invitation', entityId: id, vendorId: row.vendor_id, details: { surveyId: row.survey_id } });
  return toInvitation((await repo.findInvitation(trx, id))!);
}

export interface SurveyResults {
  survey: SurveyDefinition;
  by: repo.ResultsBy;
  from: string;
  to: string;
  invited: number;
  responded: number;
  groups: Array<GroupResult & { groupId: string | null; groupName: string | null }>;
}

export async function getSurveyResults(trx: Executor, surveyId: string, query: { by?: repo.ResultsBy; from?: string; to?: string }, now = new Date()): Promise<SurveyResults> {
  const row = await repo.findSurveyDefinition(trx, surveyId);
  if (!row) throw notFound('Survey');
  const survey = toDefinition(row);
  const by = query.by ?? 'course';
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 364 * 86_400_000).toISOString().slice(0, 10);
  const responses = await repo.listResponses(trx, surveyId, by, from, to);
  const names = new Map(responses.map((r) => [r.group_id ?? '', r.group_name]));
  const groups = surveyResults(survey.items, responses.map((r) => ({ group: r.group_id ?? '', ratings: r.ratings, comments: r.comments })), survey.minGroupSize)
    .map((g) => ({ ...g, groupId: g.group === '' ? null : g.group, groupName: names.get(g.group) ?? (g.group === '' ? 'Not recorded' : null) }))
    .sort((a, b) => b.n - a.n);
  const counts = await repo.countInvitations(trx, surveyId, from, to);
  return { survey, by, from, to, invited: counts.invited, responded: counts.responded, groups };
}
