import { describe, expect, it } from 'vitest';
import {
  assignTasks,
  ineligibility,
  ineligibilityMessage,
  isEligible,
  primaryLanguage,
  speaksLanguage,
  utcDay,
  type AssignableTask,
  type ReviewerLoad,
} from '../../src/domain/qa/qa-assignment.rules.ts';

/** The QA assignment rules, without a database. */

const WF = 'wf-video';
const IN_HOUSE = 'vendor-in-house';
const BPO = 'vendor-bpo';
const OTHER_BPO = 'vendor-other';

function reviewer(id: string, extra: Partial<ReviewerLoad> = {}): ReviewerLoad {
  return {
    id,
    vendorId: BPO,
    vendorIsInHouse: false,
    teamId: null,
    jobRole: 'qa_specialist',
    status: 'active',
    languages: ['en'],
    workflowIds: [WF],
    dailyCapacity: 80,
    openLoad: 0,
    assignedToday: 0,
    ...extra,
  };
}

let taskSeq = 0;
function task(extra: Partial<AssignableTask> = {}): AssignableTask {
  taskSeq += 1;
  return {
    id: `task-${String(taskSeq).padStart(4, '0')}`,
    decisionId: `decision-${String(taskSeq).padStart(4, '0')}`,
    dueAt: new Date('2025-03-05T12:00:00Z'),
    workflowId: WF,
    agentId: 'agent-1',
    vendorId: BPO,
    vendorIsInHouse: false,
    teamId: 'team-a',
    language: 'en',
    internalReviewsVendorWork: false,
    ...extra,
  };
}

describe('language matching', () => {
  it('matches on the primary subtag, in either direction, ignoring case and separators', () => {
    expect(primaryLanguage('pt-BR')).toBe('pt');
    expect(primaryLanguage('PT_br')).toBe('pt');
    expect(primaryLanguage('')).toBe('');
    expect(speaksLanguage(['pt'], 'pt-BR')).toBe(true);
    expect(speaksLanguage(['pt-BR'], 'pt-BR')).toBe(true);
    expect(speaksLanguage(['pt-BR'], 'pt')).toBe(true);
    expect(speaksLanguage(['en', 'es'], 'pt-BR')).toBe(false);
    expect(speaksLanguage(['en'], 'english')).toBe(false);
  });

  it('lets anyone review content with no language, even a reviewer with none listed', () => {
    expect(speaksLanguage([], '')).toBe(true);
    expect(speaksLanguage([], 'en')).toBe(false);
  });
});

describe('eligibility', () => {
  it('accepts a skilled, active QA reviewer of the same vendor on another team', () => {
    expect(ineligibility(reviewer('r1'), task())).toBeNull();
    expect(ineligibility(reviewer('r1', { jobRole: 'qa_lead', teamId: 'team-b' }), task())).toBeNull();
  });

  it('refuses people who are not active QA specialists or leads', () => {
    expect(ineligibility(reviewer('r1', { jobRole: 'agent' }), task())).toBe('not_reviewer');
    expect(ineligibility(reviewer('r1', { jobRole: 'trainer' }), task())).toBe('not_reviewer');
    expect(ineligibility(reviewer('r1', { status: 'on_leave' }), task())).toBe('not_active');
  });

  it('never lets a reviewer review their own decision or their own team', () => {
    expect(ineligibility(reviewer('agent-1'), task({ agentId: 'agent-1', teamId: null }))).toBe('own_decision');
    expect(ineligibility(reviewer('r1', { teamId: 'team-a' }), task({ teamId: 'team-a' }))).toBe('own_team');
    // No team on either side is not "the same team".
    expect(ineligibility(reviewer('r1', { teamId: null }), task({ teamId: null }))).toBeNull();
  });

  it('requires the workflow skill and the language', () => {
    expect(ineligibility(reviewer('r1', { workflowIds: ['wf-other'] }), task())).toBe('not_skilled');
    expect(ineligibility(reviewer('r1', { languages: ['fr'] }), task({ language: 'de-AT' }))).toBe('language');
    expect(ineligibility(reviewer('r1', { languages: ['de'] }), task({ language: 'de-AT' }))).toBeNull();
  });

  it("keeps vendor work with the vendor's own QA or in-house QA", () => {
    expect(ineligibility(reviewer('r1', { vendorId: OTHER_BPO }), task())).toBe('other_vendor');
    expect(ineligibility(reviewer('r1', { vendorId: IN_HOUSE, vendorIsInHouse: true }), task())).toBeNull();
    // A vendor's QA does not review in-house agents' work.
    expect(ineligibility(reviewer('r1'), task({ vendorId: IN_HOUSE, vendorIsInHouse: true }))).toBe('other_vendor');
  });

  it('with the in-house-only option, refuses vendor QA even on its own vendor, but not on in-house work', () => {
    const internalOnly = task({ internalReviewsVendorWork: true });
    expect(ineligibility(reviewer('r1'), internalOnly)).toBe('in_house_only');
    expect(isEligible(reviewer('r1', { vendorId: IN_HOUSE, vendorIsInHouse: true }), internalOnly)).toBe(true);
    const inHouseWork = task({ internalReviewsVendorWork: true, vendorId: IN_HOUSE, vendorIsInHouse: true });
    expect(isEligible(reviewer('r2', { vendorId: IN_HOUSE, vendorIsInHouse: true }), inHouseWork)).toBe(true);
  });

  it('explains a refusal to the reviewer and, by name, to a manager', () => {
    expect(ineligibilityMessage('own_team')).toMatch(/your own team/);
    expect(ineligibilityMessage('language', 'Ana Reyes')).toBe("Ana Reyes does not speak the content's language.");
  });
});

