import { createHash } from 'node:crypto';
import { SimpleFaker, generateMersenne53Randomizer, type Randomizer } from '@faker-js/faker';

/**
 * Deterministic randomness and date arithmetic for the demo generator. Pure:
 * every value is derived from (seed, key), never from the clock or Math.random.
 * Each concern draws from its own stream (keyed by what it generates), so adding
 * a site or a team does not reshuffle everyone else.
 */

function digest(seed: number, key: string): Buffer {
  return createHash('sha256').update(`assay-demo:${seed}:${key}`).digest();
}

/** A stable RFC 4122 version-4-shaped UUID for (seed, key). */
export function demoUuid(seed: number, key: string): string {
  const bytes = digest(seed, key).subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10xx
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** A 32-bit integer seed for a faker instance, derived from (seed, key). */
export function streamSeed(seed: number, key: string): number {
  return digest(seed, `stream:${key}`).readUInt32BE(0);
}

/**
 * A seeded randomizer for one named stream. Pass it to faker's constructor:
 * faker's default randomizer seeds itself from Math.random before .seed() runs.
 */
export function demoRandomizer(seed: number, key: string): Randomizer {
  return generateMersenne53Randomizer(streamSeed(seed, key));
}

/** A seeded faker (numbers, booleans, picks) for one named stream. */
export function demoRng(seed: number, key: string): SimpleFaker {
  return new SimpleFaker({ randomizer: demoRandomizer(seed, key) });
}

export type Rng = SimpleFaker;

/** Integer in [min, max]. */
export function int(rng: Rng, min: number, max: number): number {
  return rng.number.int({ min, max });
}

export function chance(rng: Rng, probability: number): boolean {
  return rng.datatype.boolean({ probability });
}

export function pick<T>(rng: Rng, values: readonly T[]): T {
  return rng.helpers.arrayElement(values);
}

/** Exponentially distributed value with the given mean. */
export function exponential(rng: Rng, mean: number): number {
  const u = rng.number.float({ min: 0, max: 1 });
  return -mean * Math.log(1 - Math.min(u, 0.999999));
}

// ---------------------------------------------------------------------------
// Dates: plain 'YYYY-MM-DD' strings, computed in UTC.

const DAY_MS = 86_400_000;

export function parseDay(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new RangeError(`Expected a date like 2025-03-18, got "${value}".`);
  const ms = Date.parse(`${value}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new RangeError(`"${value}" is not a calendar date.`);
  }
  return ms;
}

export function formatDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The day `days` before `today` ('YYYY-MM-DD'). */
export function daysBefore(today: string, days: number): string {
  return formatDay(parseDay(today) - Math.round(days) * DAY_MS);
}

/** The Monday on or before the given day: new hires start classes on Mondays. */
export function mondayOnOrBefore(day: string): string {
  const ms = parseDay(day);
  const weekday = new Date(ms).getUTCDay(); // 0 = Sunday
  return formatDay(ms - ((weekday + 6) % 7) * DAY_MS);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parseDay(to) - parseDay(from)) / DAY_MS);
}

/** ISO datetime at 00:00 UTC on the day `days` before `today`. */
export function midnightUtc(today: string, days: number): string {
  return `${daysBefore(today, days)}T00:00:00Z`;
}
