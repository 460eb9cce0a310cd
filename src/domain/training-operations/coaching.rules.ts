import { ERROR_TYPES } from '../reviews/scorecard.types.ts';
import { Issues } from '../errors.ts';

/** Coaching checks, pure. */

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEY = /^[a-z][a-z0-9_]{0,48}$/;

export interface ActionInput {
  description: string;
  ownerId: string;
  followUpOn: string;
}

export interface CoachingInput {
  personId: string;
  coachId?: string;
  heldOn: string;
  topic: string;
  notes?: string;
  workflowId?: string | null;
  reviewIds?: string[];
  errorTypes?: string[];
  rootCauses?: string[];
  actions?: ActionInput[];
}

export function checkActions(actions: readonly ActionInput[], heldOn: string | null, issues: Issues, path = '/actions'): void {
  actions.forEach((a, i) => {
    issues.check(a.description.trim().length > 0, `${path}/${i}/description`, 'Say what was agreed.');
    if (!DAY.test(a.followUpOn)) issues.add(`${path}/${i}/followUpOn`, 'Give the follow-up date as YYYY-MM-DD.');
    else if (heldOn !== null && a.followUpOn < heldOn) issues.add(`${path}/${i}/followUpOn`, 'The follow-up comes on or after the session.');
  });
}

export function checkCoaching(input: CoachingInput, today: string): Issues {
  const issues = new Issues();
  if (!DAY.test(input.heldOn)) issues.add('/heldOn', 'Give the date as YYYY-MM-DD.');
  else issues.check(input.heldOn <= today, '/heldOn', 'Record a session once it has been held (the date is in the future).');
  issues.check(input.topic.trim().length > 0, '/topic', 'Say what the session was about.');
  issues.check(input.coachId === undefined || input.coachId !== input.personId, '/coachId', 'Nobody coaches themselves.');
  (input.errorTypes ?? []).forEach((t, i) => issues.check((ERROR_TYPES as readonly string[]).includes(t), `/errorTypes/${i}`, `One of ${ERROR_TYPES.join(', ')}.`));
  (input.rootCauses ?? []).forEach((r, i) => issues.check(KEY.test(r), `/rootCauses/${i}`, 'A root-cause key (lower-case letters, digits, underscores).'));
  checkActions(input.actions ?? [], DAY.test(input.heldOn) ? input.heldOn : null, issues);
  return issues;
}

/** The errors a session is about: those named, else those of the reviews it discussed, in a stable order. */
export function unionKeys(named: readonly string[] | undefined, fromReviews: ReadonlyArray<readonly string[]>): string[] {
  if (named && named.length > 0) return [...new Set(named)];
  return [...new Set(fromReviews.flat())].sort();
}