describe('assignTasks', () => {
  it('gives each task to the least-loaded eligible reviewer, ties to the lowest person id', () => {
    const tasks = [task(), task(), task()];
    const result = assignTasks(tasks, [reviewer('r-b', { openLoad: 1 }), reviewer('r-c'), reviewer('r-a')]);
    // r-a and r-c start at 0: r-a wins the tie, then r-c, then all three are at 1 and r-a wins again.
    expect(tasks.map((t) => result.get(t.id))).toEqual(['r-a', 'r-c', 'r-a']);
  });

  it('orders tasks due together by decision, so random task ids do not change who gets what', () => {
    const due = new Date('2025-03-05T12:00:00Z');
    const reviewers = [reviewer('r1', { dailyCapacity: 1 }), reviewer('r2', { dailyCapacity: 1 })];
    const first = assignTasks([task({ id: 'task-z', decisionId: 'decision-a', dueAt: due }), task({ id: 'task-a', decisionId: 'decision-b', dueAt: due }), task({ id: 'task-m', decisionId: 'decision-c', dueAt: due })], reviewers);
    // The same decisions again, their tasks created with other ids: the same people get the same decisions.
    const again = assignTasks([task({ id: 'task-b', decisionId: 'decision-c', dueAt: due }), task({ id: 'task-y', decisionId: 'decision-a', dueAt: due }), task({ id: 'task-c', decisionId: 'decision-b', dueAt: due })], reviewers);
    expect([first.get('task-z'), first.get('task-a'), first.get('task-m')]).toEqual(['r1', 'r2', null]);
    expect([again.get('task-y'), again.get('task-c'), again.get('task-b')]).toEqual(['r1', 'r2', null]);
  });

  it('gives the same answer whatever order the inputs come in', () => {
    const tasks = Array.from({ length: 12 }, (_, i) => task({ dueAt: new Date(Date.UTC(2025, 2, 5, i % 4)), language: i % 3 === 0 ? 'es' : 'en' }));
    const reviewers = [reviewer('r1', { languages: ['en', 'es'] }), reviewer('r2'), reviewer('r3', { openLoad: 2, languages: ['es'] }), reviewer('r4', { dailyCapacity: 2 })];
    const forward = assignTasks(tasks, reviewers);
    const backward = assignTasks([...tasks].reverse(), [...reviewers].reverse());
    expect([...backward.entries()].sort()).toEqual([...forward.entries()].sort());
    expect([...forward.values()].every((id) => id !== null)).toBe(true);
  });

  it('respects the daily capacity, counting what was assigned earlier today, and leaves the rest unassigned', () => {
    const tasks = [task(), task(), task(), task()];
    const result = assignTasks(tasks, [reviewer('r1', { dailyCapacity: 2, assignedToday: 1 }), reviewer('r2', { dailyCapacity: 2 })]);
    const counts = new Map<string | null, number>();
    for (const id of result.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.get('r1')).toBe(1);
    expect(counts.get('r2')).toBe(2);
    expect(counts.get(null)).toBe(1);
  });

  it('leaves the latest-due work in the pool when capacity runs out', () => {
    const late = task({ dueAt: new Date('2025-03-09T00:00:00Z') });
    const early = task({ dueAt: new Date('2025-03-04T00:00:00Z') });
    const result = assignTasks([late, early], [reviewer('r1', { dailyCapacity: 1 })]);
    expect(result.get(early.id)).toBe('r1');
    expect(result.get(late.id)).toBeNull();
  });

  it('never assigns to an ineligible reviewer, even an idle one', () => {
    const own = task({ agentId: 'r-agent', teamId: 'team-a' });
    const result = assignTasks([own], [reviewer('r-agent'), reviewer('r-team', { teamId: 'team-a' }), reviewer('r-busy', { openLoad: 50 })]);
    expect(result.get(own.id)).toBe('r-busy');
    const nobody = assignTasks([task({ language: 'ja' })], [reviewer('r1'), reviewer('r2')]);
    expect([...nobody.values()]).toEqual([null]);
  });

  it('with capacity 0 assigns nothing', () => {
    const result = assignTasks([task()], [reviewer('r1', { dailyCapacity: 0 })]);
    expect([...result.values()]).toEqual([null]);
  });
});

describe('utcDay', () => {
  it('spans the UTC calendar day holding the instant', () => {
    const day = utcDay(new Date('2025-03-05T23:59:59.999Z'));
    expect(day.start.toISOString()).toBe('2025-03-05T00:00:00.000Z');
    expect(day.end.toISOString()).toBe('2025-03-06T00:00:00.000Z');
  });
});
