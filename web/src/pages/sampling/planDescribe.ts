/** Plain-language summaries of a sampling plan's strata and conditions. */
import type { Conditions, StratifyDimension, StratumRule } from '../../api/sampling';

export const DIMENSION_LABELS: Record<StratifyDimension, string> = {
  label: 'Label',
  severity: 'Severity',
  vendor: 'Vendor',
  site: 'Site',
  tenureBand: 'Tenure band',
  modelScoreBand: 'Model-score band',
};

export const MODE_LABELS = { all: 'Every decision', rate: 'Random rate', quota: 'Quota per agent' } as const;

const PERIOD = { day: 'day', week: 'week', month: 'month' } as const;

function pct(rate: number | undefined): string {
  if (rate === undefined) return '?%';
  return `${Number((rate * 100).toPrecision(6))}%`;
}

/** "2% at random, at most 40 a day" / "every decision" / "5 per agent per week". */
export function describeSelection(rule: StratumRule): string {
  if (rule.mode === 'all') return 'every decision';
  if (rule.mode === 'quota') return `${rule.quota?.perAgent ?? '?'} per agent per ${PERIOD[rule.quota?.period ?? 'week']}`;
  const cap = rule.dailyCap ? `, at most ${rule.dailyCap} a day` : '';
  return `${pct(rule.rate)} at random${cap}`;
}

export type NameOf = (kind: 'vendor' | 'site' | 'label', id: string) => string;

/** "positives · labels hate.slur, bullying.threat · severity critical" or "every decision". */
export function describeConditions(when: Conditions, nameOf: NameOf = (_k, id) => id): string {
  const parts: string[] = [];
  if (when.positive === true) parts.push('positives (a label applied)');
  if (when.positive === false) parts.push('negatives (no label)');
  if (when.labels?.length) parts.push(`label ${when.labels.map((l) => nameOf('label', l)).join(' or ')}`);
  if (when.severities?.length) parts.push(`severity ${when.severities.join(' or ')}`);
  if (when.vendorIds?.length) parts.push(`vendor ${when.vendorIds.map((v) => nameOf('vendor', v)).join(' or ')}`);
  if (when.siteIds?.length) parts.push(`site ${when.siteIds.map((s) => nameOf('site', s)).join(' or ')}`);
  if (when.tenureBands?.length) parts.push(`tenure ${when.tenureBands.join(' or ')}`);
  if (when.modelScoreBands?.length) parts.push(`model score ${when.modelScoreBands.join(' or ')}`);
  return parts.length ? parts.join(' · ') : 'any decision';
}

export function describeStratifyBy(dimensions: StratifyDimension[]): string {
  return dimensions.length ? `by ${dimensions.map((d) => DIMENSION_LABELS[d].toLowerCase()).join(' × ')}` : '';
}

const KEY_DIMENSIONS: Record<string, 'vendor' | 'site' | 'label' | null> = {
  vendor: 'vendor',
  site: 'site',
  label: 'label',
  severity: null,
  tenure: null,
  score: null,
};

/** `baseline|vendor=<id>|severity=none` -> `baseline · vendor Coralpoint · severity none`. */
export function prettyStratumKey(stratumKey: string, nameOf: NameOf): string {
  const [rule, ...parts] = stratumKey.split('|');
  const named = parts.map((part) => {
    const at = part.indexOf('=');
    if (at < 0) return part;
    const dimension = part.slice(0, at);
    const value = part.slice(at + 1);
    const kind = KEY_DIMENSIONS[dimension];
    return `${dimension} ${kind && value !== 'none' ? nameOf(kind, value) : value}`;
  });
  return [rule, ...named].join(' · ');
}
