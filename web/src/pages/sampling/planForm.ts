/**
 * The sampling plan editor's form model: a definition as people edit it
 * (rates in percent, empty strings for blank numbers, "any" for an unset
 * positive condition) and the conversions both ways, plus the mapping of the
 * server's JSON pointers (/definition/strata/1/rate) onto form fields.
 */
import type { ApiErrorDetail } from '../../api/client';
import type {
  Band,
  Conditions,
  PlanVersion,
  QuotaPeriod,
  SamplingPlanDefinition,
  SeverityValue,
  StratifyDimension,
  StratumMode,
} from '../../api/sampling';
import { pointerToPath } from '../../lib/serverErrors';

export type NumberField = number | string;

export interface ConditionsForm {
  positive: 'any' | 'yes' | 'no';
  labels: string[];
  severities: string[];
  vendorIds: string[];
  siteIds: string[];
  tenureBands: string[];
  modelScoreBands: string[];
}

export interface BandRow {
  rowId: string;
  key: string;
  below: NumberField;
}

export interface StratumRow {
  rowId: string;
  key: string;
  name: string;
  mode: StratumMode;
  ratePct: NumberField;
  dailyCap: NumberField;
  quotaPerAgent: NumberField;
  quotaPeriod: QuotaPeriod;
  stratifyBy: string[];
  when: ConditionsForm;
}

export interface WeightRow {
  rowId: string;
  weight: NumberField;
  when: ConditionsForm;
}

export interface PlanFormValues {
  name: string;
  notes: string;
  tenureBands: BandRow[];
  modelScoreBands: BandRow[];
  strata: StratumRow[];
  riskWeights: WeightRow[];
  assumedAccuracyPct: NumberField;
}

let counter = 0;
export function newRowId(prefix = 'row'): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

export const EMPTY_CONDITIONS: ConditionsForm = {
  positive: 'any',
  labels: [],
  severities: [],
  vendorIds: [],
  siteIds: [],
  tenureBands: [],
  modelScoreBands: [],
};

/** Percent with no floating-point dust: 0.07 -> 7 (not 7.000000000000001). */
const toPct = (fraction: number | undefined) => (fraction === undefined ? '' : Number((fraction * 100).toPrecision(12)));
const fromPct = (pct: NumberField): number | undefined => {
  const n = typeof pct === 'number' ? pct : pct.trim() === '' ? Number.NaN : Number(pct);
  return Number.isFinite(n) ? Number((n / 100).toPrecision(12)) : undefined;
};
const toNumber = (value: NumberField): number | undefined => {
  const n = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
};

function conditionsToForm(when: Conditions | undefined): ConditionsForm {
  return {
    positive: when?.positive === true ? 'yes' : when?.positive === false ? 'no' : 'any',
    labels: when?.labels ?? [],
    severities: when?.severities ?? [],
    vendorIds: when?.vendorIds ?? [],
    siteIds: when?.siteIds ?? [],
    tenureBands: when?.tenureBands ?? [],
    modelScoreBands: when?.modelScoreBands ?? [],
  };
}

export function conditionsFromForm(form: ConditionsForm): Conditions {
  const when: Conditions = {};
  if (form.positive !== 'any') when.positive = form.positive === 'yes';
  if (form.labels.length) when.labels = form.labels;
  if (form.severities.length) when.severities = form.severities as SeverityValue[];
  if (form.vendorIds.length) when.vendorIds = form.vendorIds;
  if (form.siteIds.length) when.siteIds = form.siteIds;
  if (form.tenureBands.length) when.tenureBands = form.tenureBands;
  if (form.modelScoreBands.length) when.modelScoreBands = form.modelScoreBands;
  return when;
}

const bandsToForm = (bands: Band[]): BandRow[] =>
  bands.map((b) => ({ rowId: newRowId('band'), key: b.key, below: b.below ?? '' }));

export function versionToForm(version: PlanVersion): PlanFormValues {
  const d = version.definition;
  return {
    name: version.name,
    notes: version.notes ?? '',
    tenureBands: bandsToForm(d.tenureBands ?? []),
    modelScoreBands: bandsToForm(d.modelScoreBands ?? []),
    strata: (d.strata ?? []).map((s) => ({
      rowId: newRowId('stratum'),
      key: s.key,
      name: s.name,
      mode: s.mode,
      ratePct: toPct(s.rate),
      dailyCap: s.dailyCap ?? '',
      quotaPerAgent: s.quota?.perAgent ?? '',
      quotaPeriod: s.quota?.period ?? 'week',
      stratifyBy: s.stratifyBy ?? [],
      when: conditionsToForm(s.when),
    })),
    riskWeights: (d.riskWeights ?? []).map((w) => ({ rowId: newRowId('weight'), weight: w.weight, when: conditionsToForm(w.when) })),
    assumedAccuracyPct: toPct(d.assumedAccuracy),
  };
}

