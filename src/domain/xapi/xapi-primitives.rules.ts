/**
 * The xAPI data types below the statement (xAPI 1.0.3 Part Two section 4, 2.0.0 Part Two 4.2.7):
 * IRIs, mailto IRIs, UUIDs, language maps, ISO 8601 durations and timestamps. Pure.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** An absolute IRI: a scheme, then no whitespace or characters IRIs forbid. */
const IRI = /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]*$/i;
export function isIri(value: unknown): value is string {
  return typeof value === 'string' && IRI.test(value) && value.length <= 2048;
}

/** An IRL is an IRI meant to be dereferenced; xAPI validates it as an absolute IRI. */
export const isIrl = isIri;

const EMAIL = /^mailto:[^@\s:]+@[^@\s]+$/i;
export function isMbox(value: unknown): value is string {
  return typeof value === 'string' && EMAIL.test(value);
}

export function isSha1Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value);
}

export function isSha2Hex(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{56}$|^[0-9a-f]{64}$|^[0-9a-f]{96}$|^[0-9a-f]{128}$/i.test(value);
}

/** RFC 5646 language tag: language[-script][-region][-variant]*[-extension]*[-privateuse], or private use alone. */
const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+)$/i;
export function isLanguageTag(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 64 || !LANGUAGE_TAG.test(value)) return false;
  // An extension singleton (a single letter other than x) may appear only once.
  const singletons = value.toLowerCase().split('-x-')[0]!.split('-').slice(1).filter((part) => part.length === 1);
  return new Set(singletons).size === singletons.length;
}

/**
 * ISO 8601 duration as xAPI uses it: PnYnMnDTnHnMnS (seconds may carry a fraction; the
 * fraction may sit only on the last component), or PnW alone.
 */
const DURATION = /^P(?:\d+(?:\.\d+)?W|(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?)$/;
export function isDuration(value: unknown): value is string {
  if (typeof value !== 'string' || !DURATION.test(value)) return false;
  // At most one fractional component, and only the last one.
  const fractions = value.match(/\d+\.\d+[A-Z]/g) ?? [];
  if (fractions.length > 1) return false;
  if (fractions.length === 1 && !value.endsWith(fractions[0]!)) return false;
  return true;
}

/**
 * ISO 8601 date-time as xAPI accepts it: full date and time with seconds optional fraction,
 * and an offset (Z or ±hh:mm or ±hhmm or ±hh). '-00:00' is refused (RFC 3339 "unknown offset").
 */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|[+-](\d{2})(?::?(\d{2}))?)$/i;
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = TIMESTAMP.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, , zone, zh, zm] = match;
  if (zone === '-00:00' || zone === '-0000' || zone === '-00') return null;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 60) return null;
  if (zh !== undefined && (Number(zh) > 23 || Number(zm ?? 0) > 59)) return null;
  const normalised = value.replace(',', '.').replace(/([+-]\d{2})(\d{2})$/, '$1:$2').replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) return null;
  if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return null;
  return date;
}

export function isTimestamp(value: unknown): value is string {
  return parseTimestamp(value) !== null;
}
