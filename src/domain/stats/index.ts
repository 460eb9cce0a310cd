/** Statistics core: pure estimators for sampling (proportion intervals, sample size) and inter-rater agreement. */
export * from './distributions.ts';
export * from './proportions.ts';
export * from './agreement-data.ts';
export * from './agreement.ts';
export * from './agreement-gwet.ts';
export * from './agreement-krippendorff.ts';
export * from './estimation.ts';
export * from './control-charts.ts';
export {
  ac1WithError,
  alphaWithError,
  brennanPredigerWithError,
  fleissWithError,
  studentTQuantile,
  type AgreementErrorOptions,
  type CoefficientWithError,
} from './agreement-variance.ts';
