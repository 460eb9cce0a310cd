/**
 * Statistics core: pure estimators for sampling (proportion intervals, sample size, Hajek and Horvitz-Thompson
 * estimates, ratio estimates from rollup sums, weighted confusion rates) and inter-rater agreement.
 */
export * from './distributions.ts';
export * from './proportions.ts';
export * from './agreement-data.ts';
export * from './agreement.ts';
export * from './agreement-gwet.ts';
export * from './agreement-krippendorff.ts';
export * from './estimation.ts';
export * from './control-charts.ts';
export * from './ratio-estimation.ts';
export * from './confusion-estimation.ts';
export * from './paired-proportions.ts';
export {
  ac1WithError,
  ac2WithError,
  alphaWithError,
  brennanPredigerWithError,
  fleissWithError,
  percentAgreementWithError,
  studentTQuantile,
  type AgreementErrorOptions,
  type CoefficientWithError,
} from './agreement-variance.ts';
export * from './multiplicity.ts';
