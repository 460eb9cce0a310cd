import { describe, expect, it } from 'vitest';
import { checkLimits, checkPreferences, DEFAULT_LIMITS, effectiveDisplay, limitsOrDefault, tierOf, type WellbeingLimits } from '../../src/domain/wellbeing/wellbeing.rules.ts';

describe('effectiveDisplay', () => {
  it("'always' wins over any preference; defaults apply when a person chose nothing", () => {
    expect(effectiveDisplay(DEFAULT_LIMITS, { critical: { blur: false } }, 'critical')).toMatchObject({ tier: 'critical', blur: true, greyscale: true, mute: true, warningScreen: true, adjustable: [] });
    expect(effectiveDisplay(DEFAULT_LIMITS, {}, 'medium')).toMatchObject({ blur: true, greyscale: false, mute: true, warningScreen: false });
    expect(effectiveDisplay(DEFAULT_LIMITS, { medium: { blur: false, greyscale: true } }, 'medium')).toMatchObject({ blur: false, greyscale: true, adjustable: ['blur', 'greyscale', 'mute'] });
  });

  it('an unknown or missing severity is the "none" tier', () => {
    expect(tierOf(null)).toBe('none');
    expect(tierOf('extreme')).toBe('none');
    expect(effectiveDisplay(DEFAULT_LIMITS, { none: { blur: true } }, undefined)).toMatchObject({ tier: 'none', blur: true, greyscale: false });
  });
});

describe('checking limits and preferences', () => {
  it('limits need every tier and protection', () => {
    expect(checkLimits(DEFAULT_LIMITS)).toEqual([]);
    const broken = { ...DEFAULT_LIMITS, high: { ...DEFAULT_LIMITS.high, blur: 'sometimes' }, extreme: {} };
    expect(checkLimits(broken).map((i) => i.path)).toEqual(['/extreme', '/high/blur']);
    expect(limitsOrDefault(broken)).toBe(DEFAULT_LIMITS);
  });

  it('a preference may not turn off what the organisation keeps on', () => {
    const limits: WellbeingLimits = { ...DEFAULT_LIMITS, low: { blur: 'always', greyscale: 'default_off', mute: 'default_off', warningScreen: false } };
    expect(checkPreferences(limits, { low: { blur: true, greyscale: true } })).toEqual([]);
    expect(checkPreferences(limits, { low: { blur: false }, high: { mute: false, sparkle: true }, cosmic: {} }).map((i) => i.path)).toEqual(['/low/blur', '/high/mute', '/high/sparkle', '/cosmic']);
  });
});
