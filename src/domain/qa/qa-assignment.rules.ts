/**
 * Who may review a QA task, and who gets it. Pure: the queue services load
 * reviewers and tasks, these functions decide, the services write the result.
 *
 * A reviewer is eligible for a task when they are an active QA specialist or
 * QA lead, skilled in the task's workflow, speak its language (matched on the
 * primary subtag; a task with no language suits anyone), are neither the agent
 * nor on the agent's team, and sit on the right side of the vendor line: a
 * vendor's QA reviews its own vendor's work, in-house QA reviews anyone's, and
 * a workflow may reserve vendor work for in-house QA only.
 */

export const QA_DEFAULTS = {
  /** Hours from task creation to its due date, when the workflow sets none. */
  turnaroundHours: 48,
  /** How long a claim holds a task, when the workflow sets none. */
  leaseMinutes: 30,
  /** Tasks assigned to one reviewer per UTC day, when none is set for them. */
  dailyCapacity: 80,
} as const;

export const REVIEWER_JOB_ROLES = ['qa_specialist', 'qa_lead'] as const;

export interface ReviewerProfile {
  id: string;
  vendorId: string;
  vendorIsInHouse: boolean;
  teamId: string | null;
  jobRole: string;
  status: string;
  languages: readonly string[];
  workflowIds: readonly string[];
}

export interface TaskProfile {
  workflowId: string;
  agentId: string;
  vendorId: string;
  vendorIsInHouse: boolean;
  teamId: string | null;
  /** BCP 47 tag of the content, or '' when unknown. */
  language: string;
  /** The workflow's setting: vendor agents' work is reviewed by in-house QA only. */
  internalReviewsVendorWork: boolean;
  /** In-house QA only, whatever the workflow says: a blind double review of vendor QA (docs/decisions/0009). */
  inHouseOnly?: boolean;
}

export type Ineligibility =
  | 'not_reviewer'
  | 'not_active'
  | 'not_skilled'
  | 'own_decision'
  | 'own_team'
  | 'language'
  | 'in_house_only'
  | 'other_vendor';

/** Why a reviewer may not take a task, said to the reviewer ("you") and about them (for a manager). */
const INELIGIBILITY_MESSAGES: Record<Ineligibility, { you: string; they: string }> = {
  not_reviewer: { you: 'You are not a QA specialist or QA lead', they: 'is not a QA specialist or QA lead' },
  not_active: { you: 'Your person record is not active', they: 'is not active' },
  not_skilled: { you: 'You are not skilled in this workflow', they: 'is not skilled in this workflow' },
  own_decision: { you: 'This is your own decision: nobody reviews their own work', they: 'made this decision: nobody reviews their own work' },
  own_team: {
    you: "This is your own team's work: nobody reviews their own team",
    they: "is on the agent's team: nobody reviews their own team",
  },
  language: { you: "You do not speak the content's language", they: "does not speak the content's language" },
  in_house_only: {
    you: 'This workflow has vendor work reviewed by in-house QA only',
    they: 'works for a vendor, and this workflow has vendor work reviewed by in-house QA only',
  },
  other_vendor: {
    you: "This is another vendor's work: only its own QA or in-house QA review it",
    they: "works for another vendor: only the agent's own vendor or in-house QA review this work",
  },
};

/** A sentence for the reviewer themselves (name omitted) or about them, by name, for a manager. */
export function ineligibilityMessage(reason: Ineligibility, reviewerName?: string): string {
  const text = INELIGIBILITY_MESSAGES[reason];
  return reviewerName === undefined ? `${text.you}.` : `${reviewerName} ${text.they}.`;
}

/** 'pt-BR' -> 'pt'; '' for no language. Case and '_' separators are tolerated because content tags come from upstream tools. */
export function primaryLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

export function speaksLanguage(reviewerLanguages: readonly string[], taskLanguage: string): boolean {
  const wanted = primaryLanguage(taskLanguage);
  if (wanted === '') return true;
  return reviewerLanguages.some((language) => primaryLanguage(language) === wanted);
}

