/**
 * Probability distributions needed by the interval and agreement code. Pure, no dependencies.
 *
 * Accuracy (documented, checked in tests/unit/stats-proportions.test.ts):
 * - normalQuantile: Acklam's rational approximation, relative error < 1.15e-9 over (0, 1).
 * - logGamma: Lanczos (g = 7, 9 terms), relative error ~1e-15 for x > 0.
 * - regularizedBeta: continued fraction evaluated with the modified Lentz method, ~1e-14 absolute.
 * - betaQuantile: bisection on regularizedBeta to an interval width of 1e-15 (absolute).
 */

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

function poly(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (const c of coefficients) result = result * x + c;
  return result;
}

/**
 * Inverse of the standard normal CDF: the z with Phi(z) = p.
 * Range: p in (0, 1) gives a finite z; p = 0 -> -Infinity, p = 1 -> +Infinity; p outside [0, 1] or NaN -> NaN.
 * Method: Acklam (2003) rational approximation, relative error < 1.15e-9.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(C, q) / (poly(D, q) * q + 1);
  }
  if (p > 1 - pLow) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(C, q) / (poly(D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(A, r) * q) / (poly(B, r) * r + 1);
}

/**
 * Two-sided critical value z_{1 - (1 - confidence) / 2}, e.g. 1.959964 for confidence 0.95.
 * Range: confidence in (0, 1); otherwise throws RangeError.
 */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 (Lanczos approximation, g = 7). Returns NaN for x <= 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** Continued fraction for the incomplete beta function (modified Lentz). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/**
 * Regularized incomplete beta I_x(a, b) = B(x; a, b) / B(a, b), the CDF of Beta(a, b) at x.
 * Range: a > 0, b > 0; x <= 0 -> 0, x >= 1 -> 1; invalid a or b -> NaN.
 */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/**
 * Quantile of Beta(a, b): the x in [0, 1] with I_x(a, b) = p, found by bisection (absolute error <= 1e-15).
 * Range: p in [0, 1], a > 0, b > 0; p = 0 -> 0, p = 1 -> 1; otherwise NaN.
 */
export function betaQuantile(p: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return 0;
  if (p === 1) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 200 && hi - lo > 1e-15; i++) {
    const mid = (lo + hi) / 2;
    if (regularizedBeta(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Upper tail of the standard normal, 1 - Phi(z) = erfc(z / sqrt 2) / 2, accurate in the far tail
 * (no 1 - x cancellation). erfc(x) = Q(1/2, x^2), the regularized upper incomplete gamma: a series for
 * x^2 < 1.5 and a Lentz continued fraction beyond, both to ~1e-15 relative. NaN in, NaN out.
 */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 0;
  if (z === Number.NEGATIVE_INFINITY) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const half = 0.5 * erfc(x);
  return z >= 0 ? half : 1 - half;
}

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);

/** erfc(x) for x >= 0 via the regularized incomplete gamma function at a = 1/2. */
function erfc(x: number): number {
  const t = x * x;
  if (t === 0) return 1;
  const prefix = Math.exp(-t + 0.5 * Math.log(t) - LOG_SQRT_PI);
  if (t < 1.5) {
    // P(1/2, t) by its series; erfc = 1 - P.
    let term = 1 / 0.5;
    let sum = term;
    for (let n = 1; n < 500; n++) {
      term *= t / (0.5 + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return 1 - sum * prefix;
  }
  // Q(1/2, t) by its continued fraction (modified Lentz).
  const tiny = 1e-300;
  let b = t + 1 - 0.5;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - 0.5);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return prefix * h;
}
