import { loadReference as load } from '../support/reference.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  cohenKappaFromTable,
  congerKappa,
  fleissKappa,
  fleissKappaFromCounts,
  lightKappa,
  percentAgreement,
  randolphKappaFromCounts,
} from '../../src/domain/stats/agreement.ts';
import { ratingsToCounts, tableToRatings, transpose, type Rating } from '../../src/domain/stats/agreement-data.ts';
import { chanceCorrected, gwetAC, gwetAC1FromCounts } from '../../src/domain/stats/agreement-gwet.ts';
import { krippendorffAlpha, krippendorffAlphaFromCounts, type AlphaLevel } from '../../src/domain/stats/agreement-krippendorff.ts';


/** |actual - expected| <= tol (plus 1e-12 so a value rounded exactly at the boundary still passes). */
function near(actual: number | null | undefined, expected: number, tol: number): void {
  expect(actual).not.toBeNull();
  expect(actual).not.toBeUndefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tol + 1e-12);
}
const column = (m: Rating[][], j: number): Rating[] => m.map((row) => row[j]);
const LEVELS: AlphaLevel[] = ['nominal', 'ordinal', 'interval', 'ratio'];
const DP3 = 5e-4; // values published to 3 decimals
const DP5 = 5e-6; // values published to 5 decimals

describe('cohen_kappa_irr_anxiety.json (R irr anxiety, 20 subjects x 3 raters)', () => {
  const ref = load('cohen_kappa_irr_anxiety.json');
  const data: number[][] = ref.data; // rows = subjects, columns = raters
  const e = ref.expected;
  const tol: number = ref.tolerance;
  // irr builds the table over the observed levels and weights by level position (caveat in the file): scores 'ranks'.
  const k = (a: number, b: number, weights: 'identity' | 'linear' | 'quadratic') => cohenKappa(column(data, a), column(data, b), { weights, scores: 'ranks' });

  it('kappa2 unweighted / equal (linear) / squared for raters 1-2 and 2-3, and z', () => {
    near(k(0, 1, 'identity').value, e.kappa2_r1r2_unweighted, tol);
    near(k(0, 1, 'linear').value, e['kappa2_r1r2_equal(linear)'], tol);
    near(k(0, 1, 'quadratic').value, e.kappa2_r1r2_squared, tol);
    const u = k(1, 2, 'identity');
    near(u.value, e.kappa2_r2r3_unweighted, tol);
    near(u.z, e.kappa2_r2r3_unweighted_z, tol);
    near(k(1, 2, 'linear').value, e['kappa2_r2r3_equal(linear)'], tol);
    near(k(1, 2, 'quadratic').value, e.kappa2_r2r3_squared, tol);
    expect(u).toMatchObject({ n: 20, raters: 2 });
  });

  it("Fleiss' kappa and Krippendorff's alpha at all four levels", () => {
    const f = fleissKappa(data);
    near(f.value, e.fleiss_kappa_3raters, tol);
    expect(f).toMatchObject({ n: 20, raters: 3 });
    for (const level of LEVELS) near(krippendorffAlpha(data, level).value, e[`kripp_alpha_${level}`], tol);
  });
});

describe('cohen_kappa_sas_3x3.json (SAS PROC FREQ, Fleiss-Cohen-Everitt ASE)', () => {
  const ref = load('cohen_kappa_sas_3x3.json');
  const tol: number = ref.tolerance;

  it('unweighted kappa, ASE, CI, ASE under H0 and z (printed and full precision)', () => {
    const r = cohenKappaFromTable(ref.table);
    const u = ref.expected.unweighted;
    for (const x of [u, u.full_precision_statsmodels]) {
      near(r.value, x.kappa, tol);
      near(r.se, x.ase, tol);
      near(r.ci?.[0], x.ci95[0], tol);
      near(r.ci?.[1], x.ci95[1], tol);
      near(r.seH0, x.ase_H0, tol);
      near(r.z, x.z, tol);
    }
    near(r.value, u.full_precision_statsmodels.kappa, 1e-12);
    near(r.se, u.full_precision_statsmodels.ase, 1e-12);
    expect(r).toMatchObject({ n: 19, raters: 2 });
  });

  it('linear (Cicchetti-Allison) weighted kappa, ASE, CI, ASE under H0 and z', () => {
    const r = cohenKappaFromTable(ref.table, { weights: 'linear' });
    const w = ref.expected['weighted_linear_(weights 0,1,2 -> Cicchetti-Allison)'];
    near(r.value, w.kappa, tol);
    near(r.se, w.ase, tol);
    near(r.ci?.[0], w.ci95[0], tol);
    near(r.ci?.[1], w.ci95[1], tol);
    near(r.seH0, w.ase_H0, tol);
    near(r.z, w.z, tol);
  });
});