/** The definition to send. Blank numbers are left out so the server names the field that needs one. */
export function formToDefinition(values: PlanFormValues): SamplingPlanDefinition {
  const bands = (rows: BandRow[]): Band[] =>
    rows.map((row, i) => ({
      key: row.key.trim(),
      below: i === rows.length - 1 ? null : (toNumber(row.below) ?? (null as unknown as number)),
    }));
  return {
    tenureBands: bands(values.tenureBands),
    modelScoreBands: bands(values.modelScoreBands),
    strata: values.strata.map((row) => {
      const base = {
        key: row.key.trim(),
        name: row.name,
        when: conditionsFromForm(row.when),
        stratifyBy: row.stratifyBy as StratifyDimension[],
        mode: row.mode,
      };
      if (row.mode === 'rate') return { ...base, rate: fromPct(row.ratePct), dailyCap: toNumber(row.dailyCap) ?? null };
      if (row.mode === 'quota') {
        return { ...base, quota: { perAgent: toNumber(row.quotaPerAgent) as number, period: row.quotaPeriod } };
      }
      return base;
    }),
    riskWeights: values.riskWeights.map((row) => ({ when: conditionsFromForm(row.when), weight: toNumber(row.weight) as number })),
    assumedAccuracy: fromPct(values.assumedAccuracyPct) as number,
  };
}

export function newStratum(index: number): StratumRow {
  return {
    rowId: newRowId('stratum'),
    key: `stratum_${index + 1}`,
    name: '',
    mode: 'rate',
    ratePct: 5,
    dailyCap: '',
    quotaPerAgent: '',
    quotaPeriod: 'week',
    stratifyBy: [],
    when: { ...EMPTY_CONDITIONS },
  };
}

export function newWeight(): WeightRow {
  return { rowId: newRowId('weight'), weight: 2, when: { ...EMPTY_CONDITIONS } };
}

/** Form paths the editor shows an error next to. Anything else goes to the alert at the top. */
const PLACED = [
  /^(name|notes|assumedAccuracyPct|strata|riskWeights|tenureBands|modelScoreBands)$/,
  /^(tenureBands|modelScoreBands)\.\d+\.(key|below)$/,
  /^strata\.\d+\.(key|name|mode|ratePct|dailyCap|quotaPerAgent|quotaPeriod|stratifyBy|when)$/,
  /^(strata|riskWeights)\.\d+\.when\.(positive|labels|severities|vendorIds|siteIds|tenureBands|modelScoreBands)$/,
  /^riskWeights\.\d+\.(weight|when)$/,
];

/** `/definition/strata/1/rate` -> `strata.1.ratePct`; `/definition/strata/0/when/labels/2` -> `strata.0.when.labels`. */
export function formPathOf(pointer: string): string {
  let path = pointerToPath(pointer).replace(/^definition\.?/, '');
  path = path
    .replace(/^(strata\.\d+)\.rate$/, '$1.ratePct')
    .replace(/^(strata\.\d+)\.quota\.perAgent$/, '$1.quotaPerAgent')
    .replace(/^(strata\.\d+)\.quota\.period$/, '$1.quotaPeriod')
    .replace(/^(strata\.\d+)\.quota$/, '$1.quotaPerAgent')
    .replace(/^(strata\.\d+\.stratifyBy)\.\d+$/, '$1')
    .replace(/^((?:strata|riskWeights)\.\d+\.when\.\w+)\.\d+$/, '$1')
    .replace(/^assumedAccuracy$/, 'assumedAccuracyPct');
  return path;
}

/**
 * The server checks proportions (0.02); the editor shows percentages (2 %).
 * Its messages about those two fields are restated in the editor's unit.
 */
function inEditorUnits(path: string, message: string): string {
  if (/\.ratePct$/.test(path)) return 'Enter a rate above 0% and at most 100% (2 means 2% of the stratum).';
  if (path === 'assumedAccuracyPct') return 'Enter a percentage strictly between 0 and 100, e.g. 90.';
  return message;
}

/** Splits the server's details into field errors for the form and the rest for the alert. */
export function placeServerErrors(details: ApiErrorDetail[]): { fieldErrors: Record<string, string>; unplaced: ApiErrorDetail[] } {
  const fieldErrors: Record<string, string> = {};
  const unplaced: ApiErrorDetail[] = [];
  for (const detail of details) {
    const path = formPathOf(detail.path);
    if (PLACED.some((pattern) => pattern.test(path))) {
      const message = inEditorUnits(path, detail.message);
      fieldErrors[path] = fieldErrors[path] ? `${fieldErrors[path]} ${message}` : message;
    } else {
      unplaced.push(detail);
    }
  }
  return { fieldErrors, unplaced };
}
