import { zForConfidence } from '../stats/distributions.ts';
import { benjaminiHochberg, scoreTestP, waldTestP } from '../stats/multiplicity.ts';
import type { Estimate, Estimated } from './metric-estimates.rules.ts';
import { FIXED_NAMES, MEASURES } from './metric-catalogue.rules.ts';
import type { MetricQuery } from './metric-query.rules.ts';
import type { MetricDimension, MetricEstimate, MetricGroup, MetricsResponse, VersusOverall } from './metrics.types.ts';

/**
 * Estimates as the API shows them: groups keyed and named, shrunk toward the
 * overall, compared with it, sorted; and the same groups as CSV. Pure.
 */

export interface Shrinkable {
  value: number | null;
  /** The group's standard error for shrinkage; null = no sampling error (a census), no shrinkage. */
  se: number | null;
}

/**
 * Between-group variance tau^2 by the DerSimonian-Laird moment estimator over the groups with a value
 * and a positive se: with w_i = 1 / se_i^2, ybar = sum w y / sum w, Q = sum w (y - ybar)^2,
 * tau^2 = max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w)). Null when fewer than two groups qualify.
 */
export function betweenGroupVariance(groups: readonly Shrinkable[]): number | null {
  const usable = groups.filter((g): g is { value: number; se: number } => g.value !== null && g.se !== null && g.se > 0);
  if (usable.length < 2) return null;
  const w = usable.map((g) => 1 / (g.se * g.se));
  const sumW = w.reduce((a, b) => a + b, 0);
  const mean = usable.reduce((a, g, i) => a + w[i]! * g.value, 0) / sumW;
  const q = usable.reduce((a, g, i) => a + w[i]! * (g.value - mean) ** 2, 0);
  const c = sumW - w.reduce((a, b) => a + b * b, 0) / sumW;
  return c > 0 ? Math.max(0, (q - (usable.length - 1)) / c) : null;
}

/**
 * Empirical Bayes shrinkage toward `target` (the overall value): shrunk = target + B (value - target)
 * with B = tau^2 / (tau^2 + se^2), so a group measured precisely keeps its value and a noisy one moves
 * toward the overall. A group without se (census) or without a value keeps its value; when tau^2 cannot
 * be estimated (fewer than two groups) nothing is shrunk.
 */
export function shrinkToward(groups: readonly Shrinkable[], target: number | null): Array<number | null> {
  const tau2 = betweenGroupVariance(groups);
  return groups.map((g) => {
    if (g.value === null || g.se === null || target === null || tau2 === null) return g.value;
    if (g.se === 0) return g.value;
    return target + (tau2 / (tau2 + g.se * g.se)) * (g.value - target);
  });
}

/** Above / below when the group's interval excludes the overall value; a group with too few reviews is always within. */
export function versusOverall(group: { lower: number | null; upper: number | null; tooFew: boolean }, overall: number | null): VersusOverall {
  if (group.tooFew || overall === null || group.lower === null || group.upper === null) return 'within';
  if (group.lower > overall) return 'above';
  if (group.upper < overall) return 'below';
  return 'within';
}

/**
 * Two-sided p-value of value = overall by the test the group's interval inverts: the score test on the
 * interval's sample size for a Wilson interval, else Wald with its se. So p < 1 - confidence exactly when
 * the interval excludes the overall (versusOverall). Null when not compared: too few reviews, no value,
 * or no sampling error (census measures).
 */
export function pValueVersusOverall(e: Estimate, overall: number | null, tooFew: boolean): number | null {
  if (tooFew || e.value === null || overall === null) return null;
  if (e.scoreN !== null) return scoreTestP(e.value, overall, e.scoreN);
  if (e.se !== null) return waldTestP(e.value, overall, e.se);
  return null;
}

/**
 * The marks a table can show without flagging noise: each group's comparison with the overall, adjusted
 * for all the groups compared (Benjamini-Hochberg at q = 1 - confidence). A group is marked when its
 * adjusted p-value is within q, on the side its value lies.
 */
export function credibleMarks(
  groups: ReadonlyArray<{ value: number | null; pValue: number | null }>,
  overall: number | null,
  confidence: number,
): Array<{ qValue: number | null; mark: VersusOverall }> {
  const q = benjaminiHochberg(groups.map((g) => g.pValue));
  return groups.map((g, i) => {
    const qValue = q[i] ?? null;
    const marked = qValue !== null && qValue <= 1 - confidence && g.value !== null && overall !== null && g.value !== overall;
    return { qValue, mark: marked ? (g.value! > overall! ? 'above' : 'below') : 'within' };
  });
}

/**
 * The standard error used for shrinkage: for a proportion, at least the one implied by its interval,
 * so a group at 0 or 1 (linearised se 0) is still shrunk according to its sample size.
 */