describe('fleiss_1971_diagnoses.json (30 patients x 6 psychiatrists)', () => {
  const ref = load('fleiss_1971_diagnoses.json');
  const data: number[][] = ref.data;
  const e = ref.expected;
  const tol: number = ref.tolerance;

  it("Fleiss' kappa, z under H0, per-category kappas and z", () => {
    const f = fleissKappa(data);
    near(f.value, e.fleiss_kappa, tol);
    near(f.value, e.published_fleiss_kappa_3dp, 5e-3);
    near(f.z, e.z_H0, tol);
    e.category_kappas_3dp.forEach((v: number, j: number) => near(f.categoryKappas[j], v, DP3));
    e.category_z_3dp.forEach((v: number, j: number) => near(f.categoryZ[j], v, DP3));
    expect(f).toMatchObject({ n: 30, raters: 6 });
    near(fleissKappa(data.map((row) => row.slice(0, 4))).value, e.fleiss_kappa_raters_1_to_4, tol);
  });

  it("Conger's exact kappa, Light's kappa, Cohen's kappa for raters 2 and 3", () => {
    near(congerKappa(data).value, e.exact_kappa_conger1980, tol);
    near(lightKappa(data).value, e.light_kappa, tol);
    const c = cohenKappa(column(data, 1), column(data, 2));
    near(c.value, e.cohen_kappa_rater2_vs_rater3, tol);
    near(c.z, e.cohen_z_rater2_vs_rater3, tol);
  });

  it("percent of units all raters agree on, Krippendorff's alpha, Gwet's AC1", () => {
    near((percentAgreement(data).allAgree ?? NaN) * 100, e.percent_all_raters_agree, tol);
    near(krippendorffAlpha(data, 'nominal').value, e.krippendorff_alpha_nominal, tol);
    near(gwetAC(data).value, e.gwet_ac1_irrCAC, DP5);
  });
});

describe('fleiss_wikipedia_14raters.json (10 subjects x 5 categories, 14 raters)', () => {
  const ref = load('fleiss_wikipedia_14raters.json');
  const tol: number = ref.tolerance;

  it('kappa, P-bar, P_e and each P_i', () => {
    const f = fleissKappaFromCounts(ref.data_counts);
    near(f.value, ref.expected.fleiss_kappa, tol);
    near(f.value, ref.expected.published_3dp, 5e-3);
    near(f.po, ref.expected.P_bar, tol);
    near(f.pe, ref.expected.P_e, tol);
    expect(f).toMatchObject({ n: 10, raters: 14 });
    ref.expected.P_i_3dp.forEach((v: number, i: number) => near(fleissKappaFromCounts([ref.data_counts[i]]).po, v, DP3));
  });
});

