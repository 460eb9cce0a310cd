/**
 * Statistical process control for error rates: a p-chart with varying subgroup sizes and the
 * Western Electric / Nelson run rules on the standardised chart. Pure.
 */

/** One period (day, week...) of QA: x errors found among n reviewed decisions. */
export interface PeriodCount {
  /** Errors in the period: integer 0 <= x <= n. */
  x: number;
  /** Reviewed decisions in the period: integer n >= 1. */
  n: number;
}

/** Rule numbers as used in Assay (Western Electric zone rules, then Nelson's trend rule); Nelson's own numbering differs. */
export type ControlRule = 1 | 2 | 3 | 4 | 5;

/** Human-readable description of each rule. */
export const CONTROL_RULES: Readonly<Record<ControlRule, string>> = {
  1: 'point beyond 3 sigma',
  2: '2 of 3 consecutive points beyond 2 sigma on the same side',
  3: '4 of 5 consecutive points beyond 1 sigma on the same side',
  4: '8 consecutive points on the same side of the centre line',
  5: '6 consecutive points steadily increasing or decreasing',
};

export interface PChartPoint {
  index: number;
  x: number;
  n: number;
  /** Period rate p_i = x_i / n_i. */
  p: number;
  /** sigma_i = sqrt(p-bar (1 - p-bar) / n_i). */
  sigma: number;
  /** Standardised z_i = (p_i - p-bar) / sigma_i; null when sigma_i = 0. */
  z: number | null;
  /** Control limits p-bar -+ 3 sigma_i, clipped to [0, 1]. */
  lcl: number;
  ucl: number;
  /** Zone boundaries p-bar -+ 1 sigma_i and -+ 2 sigma_i, clipped to [0, 1]. */
  lower1: number;
  upper1: number;
  lower2: number;
  upper2: number;
  /** Rules that fired at this point (ascending); empty when none. */
  rules: ControlRule[];
}

export interface PChartResult {
  /** Centre line p-bar = sum x / sum n; null when there are no periods. */
  centre: number | null;
  /** Total reviewed decisions sum n and total errors sum x. */
  totalN: number;
  totalX: number;
  points: PChartPoint[];
  /** Indexes of points where at least one rule fired. */
  signals: number[];
  /** Why there can be no signals (no periods, or p-bar in {0, 1} so sigma = 0); undefined otherwise. */
  reason?: string;
}

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/**
 * p-chart for an error rate per period with varying n, plus run rules.
 *
 * Formulas: p-bar = sum_i x_i / sum_i n_i; sigma_i = sqrt(p-bar (1 - p-bar) / n_i);
 * limits p-bar -+ 3 sigma_i and zones p-bar -+ 1 sigma_i, -+ 2 sigma_i, all clipped to [0, 1];
 * z_i = (p_i - p-bar) / sigma_i. The rules are evaluated on z (so varying n is handled) and a rule is
 * reported at the point that completes its pattern:
 * - rule 1: |z_i| > 3.
 * - rule 2: z_i beyond 2 on side s (z > 2 or z < -2) and at least 2 of z_{i-2..i} beyond 2 on side s (i >= 2).
 * - rule 3: z_i beyond 1 on side s and at least 4 of z_{i-4..i} beyond 1 on side s (i >= 4).
 * - rule 4: z_{i-7..i} all > 0 or all < 0 (fires at the 8th point of a run and at every later point of it).
 * - rule 5: z_{i-5} < ... < z_i or z_{i-5} > ... > z_i (6 points, 5 strict steps; a tie breaks the run).
 * Range: 0 <= lcl <= p-bar <= ucl <= 1. "Beyond" is strict, so a point exactly on a boundary is inside.
 * Empty input: centre null, no points, reason. p-bar = 0 or 1: sigma = 0, limits collapse to p-bar,
 * z null, no rule can fire, reason. Validation: integers n >= 1 and 0 <= x <= n, else RangeError naming the index.
 */
export function pChart(periods: readonly PeriodCount[]): PChartResult {
  periods.forEach((c, i) => {
    if (!(Number.isInteger(c.n) && c.n >= 1)) throw new RangeError(`periods[${i}].n must be an integer >= 1, got ${c.n}`);
    if (!(Number.isInteger(c.x) && c.x >= 0 && c.x <= c.n)) {
      throw new RangeError(`periods[${i}].x must be an integer in [0, n], got ${c.x}`);
    }
  });
  const totalN = periods.reduce((s, c) => s + c.n, 0);
  const totalX = periods.reduce((s, c) => s + c.x, 0);
  if (periods.length === 0) {
    return { centre: null, totalN: 0, totalX: 0, points: [], signals: [], reason: 'no periods' };
  }
  const centre = totalX / totalN;
  const points: PChartPoint[] = periods.map((c, index) => {
    const sigma = Math.sqrt((centre * (1 - centre)) / c.n);
    const p = c.x / c.n;
    return {
      index,
      x: c.x,
      n: c.n,
      p,
      sigma,
      z: sigma > 0 ? (p - centre) / sigma : null,
      lcl: clamp01(centre - 3 * sigma),
      ucl: clamp01(centre + 3 * sigma),
      lower1: clamp01(centre - sigma),
      upper1: clamp01(centre + sigma),
      lower2: clamp01(centre - 2 * sigma),
      upper2: clamp01(centre + 2 * sigma),
      rules: [],
    };
  });
  if (centre === 0 || centre === 1) {
    return {
      centre,
      totalN,
      totalX,
      points,
      signals: [],
      reason: `centre line p-bar = ${centre}: sigma = 0, limits collapse and no rule can signal`,
    };
  }
  const fired = runRules(points.map((pt) => pt.z as number));
  points.forEach((pt, i) => {
    pt.rules = fired[i]!;
  });
  return { centre, totalN, totalX, points, signals: points.filter((p) => p.rules.length > 0).map((p) => p.index) };
}

/**
 * Run rules on a standardised series z_i = (p_i - centre) / sigma_i (the rules of pChart, which see).
 * Returns, per point, the rules that fired there (ascending). "Beyond k" is strict (z > k or z < -k).
 * Empty input -> []. Every z must be finite, else RangeError naming the index.
 */
export function runRules(z: readonly number[]): ControlRule[][] {
  z.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new RangeError(`z[${i}] must be finite, got ${v}`);
  });
  const countBeyond = (from: number, to: number, k: number, side: 1 | -1): number => {
    let count = 0;
    for (let j = from; j <= to; j++) if (side * z[j]! > k) count++;
    return count;
  };
  return z.map((zi, i) => {
    const rules: ControlRule[] = [];
    if (Math.abs(zi) > 3) rules.push(1);
    const side: 1 | -1 = zi >= 0 ? 1 : -1;
    if (i >= 2 && side * zi > 2 && countBeyond(i - 2, i, 2, side) >= 2) rules.push(2);
    if (i >= 4 && side * zi > 1 && countBeyond(i - 4, i, 1, side) >= 4) rules.push(3);
    if (i >= 7 && zi !== 0 && countBeyond(i - 7, i, 0, side) === 8) rules.push(4);
    if (i >= 5) {
      let up = true;
      let down = true;
      for (let j = i - 4; j <= i; j++) {
        if (!(z[j]! > z[j - 1]!)) up = false;
        if (!(z[j]! < z[j - 1]!)) down = false;
      }
      if (up || down) rules.push(5);
    }
    return rules;
  });
}
