import type { Issues } from '../errors.ts';

/** Pure validation rules for the organisation model. No I/O. */

const timeZones = new Set(Intl.supportedValuesOf('timeZone'));
// Intl lists canonical zones only; 'UTC' and a few aliases are still valid inputs.
for (const alias of ['UTC', 'Etc/UTC', 'Asia/Calcutta', 'Asia/Kolkata']) timeZones.add(alias);

export function isValidTimeZone(value: string): boolean {
  if (timeZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166-1 alpha-2, excluding the user-assigned codes (AA, QM-QZ, XA-XZ, ZZ) that name no country. */
export function isValidCountryCode(value: string): boolean {
  if (!/^[A-Z]{2}$/.test(value) || /^(AA|Q[M-Z]|X[A-Z]|ZZ)$/.test(value)) return false;
  const name = regionNames.of(value);
  return name !== undefined && name !== value && name !== 'Unknown Region';
}

/** BCP 47 language tag, canonicalised ('pt-br' -> 'pt-BR'); null when not a tag. */
export function canonicalLanguage(value: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical ?? null;
  } catch {
    return null;
  }
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function tenureDays(hireDate: string, today: Date): number {
  const hired = Date.parse(`${hireDate}T00:00:00Z`);
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.max(0, Math.round((now - hired) / 86_400_000));
}

/** Validates a hire date: a real date, not in the far future (offers are signed ahead), not before 1950. */
export function checkHireDate(issues: Issues, path: string, value: string, today: Date): void {
  if (!isIsoDate(value)) {
    issues.add(path, 'Use a date like 2024-03-18.');
    return;
  }
  const limit = new Date(today.getTime() + 366 * 86_400_000).toISOString().slice(0, 10);
  issues.check(value <= limit, path, 'A hire date more than a year ahead is probably a typo.');
  issues.check(value >= '1950-01-01', path, 'A hire date before 1950 is probably a typo.');
}

export function checkLanguages(issues: Issues, path: string, values: string[]): string[] {
  const out: string[] = [];
  values.forEach((value, index) => {
    const canonical = canonicalLanguage(value);
    if (!canonical) issues.add(`${path}/${index}`, `"${value}" is not a language tag like en, tl or pt-BR.`);
    else if (!out.includes(canonical)) out.push(canonical);
  });
  return out;
}

export function normaliseEmail(value: string): string {
  return value.trim().toLowerCase();
}

export function isPlausibleEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) && value.length <= 254;
}