describe('gwet_irrCAC_examples.json (Gwet 2014 datasets, R irrCAC 1.0)', () => {
  const ref = load('gwet_irrCAC_examples.json');
  const tol = 1e-5; // "coefficients 1e-5; SE 1e-5"

  for (const name of ['cont3x3abstractors', 'cont4x4diagnosis']) {
    it(`${name}: Cohen kappa + SE, Scott pi, AC1, Brennan-Prediger, alpha, percent agreement`, () => {
      const { table, expected: x } = ref[name];
      const ratings = tableToRatings(table);
      const cohen = cohenKappaFromTable(table);
      near(cohen.value, x.cohen['coeff.val'], tol);
      near(cohen.se, x.cohen['coeff.se'], tol);
      const cc = chanceCorrected(ratings, { categories: table.map((_: unknown, i: number) => i) });
      if (x.scott) near(cc.fleiss.value, x.scott['coeff.val'], tol); // Scott's pi = Fleiss' kappa for 2 raters
      near(cc.gwet.value, x.ac1['coeff.val'], tol);
      if (x.bp) near(cc.brennanPrediger.value, x.bp['coeff.val'], tol);
      near(krippendorffAlpha(ratings).value, x.alpha['coeff.val'], tol);
      near(percentAgreement(ratings).value, x.pa['coeff.val'], tol);
    });
  }

  it('distrib.6raters (counts): AC1, Fleiss, alpha, Brennan-Prediger with pa / pe', () => {
    const { data_counts: counts, expected: x } = ref['distrib.6raters'];
    const ac1 = gwetAC1FromCounts(counts);
    near(ac1.value, x.ac1.coeff, tol);
    near(ac1.po, x.ac1.pa, tol);
    near(ac1.pe, x.ac1.pe, tol);
    const f = fleissKappaFromCounts(counts);
    near(f.value, x.fleiss.coeff, tol);
    near(f.pe, x.fleiss.pe, tol);
    near(randolphKappaFromCounts(counts).value, x.bp.coeff, tol);
    near(krippendorffAlphaFromCounts(counts, [1, 2, 3, 4, 5], 'nominal').value, x.alpha.coeff, tol);
  });

  it('cac.raw5obser (raw, missing values): AC1, Fleiss, AC2 quadratic, alpha nominal and interval', () => {
    const { data, expected: x } = ref['cac.raw5obser'];
    const cc = chanceCorrected(data);
    near(cc.gwet.value, x.ac1['coeff.val'], DP5);
    near(cc.gwet.po, x.ac1.pa, tol);
    near(cc.gwet.pe, x.ac1.pe, tol);
    near(cc.fleiss.value, x.fleiss['coeff.val'], DP5);
    near(cc.fleiss.pe, x.fleiss.pe, tol);
    const ac2 = gwetAC(data, { weights: 'quadratic' });
    near(ac2.value, x.gwet_ac2_quadratic['coeff.val'], DP5);
    near(ac2.po, x.gwet_ac2_quadratic.pa, tol);
    near(ac2.pe, x.gwet_ac2_quadratic.pe, tol);
    near(krippendorffAlpha(data, 'nominal').value, x.krippendorff_alpha_nominal['coeff.val'], DP5);
    near(krippendorffAlpha(data, 'interval').value, x['krippendorff_alpha_quadratic(=interval)']['coeff.val'], DP5);
    expect(cc.gwet).toMatchObject({ n: 15, raters: 5 });
  });
});

describe('krippendorff_2011_example_C.json (4 observers x 12 units, missing values)', () => {
  const ref = load('krippendorff_2011_example_C.json');
  const units = transpose(ref.data as Rating[][]); // file: rows = coders
  const tol: number = ref.tolerance;

  it('alpha at all four levels (and the published 3dp values)', () => {
    for (const level of LEVELS) {
      const a = krippendorffAlpha(units, level);
      near(a.value, ref.expected.krippendorff_alpha[level], tol);
      near(a.value, ref.expected.published_3dp[level], DP3);
      expect(a).toMatchObject({ n: 11, raters: 4, pairableValues: 40 });
    }
  });

  it('irrCAC raw: AC1, generalized Fleiss, Brennan-Prediger, percent agreement, alpha', () => {
    const x = ref.expected['irrCAC_1.0_raw'];
    const cc = chanceCorrected(units);
    near(cc.gwet.value, x.gwet_ac1['coeff.val'], DP5);
    near(cc.gwet.pe, x.gwet_ac1.pe, 1e-5);
    near(cc.fleiss.value, x.fleiss_kappa_generalized['coeff.val'], DP5);
    near(cc.brennanPrediger.value, x.brennan_prediger['coeff.val'], DP5);
    near(percentAgreement(units).value, x.percent_agreement['coeff.val'], 1e-5);
    near(krippendorffAlpha(units).value, x.krippendorff_alpha_nominal['coeff.val'], DP5);
  });
});

describe('krippendorff_2011_examples_A_B.json and krippendorff_3coder_15unit.json', () => {
  it('examples A (binary) and B (letters), nominal', () => {
    const ref = load('krippendorff_2011_examples_A_B.json');
    for (const c of ref.cases) {
      const a = krippendorffAlpha(transpose(c.data), c.level);
      near(a.value, c.expected_alpha, ref.tolerance);
      near(a.value, c.published_3dp, DP3);
      expect(a.raters).toBe(2);
    }
  });

  it('3 coders x 15 units with missing values, nominal and interval', () => {
    const ref = load('krippendorff_3coder_15unit.json');
    const units = transpose(ref.data as Rating[][]);
    for (const [level, v] of Object.entries(ref.expected)) near(krippendorffAlpha(units, level as AlphaLevel).value, v as number, ref.tolerance);
  });
});

describe('randolph_free_marginal.json (statsmodels tests)', () => {
  const ref = load('randolph_free_marginal.json');
  ref.cases.forEach((c: any, i: number) => {
    it(`case ${i + 1}: Randolph, Fleiss and overall agreement`, () => {
      const tol: number = c.atol ?? 1e-9;
      const r = randolphKappaFromCounts(c.data_counts);
      near(r.value, c.randolph, tol);
      if (c.overall_agreement !== undefined) near(r.po, c.overall_agreement, tol);
      const f = fleissKappaFromCounts(c.data_counts);
      if (c.fleiss !== undefined) near(f.value, c.fleiss, tol);
      else expect(f).toMatchObject({ value: null, reason: expect.stringContaining('Pe = 1') });
    });
  });
});

