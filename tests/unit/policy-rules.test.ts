import { describe, expect, it } from 'vitest';
import { AppError, Issues } from '../../src/domain/errors.ts';
import {
  checkAllowedActions,
  checkKey,
  checkLabels,
  checkTimeline,
  checkVersionInput,
  LABEL_KEY_PATTERN,
  parseOffsetDateTime,
  versionInForce,
  type LabelInput,
} from '../../src/domain/policy/policy.rules.ts';

/** The field issues an Issues collector would throw, or [] when it holds none. */
function issuesOf(issues: Issues): Array<{ path: string; message: string }> {
  try {
    issues.throwIfAny();
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  }
}

function pathsOf(issues: Issues): string[] {
  return issuesOf(issues).map((issue) => issue.path);
}

const label = (overrides: Partial<LabelInput> = {}): LabelInput => ({
  key: 'hate.slur',
  name: 'Slur',
  severity: 'high',
  ...overrides,
});

describe('versionInForce', () => {
  const v1 = { id: 'v1', effectiveFrom: new Date('2024-01-01T00:00:00Z') };
  const v2 = { id: 'v2', effectiveFrom: new Date('2024-06-01T00:00:00Z') };
  const v3 = { id: 'v3', effectiveFrom: new Date('2025-01-01T00:00:00Z') };
  const versions = [v1, v2, v3];

  it('is null before the first version takes effect', () => {
    expect(versionInForce(versions, new Date('2023-12-31T23:59:59.999Z'))).toBeNull();
  });

  it('is null with no versions at all', () => {
    expect(versionInForce([], new Date('2024-03-01T00:00:00Z'))).toBeNull();
  });

  it('takes effect exactly at effectiveFrom', () => {
    expect(versionInForce(versions, new Date('2024-01-01T00:00:00Z'))).toBe(v1);
    expect(versionInForce(versions, new Date('2024-06-01T00:00:00Z'))).toBe(v2);
  });

  it('keeps the earlier version until the very moment the next takes effect', () => {
    expect(versionInForce(versions, new Date('2024-05-31T23:59:59.999Z'))).toBe(v1);
  });

  it('picks the latest version not after the moment, between versions', () => {
    expect(versionInForce(versions, new Date('2024-09-15T12:00:00Z'))).toBe(v2);
  });

  it('keeps the last version in force after it', () => {
    expect(versionInForce(versions, new Date('2030-01-01T00:00:00Z'))).toBe(v3);
  });

  it('does not depend on the order of the list', () => {
    expect(versionInForce([v3, v1, v2], new Date('2024-09-15T12:00:00Z'))).toBe(v2);
  });

  it('accepts ISO strings as well as dates, comparing moments not text', () => {
    const a = { id: 'a', effectiveFrom: '2024-03-01T08:00:00+08:00' }; // 00:00Z
    const b = { id: 'b', effectiveFrom: '2024-03-01T01:00:00Z' };
    expect(versionInForce([a, b], new Date('2024-03-01T00:30:00Z'))).toBe(a);
    expect(versionInForce([a, b], new Date('2024-03-01T01:00:00Z'))).toBe(b);
  });

  it('is null for an invalid moment', () => {
    expect(versionInForce(versions, new Date('not a date'))).toBeNull();
  });
});

describe('parseOffsetDateTime', () => {
  it('reads UTC and offset times as the same moment', () => {
    expect(parseOffsetDateTime('2025-03-01T00:00:00Z')?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseOffsetDateTime('2025-03-01T08:00:00+08:00')?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseOffsetDateTime('2025-02-28T19:00-05:00')?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseOffsetDateTime('2025-03-01T00:00:00.123456Z')?.toISOString()).toBe('2025-03-01T00:00:00.123Z');
  });

  it('refuses times without an offset, dates alone and impossible dates', () => {
    for (const value of [
      '2025-03-01T00:00:00',
      '2025-03-01',
      '2025-02-30T00:00:00Z',
      '2025-13-01T00:00:00Z',
      '2025-03-01T24:00:00Z',
      '2025-03-01T00:00:60Z',
      '2025-03-01T00:00:00+24:00',
      'yesterday',
      '',
    ]) {
      expect(parseOffsetDateTime(value), value).toBeNull();
    }
  });

  it('accepts 29 February in a leap year only', () => {
    expect(parseOffsetDateTime('2024-02-29T00:00:00Z')).not.toBeNull();
    expect(parseOffsetDateTime('2025-02-29T00:00:00Z')).toBeNull();
  });
});

