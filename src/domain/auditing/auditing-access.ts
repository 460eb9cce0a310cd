import type { Actor } from '../access/actor.ts';
import { AppError } from '../errors.ts';

/**
 * Gold answers and the double-review set-up are internal QA's: a vendor's QA
 * lead, even with auditing.manage, must not see the expert answers their own
 * reviewers are measured with, nor choose what gets re-reviewed.
 */
export function requireInternal(actor: Actor, what: string): void {
  if (actor.scope.kind !== 'all') {
    throw new AppError('FORBIDDEN', `Only internal QA (scope: everything) can ${what}; vendor-scoped people are who gold items and double reviews measure.`);
  }
}
