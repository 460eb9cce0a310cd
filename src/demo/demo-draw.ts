import type { Randomizer } from '@faker-js/faker';
import { demoRandomizer } from './demo-random.ts';

/**
 * Fast draws on one seeded stream (demo-random.ts's Mersenne Twister), for the
 * decision generator's ~10 million draws: faker's helpers validate every
 * argument and cost ~50x more per call than the raw randomizer.
 */
export class Draw {
  readonly #random: Randomizer;
  #spareNormal: number | null = null;

  constructor(seed: number, key: string) {
    this.#random = demoRandomizer(seed, key);
  }

  /** Uniform in [0, 1). */
  u(): number {
    return this.#random.next();
  }

  chance(probability: number): boolean {
    return this.#random.next() < probability;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.#random.next() * (max - min + 1));
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.#random.next() * values.length)]!;
  }

  /** Index drawn with probability proportional to its weight (weights >= 0, not all 0). */
  weighted(weights: readonly number[], total = sum(weights)): number {
    let x = this.#random.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal (Box-Muller, the second value kept for the next call). */
  normal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return spare;
    }
    const u1 = Math.max(this.#random.next(), 1e-12);
    const u2 = this.#random.next();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.#spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /** Lognormal with the given median and log-scale sigma. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Poisson count by inversion (the means here are below ~60). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 200) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    let k = 0;
    let p = Math.exp(-mean);
    let cumulative = p;
    const u = this.#random.next();
    while (u > cumulative && k < 1000) {
      k++;
      p *= mean / k;
      cumulative += p;
    }
    return k;
  }
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const logit = (p: number): number => Math.log(p / (1 - p));
