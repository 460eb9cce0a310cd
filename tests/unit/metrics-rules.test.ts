import { describe, expect, it } from 'vitest';
import { AppError, Issues } from '../../src/domain/errors.ts';
import { addDays, daysBetween, isIsoDay, periodEnd, periodsBetween, periodStart } from '../../src/domain/metrics/metric-periods.rules.ts';
import { parseFilters, parseMetricsQuery, parseRange, periodRange } from '../../src/domain/metrics/metric-query.rules.ts';
import { parseDrillDownQuery } from '../../src/domain/metrics/metric-drill-down.rules.ts';
import {
  betweenGroupVariance,
  csvField,
  metricsCsv,
  shrinkageSe,
  shrinkToward,
  versusOverall,
} from '../../src/domain/metrics/metric-presentation.rules.ts';
import type { MetricDimension, MetricsResponse } from '../../src/domain/metrics/metrics.types.ts';
import { errorTable, labelTable, productionTable, reviewTable } from '../../src/domain/metrics/metrics.service.ts';
import { systemActor, type Actor } from '../../src/domain/access/actor.ts';

const V1 = '11111111-1111-4111-8111-111111111111';
const V2 = '22222222-2222-4222-8222-222222222222';

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('periods', () => {
  it('weeks start on Monday, months on the 1st, named by their first day', () => {
    expect(periodStart('2026-11-25', 'week')).toBe('2026-11-23'); // a Wednesday
    expect(periodStart('2026-11-23', 'week')).toBe('2026-11-23'); // Monday itself
    expect(periodStart('2026-11-29', 'week')).toBe('2026-11-23'); // Sunday belongs to the week before
    expect(periodStart('2027-01-01', 'week')).toBe('2026-12-28'); // across a year
    expect(periodStart('2026-11-25', 'month')).toBe('2026-11-01');
    expect(periodStart('2026-11-25', 'day')).toBe('2026-11-25');
    expect(periodEnd('2026-11-23', 'week')).toBe('2026-11-29');
    expect(periodEnd('2028-02-01', 'month')).toBe('2028-02-29');
    expect(periodEnd('2026-12-01', 'month')).toBe('2026-12-31');
    expect(periodsBetween('2026-11-25', '2026-12-08', 'week')).toEqual(['2026-11-23', '2026-11-30', '2026-12-07']);
    expect(periodsBetween('2026-11-25', '2027-01-01', 'month')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01']);
  });

  it('knows real calendar days and counts between them', () => {
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2026-13-01')).toBe(false);
    expect(isIsoDay('2026-1-01')).toBe(false);
    expect(addDays('2026-11-25', -89)).toBe('2026-08-28');
    expect(daysBetween('2026-08-28', '2026-11-25')).toBe(89);
  });

  it('a period for the drill-down must start a period of its grain', () => {
    const issues = new Issues();
    expect(periodRange('2026-11-23', 'week', issues)).toEqual({ from: '2026-11-23', to: '2026-11-29' });
    expect(periodRange('2026-11-24', 'week', issues)).toBeNull();
    expect(periodRange('2026-11-01', 'month', issues)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(issues.any).toBe(true);
  });
});

describe('filters and ranges', () => {
  it('parses dimension:value lists; a repeated dimension is OR, different ones AND', () => {
    const issues = new Issues();
    const filters = parseFilters(`vendor:${V1},severity:none,vendor:${V2.toUpperCase()},label:hate.slur,vendor:${V1},tenure_band:nesting`, issues);
    expect(issues.any).toBe(false);
    expect(filters).toEqual([
      { dimension: 'vendor', values: [V1, V2], position: 0 },
      { dimension: 'severity', values: [''], position: 1 },
      { dimension: 'label', values: ['hate.slur'], position: 3 },
      { dimension: 'tenure_band', values: ['nesting'], position: 5 },
    ]);
    expect(parseFilters(undefined, issues)).toEqual([]);
    expect(parseFilters('', issues)).toEqual([]);
  });

  it('names each bad filter item by its position', () => {
    const error = failure(() => parseMetricsQuery({ measure: 'accuracy', filter: `vendor:${V1},vendor:42,colour:red,label:Hate Speech,severity:grave,team` }, '2026-11-25'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toEqual(['/filter/1', '/filter/2', '/filter/3', '/filter/4', '/filter/5']);
  });

  it('defaults to the 90 days ending today and refuses reversed, impossible or over-long ranges', () => {
    const issues = new Issues();
    expect(parseRange({}, '2026-11-25', issues)).toEqual({ from: '2026-08-28', to: '2026-11-25' });
    expect(parseRange({ to: '2026-10-31' }, '2026-11-25', issues)).toEqual({ from: '2026-08-03', to: '2026-10-31' });
    expect(issues.any).toBe(false);
    const paths = (raw: { from?: string; to?: string }) => {
      const i = new Issues();
      parseRange(raw, '2026-11-25', i);
      return failure(() => i.throwIfAny()).details.map((d) => d.path);
    };
    expect(paths({ from: '2026-11-26', to: '2026-11-25' })).toEqual(['/from']);
    expect(paths({ from: '2025-10-01', to: '2026-11-25' })).toEqual(['/from']);
    expect(paths({ from: 'yesterday', to: '2026-02-30' })).toEqual(['/from', '/to']);
    const full = new Issues();
    parseRange({ from: '2025-10-22', to: '2026-11-25' }, '2026-11-25', full); // exactly 400 days
    expect(full.any).toBe(false);
  });
});

describe('the metrics query', () => {
  it('reads a full query with its defaults', () => {
    expect(parseMetricsQuery({ measure: 'precision', by: 'vendor, label', filter: `workflow:${V1}`, grain: 'week' }, '2026-11-25')).toEqual({
      measure: 'precision',
      by: ['vendor', 'label'],
      filters: [{ dimension: 'workflow', values: [V1], position: 0 }],
      from: '2026-08-28',
      to: '2026-11-25',
      grain: 'week',
      confidence: 0.95,
      minN: 30,
      format: 'json',
    });
  });

  it('reports every syntax problem at once (422)', () => {
    const error = failure(() => parseMetricsQuery({ measure: 'speed', by: 'vendor,vendor,colour', grain: 'year', confidence: 1.5, minN: -1, format: 'xml' }, '2026-11-25'));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.map((d) => d.path)).toEqual(['/measure', '/by', '/by/1', '/by/2', '/grain', '/confidence', '/minN', '/format']);
    expect(failure(() => parseMetricsQuery({}, '2026-11-25')).details.map((d) => d.path)).toEqual(['/measure']);
  });

  it('refuses a measure by a dimension it cannot be sliced by (400, naming both)', () => {
    const label = failure(() => parseMetricsQuery({ measure: 'accuracy', by: 'label' }, '2026-11-25'));
    expect(label.code).toBe('BAD_REQUEST');
    expect(label.message).toContain('accuracy');
    expect(label.message).toContain('label');
    expect(label.details).toEqual([{ path: '/by/0', message: label.message }]);
    const policy = failure(() => parseMetricsQuery({ measure: 'qa_score', filter: `policy:${V1}` }, '2026-11-25'));
    expect(policy.details[0]!.path).toBe('/filter/0');
    const aht = failure(() => parseMetricsQuery({ measure: 'volume', by: 'vendor,reviewer' }, '2026-11-25'));
    expect(aht.details[0]!.path).toBe('/by/1');
    expect(() => parseMetricsQuery({ measure: 'aht', by: 'label', filter: `vendor:${V1}` }, '2026-11-25')).not.toThrow();
    expect(() => parseMetricsQuery({ measure: 'recall', by: 'policy,severity' }, '2026-11-25')).not.toThrow();
  });

  it('drill-down: the measure decides the denominator, failing the numerator against it', () => {
    expect(parseDrillDownQuery({ measure: 'accuracy', outcome: 'failing', period: '2026-11-23', grain: 'week' }, '2026-11-25')).toMatchObject({
      from: '2026-11-23',
      to: '2026-11-29',
      conditions: ['incorrect'],
      perLabel: false,
    });
    expect(parseDrillDownQuery({ measure: 'precision', filter: 'label:hate.slur', outcome: 'failing' }, '2026-11-25')).toMatchObject({
      conditions: ['agent_positive', 'false_positive'],
      perLabel: true,
    });
    expect(parseDrillDownQuery({ measure: 'overturn_rate', period: '2026-11-01', grain: 'month', from: '2026-11-10' }, '2026-11-25')).toMatchObject({
      from: '2026-11-10',
      to: '2026-11-30',
      conditions: ['disputed'],
    });
    expect(failure(() => parseDrillDownQuery({ outcome: 'failing' }, '2026-11-25')).details[0]!.path).toBe('/outcome');
    expect(failure(() => parseDrillDownQuery({ measure: 'volume' }, '2026-11-25')).details[0]!.path).toBe('/measure');
  });
});

describe('shrinkage and comparison with the overall', () => {
  it('estimates the between-group variance by DerSimonian-Laird', () => {
    // Two groups with se 1 at 0 and 4: Q = 8, k - 1 = 1, c = 2 - 2/2 = 1, tau^2 = 7.
    expect(betweenGroupVariance([{ value: 0, se: 1 }, { value: 4, se: 1 }])).toBeCloseTo(7, 12);
    // Groups closer than their noise: tau^2 = 0.
    expect(betweenGroupVariance([{ value: 0.5, se: 1 }, { value: 0.6, se: 1 }, { value: 0.4, se: 1 }])).toBe(0);
    expect(betweenGroupVariance([{ value: 0.5, se: 0.1 }])).toBeNull();
    expect(betweenGroupVariance([{ value: 0.5, se: null }, { value: null, se: 0.1 }, { value: 0.2, se: 0 }])).toBeNull();
  });

  it('shrinks noisy groups toward the overall, precise ones barely', () => {
    const groups = [{ value: 0, se: 1 }, { value: 4, se: 1 }, { value: 10, se: 0.01 }, { value: 3, se: null }, { value: null, se: null }];
    const tau2 = betweenGroupVariance(groups)!;
    const shrunk = shrinkToward(groups, 2);
    expect(shrunk[0]).toBeCloseTo(2 + (tau2 / (tau2 + 1)) * (0 - 2), 12);
    expect(shrunk[1]).toBeCloseTo(2 + (tau2 / (tau2 + 1)) * (4 - 2), 12);
    expect(Math.abs(shrunk[2]! - 10)).toBeLessThan(1e-4);
    expect(shrunk[3]).toBe(3); // a census figure keeps its value
    expect(shrunk[4]).toBeNull();
    // No heterogeneity beyond noise: everyone moves to the overall.
    expect(shrinkToward([{ value: 0.5, se: 1 }, { value: 0.6, se: 1 }, { value: 0.4, se: 1 }], 0.55)).toEqual([0.55, 0.55, 0.55]);
    // One group: nothing to learn tau from, nothing shrunk.
    expect(shrinkToward([{ value: 0.9, se: 0.1 }], 0.5)).toEqual([0.9]);
  });

  it('uses the interval for the shrinkage se of a proportion at 0 or 1', () => {
    expect(shrinkageSe({ value: 1, lower: 0.8, upper: 1, se: 0, n: 10, N: 10, sampleValue: 1, effectiveN: 10, scoreN: 10 }, 0.95)).toBeCloseTo(0.2 / (2 * 1.959963984540054), 9);
    expect(shrinkageSe({ value: 5, lower: 5, upper: 5, se: null, n: 10, N: 10, sampleValue: null, effectiveN: null, scoreN: null }, 0.95)).toBeNull();
  });

  it('is above or below only when the interval excludes the overall, never with too few', () => {
    expect(versusOverall({ lower: 0.91, upper: 0.95, tooFew: false }, 0.9)).toBe('above');
    expect(versusOverall({ lower: 0.8, upper: 0.89, tooFew: false }, 0.9)).toBe('below');
    expect(versusOverall({ lower: 0.85, upper: 0.95, tooFew: false }, 0.9)).toBe('within');
    expect(versusOverall({ lower: 0.9, upper: 0.95, tooFew: false }, 0.9)).toBe('within');
    expect(versusOverall({ lower: 0.95, upper: 0.99, tooFew: true }, 0.9)).toBe('within');
    expect(versusOverall({ lower: null, upper: null, tooFew: false }, 0.9)).toBe('within');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas', () => {
    expect(csvField('Northstar BPO')).toBe('Northstar BPO');
    expect(csvField('North, "Star"')).toBe('"North, ""Star"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('-1')).toBe("'-1");
    expect(csvField(-0.5)).toBe('-0.5');
    expect(csvField(null)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('writes one line per group with keys and names', () => {
    const estimate = { value: 0.9, lower: 0.8, upper: 0.95, se: 0.03, n: 40, N: 400.5, tooFew: false, sampleValue: 0.85 };
    const response: MetricsResponse = {
      measure: 'accuracy', title: 'Accuracy (weighted)', kind: 'proportion', by: ['vendor'], grain: 'week', from: '2026-11-01', to: '2026-11-30',
      confidence: 0.95, minN: 30, overall: estimate,
      groups: [{ key: { vendor: V1 }, names: { vendor: 'A, B' }, period: '2026-11-02', ...estimate, shrunk: 0.91, versusOverall: 'within', pValue: 0.74, qValue: 0.81, credibleVersusOverall: 'within' }],
    };
    expect(metricsCsv(response)).toBe(
      'period,vendor,vendor_name,value,lower,upper,se,n,N,too_few,sample_value,shrunk,versus_overall,p_value,q_value,credible_versus_overall\r\n' +
        `2026-11-02,${V1},"A, B",0.9,0.8,0.95,0.03,40,400.5,false,0.85,0.91,within,0.74,0.81,within\r\n`,
    );
  });
});

describe('which rollup answers', () => {
  const actor = (kind: Actor['scope']['kind']): Actor => ({ ...systemActor(), scope: { kind, vendorId: null, siteId: null, teamId: null, personId: null } });
  const q = (by: MetricDimension[], filters: MetricDimension[] = []) => ({ by, filters: filters.map((dimension, position) => ({ dimension, values: ['x'], position })) });

  it('uses the vendor cuboids for vendor and workflow slices, for viewers who see whole vendors', () => {
    expect(reviewTable(q(['vendor']), actor('all'))).toBe('quality_rollup_vendor');
    expect(reviewTable(q([], ['workflow', 'vendor']), actor('vendor'))).toBe('quality_rollup_vendor');
    expect(labelTable(q(['vendor', 'label']), actor('all'))).toBe('quality_label_rollup_vendor');
    expect(productionTable(q(['policy']), actor('vendor'))).toBe('production_vendor_daily');
    expect(errorTable(q([], ['vendor']), actor('vendor'))).toBe('quality_error_rollup_vendor');
    expect(errorTable(q([], ['team']), actor('all'))).toBe('quality_error_rollup');
    expect(errorTable(q([]), actor('site'))).toBe('quality_error_rollup');
  });

  it('falls back to finer tables for finer slices and for site, team and self scopes', () => {
    expect(reviewTable(q(['vendor']), actor('site'))).toBe('quality_rollup_team');
    expect(reviewTable(q(['site']), actor('all'))).toBe('quality_rollup_team');
    // The agent cuboid (migration 0009) for the organisation down to the agent; the finest table beyond.
    expect(reviewTable(q(['vendor'], ['agent']), actor('all'))).toBe('quality_rollup_agent');
    expect(reviewTable(q(['agent']), actor('team'))).toBe('quality_rollup_agent');
    expect(reviewTable(q([]), actor('self'))).toBe('quality_rollup_agent');
    expect(reviewTable(q(['agent'], ['severity']), actor('all'))).toBe('quality_rollup');
    expect(reviewTable(q(['reviewer']), actor('vendor'))).toBe('quality_rollup');
    expect(labelTable(q(['label'], ['team']), actor('all'))).toBe('quality_label_rollup');
    expect(productionTable(q(['agent']), actor('all'))).toBe('production_daily');
  });
});