export function shrinkageSe(e: Estimate, confidence: number): number | null {
  if (e.se === null || e.value === null) return null;
  if (e.lower === null || e.upper === null) return e.se;
  return Math.max(e.se, (e.upper - e.lower) / (2 * zForConfidence(confidence)));
}

function publicEstimate(e: Estimate, minN: number): MetricEstimate {
  return { value: e.value, lower: e.lower, upper: e.upper, se: e.se, n: e.n, N: e.N, tooFew: e.n < minN, sampleValue: e.sampleValue };
}

/** dimension -> id -> name (null: outside the viewer's scope). */
export type NameBook = ReadonlyMap<MetricDimension, ReadonlyMap<string, string>>;

export function nameOf(names: NameBook, dimension: MetricDimension, key: string): string | null {
  const fixed = FIXED_NAMES[dimension];
  if (fixed) return fixed[key] ?? key;
  if (dimension === 'team' && key === '') return 'No team';
  if (dimension === 'label' && key === '') return 'No violation';
  return names.get(dimension)?.get(key) ?? null;
}

export function buildMetricsResponse(query: MetricQuery, estimated: Estimated, names: NameBook): MetricsResponse {
  const definition = MEASURES[query.measure];
  const overall = publicEstimate(estimated.overall, query.minN);
  const shrunk = shrinkToward(
    estimated.groups.map((g) => ({ value: g.estimate.value, se: shrinkageSe(g.estimate, query.confidence) })),
    overall.value,
  );
  const tested = estimated.groups.map((g) => ({ value: g.estimate.value, pValue: pValueVersusOverall(g.estimate, overall.value, g.estimate.n < query.minN) }));
  const marks = credibleMarks(tested, overall.value, query.confidence);
  const groups: MetricGroup[] = estimated.groups.map((g, i) => {
    const key: MetricGroup['key'] = {};
    const groupNames: MetricGroup['names'] = {};
    query.by.forEach((dimension, d) => {
      const value = (d === 0 ? g.g0 : g.g1) ?? '';
      key[dimension] = value;
      groupNames[dimension] = nameOf(names, dimension, value);
    });
    const estimate = publicEstimate(g.estimate, query.minN);
    return {
      key, names: groupNames, period: g.period, ...estimate, shrunk: shrunk[i]!, versusOverall: versusOverall(estimate, overall.value),
      pValue: tested[i]!.pValue, qValue: marks[i]!.qValue, credibleVersusOverall: marks[i]!.mark,
    };
  });
  groups.sort((a, b) => compareGroups(a, b, query.by));
  return {
    measure: query.measure,
    title: definition.title,
    kind: definition.kind,
    by: query.by,
    grain: query.grain,
    from: query.from,
    to: query.to,
    confidence: query.confidence,
    minN: query.minN,
    overall,
    groups,
  };
}

/** By period, then by the names of the by-dimensions (ids when unnamed). */
export function compareGroups(a: MetricGroup, b: MetricGroup, by: readonly MetricDimension[]): number {
  const period = (a.period ?? '').localeCompare(b.period ?? '');
  if (period !== 0) return period;
  for (const d of by) {
    const x = a.names[d] ?? a.key[d] ?? '';
    const y = b.names[d] ?? b.key[d] ?? '';
    const c = x.localeCompare(y) || (a.key[d] ?? '').localeCompare(b.key[d] ?? '');
    if (c !== 0) return c;
  }
  return 0;
}

/* ---------- CSV ---------- */

/** A CSV field: quoted when needed; text a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export type CsvValue = Parameters<typeof csvField>[0];

/** A header line and one line per row, CRLF-terminated (RFC 4180). */
export function csvTable(header: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return [header.join(','), ...rows.map((row) => row.map(csvField).join(','))].join('\r\n') + '\r\n';
}

/** One line per group: period, each dimension's key and name, then the figures. */
export function metricsCsv(response: MetricsResponse): string {
  const header = ['period', ...response.by.flatMap((d) => [d, `${d}_name`]), 'value', 'lower', 'upper', 'se', 'n', 'N', 'too_few', 'sample_value', 'shrunk', 'versus_overall', 'p_value', 'q_value', 'credible_versus_overall'];
  return csvTable(
    header,
    response.groups.map((g) => [
      g.period,
      ...response.by.flatMap((d) => [g.key[d] ?? '', g.names[d] ?? null]),
      g.value, g.lower, g.upper, g.se, g.n, g.N, g.tooFew, g.sampleValue, g.shrunk, g.versusOverall, g.pValue, g.qValue, g.credibleVersusOverall,
    ]),
  );
}

/** The download's file name: metrics-<measure>[-by-<dims>]-<from>-<to>.csv */
export function csvFileName(query: MetricQuery): string {
  const by = query.by.length > 0 ? `-by-${query.by.join('-')}` : '';
  const grain = query.grain ? `-${query.grain}` : '';
  return `metrics-${query.measure}${by}${grain}-${query.from}-${query.to}.csv`;
}
