/** Display helpers: dates, tenure, languages, countries and time zones. */

const LOCALE = undefined; // the browser's locale

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  // Plain dates (YYYY-MM-DD) are calendar dates: never shift them by time zone.
  const plain = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = plain ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALE, {
    dateStyle: 'medium',
    ...(plain ? { timeZone: 'UTC' } : {}),
  }).format(date);
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return new Intl.NumberFormat(LOCALE).format(value);
}

/** 45 -> "1 mo", 800 -> "2 y 2 mo". */
export function formatTenure(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  if (days < 0) return 'Starts soon';
  if (days < 31) return `${days} d`;
  const months = Math.floor(days / 30.4375);
  const years = Math.floor(months / 12);
  const rest = months % 12;
  if (years === 0) return `${months} mo`;
  return rest === 0 ? `${years} y` : `${years} y ${rest} mo`;
}

function displayNames(type: 'language' | 'region'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames(['en'], { type, fallback: 'none' });
  } catch {
    return null;
  }
}

const languageNames = displayNames('language');
const regionNames = displayNames('region');

export function languageName(code: string): string {
  try {
    return languageNames?.of(code) ?? code;
  } catch {
    return code;
  }
}

export function countryName(code: string): string {
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Languages most often staffed in T&S operations; free entry is allowed too. */
export const COMMON_LANGUAGES = [
  'en', 'es', 'pt-BR', 'pt-PT', 'fr', 'de', 'it', 'nl', 'pl', 'ro', 'tr', 'ru', 'uk', 'ar', 'he', 'fa',
  'hi', 'bn', 'ur', 'ta', 'te', 'mr', 'tl', 'id', 'ms', 'th', 'vi', 'my', 'ja', 'ko', 'zh-Hans', 'zh-Hant',
  'sw', 'am', 'ha', 'yo', 'el', 'cs', 'hu', 'sv',
];

/** Codes DisplayNames knows that are not countries. */
const NON_COUNTRY_REGIONS = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB', 'AC', 'CP', 'DG', 'EA', 'IC', 'TA']);

let countryOptions: Array<{ value: string; label: string }> | null = null;

/** ISO 3166-1 alpha-2 countries, named in English, sorted by name. */
export function getCountryOptions(): Array<{ value: string; label: string }> {
  if (countryOptions) return countryOptions;
  const options: Array<{ value: string; label: string }> = [];
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  for (const first of letters) {
    for (const second of letters) {
      const code = `${first}${second}`;
      if (NON_COUNTRY_REGIONS.has(code)) continue;
      let name: string | undefined;
      try {
        name = regionNames?.of(code);
      } catch {
        name = undefined;
      }
      if (name && name !== code) options.push({ value: code, label: `${name} (${code})` });
    }
  }
  options.sort((a, b) => a.label.localeCompare(b.label));
  countryOptions = options;
  return options;
}

let timeZones: string[] | null = null;

export function getTimeZones(): string[] {
  if (timeZones) return timeZones;
  try {
    timeZones = Intl.supportedValuesOf('timeZone');
  } catch {
    timeZones = ['UTC'];
  }
  if (!timeZones.includes('UTC')) timeZones = ['UTC', ...timeZones];
  return timeZones;
}

/** The wall-clock time now in a time zone, e.g. "14:05 (GMT+8)". */
export function localTimeIn(timeZone: string, now: Date = new Date()): string {
  try {
    return new Intl.DateTimeFormat(LOCALE, {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      timeZoneName: 'short',
    }).format(now);
  } catch {
    return '—';
  }
}

/** ISO datetime -> value for <input type="datetime-local"> in the browser's zone. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
    date.getMinutes(),
  )}`;
}

/** Value of <input type="datetime-local"> (browser's zone) -> ISO datetime. */
export function localInputToIso(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

export function humanize(value: string): string {
  const text = value.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