/**
 * Whether the reviewer's vendor may review the agent's vendor's work. With
 * the in-house-only option, a vendor reviewer is refused even for their own
 * vendor's work.
 */
function vendorProblem(reviewer: ReviewerProfile, task: TaskProfile): Ineligibility | null {
  if (reviewer.vendorIsInHouse) return null;
  if (task.inHouseOnly) return 'in_house_only';
  if (task.internalReviewsVendorWork && !task.vendorIsInHouse) return 'in_house_only';
  return reviewer.vendorId === task.vendorId ? null : 'other_vendor';
}

/** Why the reviewer may not review the task, or null when they may. Capacity is not part of eligibility. */
export function ineligibility(reviewer: ReviewerProfile, task: TaskProfile): Ineligibility | null {
  if (!(REVIEWER_JOB_ROLES as readonly string[]).includes(reviewer.jobRole)) return 'not_reviewer';
  if (reviewer.status !== 'active') return 'not_active';
  if (reviewer.id === task.agentId) return 'own_decision';
  if (reviewer.teamId !== null && reviewer.teamId === task.teamId) return 'own_team';
  if (!reviewer.workflowIds.includes(task.workflowId)) return 'not_skilled';
  if (!speaksLanguage(reviewer.languages, task.language)) return 'language';
  return vendorProblem(reviewer, task);
}

export function isEligible(reviewer: ReviewerProfile, task: TaskProfile): boolean {
  return ineligibility(reviewer, task) === null;
}

export interface ReviewerLoad extends ReviewerProfile {
  dailyCapacity: number;
  /** Tasks assigned to them now, open or claimed. */
  openLoad: number;
  /** Tasks assigned to them today (UTC), which the daily capacity caps. */
  assignedToday: number;
}

export interface AssignableTask extends TaskProfile {
  id: string;
  /** The decision under review: the tie-break among tasks due together, stable where task ids are random. */
  decisionId: string;
  dueAt: Date;
}

/**
 * Assigns each task to the eligible reviewer with capacity left today and the
 * fewest open or claimed tasks, ties broken by person id, so the same state
 * always gives the same result. Tasks are taken in due order, then by
 * decision id (a batch is usually due at one instant, and task ids are random
 * while a decision's id is stable, so reloading the same decisions assigns
 * them alike), so when capacity runs out it is the latest-due work that waits.
 * Returns task id -> reviewer id, or null for a task nobody can take.
 */
export function assignTasks(tasks: readonly AssignableTask[], reviewers: readonly ReviewerLoad[]): Map<string, string | null> {
  const state = reviewers.map((reviewer) => ({ ...reviewer }));
  const byWorkflow = new Map<string, typeof state>();
  for (const reviewer of state) {
    for (const workflowId of reviewer.workflowIds) {
      const list = byWorkflow.get(workflowId) ?? [];
      list.push(reviewer);
      byWorkflow.set(workflowId, list);
    }
  }
  const ordered = [...tasks].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compareIds(a.decisionId, b.decisionId) || compareIds(a.id, b.id));
  const result = new Map<string, string | null>();
  for (const task of ordered) {
    let best: (typeof state)[number] | null = null;
    for (const reviewer of byWorkflow.get(task.workflowId) ?? []) {
      if (reviewer.assignedToday >= reviewer.dailyCapacity || !isEligible(reviewer, task)) continue;
      if (best === null || reviewer.openLoad < best.openLoad || (reviewer.openLoad === best.openLoad && compareIds(reviewer.id, best.id) < 0)) {
        best = reviewer;
      }
    }
    if (best) {
      best.openLoad += 1;
      best.assignedToday += 1;
    }
    result.set(task.id, best?.id ?? null);
  }
  return result;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The start and end of the UTC day holding `now`: the window a daily capacity counts in. */
export function utcDay(now: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  return { start, end: new Date(start.getTime() + 86_400_000) };
}