describe('checkLabels', () => {
  it('accepts well-formed labels and trims them', () => {
    const issues = new Issues();
    const labels = checkLabels(issues, '/labels', [
      label({ key: ' hate.slur ', name: ' Slur ' }),
      label({ key: 'hate', severity: 'critical', description: 'Any hate' }),
    ]);
    expect(pathsOf(issues)).toEqual([]);
    expect(labels).toEqual([
      { key: 'hate.slur', name: 'Slur', severity: 'high', description: '' },
      { key: 'hate', name: 'Slur', severity: 'critical', description: 'Any hate' },
    ]);
  });

  it('needs at least one label', () => {
    const issues = new Issues();
    checkLabels(issues, '/labels', []);
    expect(pathsOf(issues)).toEqual(['/labels']);
  });

  it('reports a repeated key at the repeating row', () => {
    const issues = new Issues();
    checkLabels(issues, '/labels', [label({ key: 'a.b' }), label({ key: 'c' }), label({ key: 'a.b' })]);
    const found = issuesOf(issues);
    expect(found.map((i) => i.path)).toEqual(['/labels/2/key']);
    expect(found[0]!.message).toMatch(/Label 1/);
  });

  it('reports malformed keys, empty names and unknown severities per row', () => {
    const issues = new Issues();
    checkLabels(issues, '/labels', [
      label(),
      label({ key: 'Hate.Slur' }),
      label({ key: 'ok', name: '   ' }),
      label({ key: 'ok2', severity: 'severe' }),
    ]);
    expect(pathsOf(issues)).toEqual(['/labels/1/key', '/labels/2/name', '/labels/3/severity']);
  });

  it.each([
    ['hate', true],
    ['hate.slur', true],
    ['violent_content.graphic.gore', true],
    ['a.1', true],
    ['1hate', false],
    ['hate.', false],
    ['.hate', false],
    ['hate..slur', false],
    ['hate-slur', false],
    ['hate slur', false],
    ['Hate', false],
  ])('label key %s valid: %s', (key, valid) => {
    expect(LABEL_KEY_PATTERN.test(key)).toBe(valid);
  });
});

describe('checkAllowedActions', () => {
  it('needs at least one action and drops repeats', () => {
    const empty = new Issues();
    checkAllowedActions(empty, '/allowedActions', []);
    expect(pathsOf(empty)).toEqual(['/allowedActions']);

    const issues = new Issues();
    expect(checkAllowedActions(issues, '/allowedActions', ['remove', 'warn', 'remove'])).toEqual(['remove', 'warn']);
    expect(pathsOf(issues)).toEqual([]);
  });

  it('reports a malformed key at its index', () => {
    const issues = new Issues();
    checkAllowedActions(issues, '/allowedActions', ['remove', 'Take Down']);
    expect(pathsOf(issues)).toEqual(['/allowedActions/1']);
  });
});

describe('checkVersionInput', () => {
  it('prefixes every path with the base', () => {
    const issues = new Issues();
    const checked = checkVersionInput(issues, '/initialVersion', {
      effectiveFrom: '2025-03-01',
      summary: 'First',
      labels: [label(), label({ severity: 'nope' })],
      allowedActions: [],
    });
    expect(checked.effectiveFrom).toBeNull();
    expect(pathsOf(issues)).toEqual([
      '/initialVersion/effectiveFrom',
      '/initialVersion/labels/1/key',
      '/initialVersion/labels/1/severity',
      '/initialVersion/allowedActions',
    ]);
  });

  it('refuses an implausible year', () => {
    const issues = new Issues();
    checkVersionInput(issues, '', { effectiveFrom: '1899-01-01T00:00:00Z', summary: '', labels: [label()], allowedActions: ['remove'] });
    expect(pathsOf(issues)).toEqual(['/effectiveFrom']);
  });
});

describe('checkTimeline', () => {
  const latest = { version: 3, effectiveFrom: new Date('2025-01-01T00:00:00Z') };

  it('allows the first version at any time', () => {
    const issues = new Issues();
    checkTimeline(issues, '/effectiveFrom', new Date('2020-01-01T00:00:00Z'), null);
    expect(pathsOf(issues)).toEqual([]);
  });

  it('allows a version after the latest', () => {
    const issues = new Issues();
    checkTimeline(issues, '/effectiveFrom', new Date('2025-01-01T00:00:00.001Z'), latest);
    expect(pathsOf(issues)).toEqual([]);
  });

  it('refuses a version at or before the latest', () => {
    for (const at of ['2025-01-01T00:00:00Z', '2024-12-01T00:00:00Z']) {
      const issues = new Issues();
      checkTimeline(issues, '/effectiveFrom', new Date(at), latest);
      const found = issuesOf(issues);
      expect(found.map((i) => i.path)).toEqual(['/effectiveFrom']);
      expect(found[0]!.message).toMatch(/Version 3/);
    }
  });
});

describe('checkKey', () => {
  it.each([
    ['hate_speech', true],
    ['ab', true],
    ['a', false],
    ['Hate', false],
    ['9lives', false],
    ['a'.repeat(50), false],
  ])('%s valid: %s', (key, valid) => {
    const issues = new Issues();
    checkKey(issues, '/key', key);
    expect(issues.any).toBe(!valid);
  });
});
