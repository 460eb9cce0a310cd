import type { FieldIssue } from '../errors.ts';

/**
 * Wellbeing display rules, pure. An administrator sets limits per severity
 * tier: each protection (blur, greyscale, mute) is 'always' (nobody may turn
 * it off), 'default_on' or 'default_off' (people choose, this is the start),
 * and whether a warning screen comes first. People choose within the limits.
 * The evidence on blur and greyscale is mixed, so nothing here is hard-coded
 * beyond the defaults.
 */

export const TIERS = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type Tier = (typeof TIERS)[number];
export const MODES = ['always', 'default_on', 'default_off'] as const;
export type Mode = (typeof MODES)[number];
export const PROTECTIONS = ['blur', 'greyscale', 'mute'] as const;
export type Protection = (typeof PROTECTIONS)[number];

export interface TierLimits {
  blur: Mode;
  greyscale: Mode;
  mute: Mode;
  warningScreen: boolean;
}
export type WellbeingLimits = Record<Tier, TierLimits>;

/** A person's choices per tier; an absent choice follows the default. */
export type WellbeingPreferences = Partial<Record<Tier, Partial<Record<Protection, boolean>>>>;

export interface EffectiveDisplay {
  tier: Tier;
  blur: boolean;
  greyscale: boolean;
  mute: boolean;
  warningScreen: boolean;
  /** Which protections the person may switch for this tier (not 'always'). */
  adjustable: Protection[];
}

export const DEFAULT_LIMITS: WellbeingLimits = {
  critical: { blur: 'always', greyscale: 'always', mute: 'always', warningScreen: true },
  high: { blur: 'default_on', greyscale: 'default_on', mute: 'always', warningScreen: true },
  medium: { blur: 'default_on', greyscale: 'default_off', mute: 'default_on', warningScreen: false },
  low: { blur: 'default_off', greyscale: 'default_off', mute: 'default_on', warningScreen: false },
  none: { blur: 'default_off', greyscale: 'default_off', mute: 'default_off', warningScreen: false },
};

export function tierOf(severity: string | null | undefined): Tier {
  return (TIERS as readonly string[]).includes(severity ?? '') ? (severity as Tier) : 'none';
}

export function effectiveDisplay(limits: WellbeingLimits, preferences: WellbeingPreferences, severity: string | null | undefined): EffectiveDisplay {
  const tier = tierOf(severity);
  const rule = limits[tier] ?? DEFAULT_LIMITS[tier];
  const chosen = preferences[tier] ?? {};
  const pick = (p: Protection) => (rule[p] === 'always' ? true : (chosen[p] ?? rule[p] === 'default_on'));
  return {
    tier,
    blur: pick('blur'),
    greyscale: pick('greyscale'),
    mute: pick('mute'),
    warningScreen: rule.warningScreen,
    adjustable: PROTECTIONS.filter((p) => rule[p] !== 'always'),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks limits sent by an administrator: every tier, every protection. */
export function checkLimits(input: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isObject(input)) return [{ path: '', message: 'Limits per severity tier.' }];
  for (const key of Object.keys(input)) if (!(TIERS as readonly string[]).includes(key)) issues.push({ path: `/${key}`, message: `Not a severity tier (${TIERS.join(', ')}).` });
  for (const tier of TIERS) {
    const rule = input[tier];
    if (!isObject(rule)) {
      issues.push({ path: `/${tier}`, message: 'Set blur, greyscale, mute and warningScreen for this tier.' });
      continue;
    }
    for (const p of PROTECTIONS) {
      if (!(MODES as readonly unknown[]).includes(rule[p])) issues.push({ path: `/${tier}/${p}`, message: `One of ${MODES.join(', ')}.` });
    }
    if (typeof rule.warningScreen !== 'boolean') issues.push({ path: `/${tier}/warningScreen`, message: 'True or false.' });
    for (const key of Object.keys(rule)) {
      if (![...PROTECTIONS, 'warningScreen'].includes(key)) issues.push({ path: `/${tier}/${key}`, message: 'Unknown setting.' });
    }
  }
  return issues;
}

/** Checks a person's preferences against the limits: a protection set to 'always' cannot be turned off. */
export function checkPreferences(limits: WellbeingLimits, input: unknown): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isObject(input)) return [{ path: '', message: 'Preferences per severity tier.' }];
  for (const [tier, choices] of Object.entries(input)) {
    if (!(TIERS as readonly string[]).includes(tier)) {
      issues.push({ path: `/${tier}`, message: `Not a severity tier (${TIERS.join(', ')}).` });
      continue;
    }
    if (!isObject(choices)) {
      issues.push({ path: `/${tier}`, message: 'Choices for blur, greyscale and mute.' });
      continue;
    }
    for (const [p, value] of Object.entries(choices)) {
      const path = `/${tier}/${p}`;
      if (!(PROTECTIONS as readonly string[]).includes(p)) issues.push({ path, message: `Not a protection (${PROTECTIONS.join(', ')}).` });
      else if (typeof value !== 'boolean') issues.push({ path, message: 'True or false.' });
      else if (value === false && limits[tier as Tier][p as Protection] === 'always') {
        issues.push({ path, message: `Your organisation keeps ${p} on for ${tier}-severity content; it cannot be turned off.` });
      }
    }
  }
  return issues;
}

/** Stored limits merged over the defaults, so a tier added later still has a rule. */
export function limitsOrDefault(stored: unknown): WellbeingLimits {
  if (!isObject(stored) || checkLimits(stored).length > 0) return DEFAULT_LIMITS;
  return stored as unknown as WellbeingLimits;
}
