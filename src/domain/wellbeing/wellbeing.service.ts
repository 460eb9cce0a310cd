import type { Executor } from '../../db/database.ts';
import { readSetting, writeSetting } from '../../db/repositories/settings.repository.ts';
import * as repo from '../../db/repositories/wellbeing.repository.ts';
import type { Actor } from '../access/actor.ts';
import { audit } from '../audit/audit.service.ts';
import { AppError, invalid } from '../errors.ts';
import { checkLimits, checkPreferences, effectiveDisplay, limitsOrDefault, TIERS, type EffectiveDisplay, type WellbeingLimits, type WellbeingPreferences } from './wellbeing.rules.ts';

/** The wellbeing limits (administrators) and each person's preferences within them. */

const SETTING_KEY = 'wellbeing';

export async function getLimits(trx: Executor): Promise<WellbeingLimits> {
  return limitsOrDefault(await readSetting(trx, SETTING_KEY));
}

export async function setLimits(trx: Executor, actor: Actor, input: unknown): Promise<WellbeingLimits> {
  const issues = checkLimits(input);
  if (issues.length > 0) throw invalid(issues);
  const before = await getLimits(trx);
  await writeSetting(trx, SETTING_KEY, input);
  await audit(trx, actor, { action: 'wellbeing.limits_update', entityType: 'app_setting', entityId: SETTING_KEY, vendorId: null, details: { before, after: input } });
  return input as WellbeingLimits;
}

function requireUser(actor: Actor): string {
  if (!actor.userId) throw new AppError('FORBIDDEN', 'Wellbeing preferences belong to a signed-in user.');
  return actor.userId;
}

async function storedPreferences(trx: Executor, userId: string): Promise<WellbeingPreferences> {
  return ((await repo.readPreferences(trx, userId)) ?? {}) as WellbeingPreferences;
}

export interface PreferencesView {
  preferences: WellbeingPreferences;
  limits: WellbeingLimits;
  /** What each tier looks like for this person now. */
  effective: EffectiveDisplay[];
}

export async function getPreferences(trx: Executor, actor: Actor): Promise<PreferencesView> {
  const userId = requireUser(actor);
  const limits = await getLimits(trx);
  const preferences = await storedPreferences(trx, userId);
  return { preferences, limits, effective: TIERS.map((tier) => effectiveDisplay(limits, preferences, tier)) };
}

export async function setPreferences(trx: Executor, actor: Actor, input: unknown): Promise<PreferencesView> {
  const userId = requireUser(actor);
  const limits = await getLimits(trx);
  const issues = checkPreferences(limits, input);
  if (issues.length > 0) throw invalid(issues, 'These preferences are outside the limits your organisation set.');
  await repo.writePreferences(trx, userId, input);
  const preferences = input as WellbeingPreferences;
  return { preferences, limits, effective: TIERS.map((tier) => effectiveDisplay(limits, preferences, tier)) };
}

/** The display rule for one item's severity, for the caller. */
export async function displayFor(trx: Executor, actor: Actor, severity: string | null): Promise<EffectiveDisplay> {
  const limits = await getLimits(trx);
  const preferences = actor.userId ? await storedPreferences(trx, actor.userId) : {};
  return effectiveDisplay(limits, preferences, severity);
}