describe('degenerate cases return null with a reason', () => {
  it('single category, no data, unequal raters', () => {
    expect(cohenKappa([1, 1, 1], [1, 1, 1]).value).toBeNull();
    expect(cohenKappa([1, 1, 1], [1, 1, 1]).reason).toMatch(/Pe = 1/);
    expect(cohenKappaFromTable([[0]]).reason).toMatch(/no rated pairs/);
    expect(fleissKappa([]).value).toBeNull();
    expect(fleissKappa([[1, 2], [1, null]]).reason).toMatch(/different numbers/);
    expect(krippendorffAlpha([[1, 1], [1, 1]]).reason).toMatch(/expected disagreement is 0/);
    expect(krippendorffAlpha([[1, null], [null, 2]]).reason).toMatch(/fewer than two pairable/);
    expect(gwetAC([[1], [2]]).reason).toMatch(/two or more ratings/);
    expect(percentAgreement([[1], [2]]).value).toBeNull();
    expect(() => krippendorffAlpha([['a', 'b']], 'interval')).toThrow(RangeError);
  });
});

// ---------- properties ----------

const label = fc.integer({ min: 1, max: 5 });
/** Units x raters matrix, values 1..5, some missing. */
const matrix = fc.integer({ min: 2, max: 5 }).chain((m) =>
  fc.array(fc.array(fc.option(label, { nil: null, freq: 4 }), { minLength: m, maxLength: m }), { minLength: 1, maxLength: 25 }),
);
/** Random permutation of 0..n-1 from random sort keys. */
const permutation = (n: number) => fc.array(fc.double({ noNaN: true }), { minLength: n, maxLength: n }).map((keys) => keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i));

function sameValue(a: number | null, b: number | null): void {
  if (a === null || b === null) expect(a).toBe(b);
  else expect(Math.abs(a - b)).toBeLessThan(1e-9);
}

describe('agreement properties', () => {
  it('identical raters give kappa = 1 (any weights), Fleiss = 1, alpha = 1, AC1 = 1 whenever Pe < 1', () => {
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 60 }), fc.integer({ min: 2, max: 6 }), (labels, m) => {
        fc.pre(new Set(labels).size >= 2);
        for (const weights of ['identity', 'linear', 'quadratic'] as const) near(cohenKappa(labels, labels, { weights }).value, 1, 1e-12);
        const ratings = labels.map((l) => Array.from({ length: m }, () => l));
        near(fleissKappa(ratings).value, 1, 1e-12);
        near(gwetAC(ratings).value, 1, 1e-12);
        for (const level of LEVELS) near(krippendorffAlpha(ratings, level).value, 1, 1e-12);
      }),
    );
  });

  it("Krippendorff's alpha is invariant to permuting coders and units", () => {
    fc.assert(
      fc.property(
        matrix.chain((m) => fc.tuple(fc.constant(m), permutation(m.length), permutation(m[0]!.length))),
        ([m, units, coders]) => {
          const permuted = units.map((u) => coders.map((c) => m[u]![c]!));
          for (const level of LEVELS) sameValue(krippendorffAlpha(m, level).value, krippendorffAlpha(permuted, level).value);
          sameValue(gwetAC(m).value, gwetAC(permuted).value);
        },
      ),
    );
  });

  it("Cohen's kappa and its SE are symmetric in the two raters; Fleiss counts and ratings inputs agree", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(label, label), { minLength: 1, maxLength: 60 }), (pairs) => {
        const a = pairs.map((p) => p[0]);
        const b = pairs.map((p) => p[1]);
        const ab = cohenKappa(a, b, { weights: 'quadratic' });
        const ba = cohenKappa(b, a, { weights: 'quadratic' });
        sameValue(ab.value, ba.value);
        // Compare variances: when the true SE is 0, sqrt turns 1e-16 rounding noise into ~1e-8.
        sameValue(ab.se === null ? null : ab.se ** 2, ba.se === null ? null : ba.se ** 2);
        expect(ab.n).toBe(pairs.length);
        sameValue(fleissKappa(pairs.map((p) => [...p])).value, fleissKappaFromCounts(ratingsToCounts(pairs.map((p) => [...p])).counts).value);
      }),
    );
  });
});
