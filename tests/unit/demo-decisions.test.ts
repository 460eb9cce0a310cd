import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemoData, type DemoData } from '../../src/demo/demo-data.ts';
import {
  DEMO_DECISION_STORY,
  demoAgentProfiles,
  demoTruthLookup,
  generateDemoDecisions,
  parseDemoExternalId,
  type DemoDecisionRecord,
} from '../../src/demo/demo-decisions.ts';
import { demoPlanDefinition, demoSamplingPlans, PLAN_DAYS_AGO } from '../../src/demo/demo-sampling.ts';
import { checkDecision, decisionId } from '../../src/domain/decisions/decision-input.ts';
import { highestSeverity, placeDecision, quotaForDay, validatePlanDefinition } from '../../src/domain/sampling/plan.rules.ts';

/**
 * The demo decisions: deterministic, valid, at least 500,000 at full scale,
 * and carrying the latent patterns later dashboards are built to show.
 */
const SEED = 42;
const TODAY = '2025-06-15';
const DAY_MS = 86_400_000;
const data: DemoData = generateDemoData({ seed: SEED, today: TODAY });
const todayMs = Date.parse(`${TODAY}T00:00:00Z`);
const profiles = new Map(demoAgentProfiles(data, { seed: SEED, today: TODAY }).map((a) => [a.person.id, a]));
const vendorOfSite = new Map(data.sites.map((s) => [s.key, s.vendorKey]));
const vendorId = new Map(data.vendors.map((v) => [v.key, v.id]));
const take = (n: number, records: Iterable<DemoDecisionRecord>): DemoDecisionRecord[] => {
  const out: DemoDecisionRecord[] = [];
  for (const r of records) {
    out.push(r);
    if (out.length === n) break;
  }
  return out;
};
const small = (scale = 0.03, until?: string) => [...generateDemoDecisions(data, { seed: SEED, today: TODAY, scale, until })];

/** Accuracy counter: n and share correct. */
class Rate {
  n = 0;
  ok = 0;
  add(correct: boolean): void {
    this.n++;
    if (correct) this.ok++;
  }
  get value(): number {
    return this.ok / this.n;
  }
}
const rates = new Map<string, Rate>();
const rate = (key: string): Rate => rates.get(key) ?? (rates.set(key, new Rate()), rates.get(key)!);
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

let total = 0;
let ordered = true;
let uniqueIds = true;
let errorMatchesTruth = true;
const byWorkflow = new Map<string, number>();
let qaSelected = 0;

/** One pass over the full-scale output, collecting what the tests below check. */
beforeAll(() => {
  const ids = new Set<string>();
  const plans = new Map(demoSamplingPlans(data, { seed: SEED, today: TODAY }).map((p) => [p.workflowKey, p]));
  const severities = new Map(data.policies.flatMap((p) => p.versions.flatMap((v) => v.labels.map((l) => [l.key, l.severity] as const))));
  const hateV2 = Date.parse(data.policies.find((p) => p.key === 'hate_speech')!.versions[1]!.effectiveFrom);
  const quotaCandidates = new Map<string, number>();
  let previous = -Infinity;
  for (const { input, truth, error } of generateDemoDecisions(data, { seed: SEED, today: TODAY })) {
    total++;
    const at = Date.parse(input.decided_at);
    if (at < previous) ordered = false;
    previous = at;
    const key = `${input.source}/${input.external_id}`;
    if (ids.has(key)) uniqueIds = false;
    ids.add(key);
    byWorkflow.set(input.workflow, (byWorkflow.get(input.workflow) ?? 0) + 1);
    const correct = sameSet(input.labels, truth.labels) && input.action === truth.action;
    if (correct !== (error === null)) errorMatchesTruth = false;

    const agent = profiles.get(input.agent)!;
    const vendor = vendorOfSite.get(agent.person.siteKey)!;
    const tenure = Math.floor(at / DAY_MS) - Math.round(Date.parse(agent.person.hireDate) / DAY_MS);
    rate(tenure < 45 ? 'tenure:nesting' : tenure >= 90 ? 'tenure:established' : 'tenure:ramping').add(correct);
    rate(`vendor:${vendor}`).add(correct);
    const truthPolicy = truth.labels[0]?.split('.')[0];
    if (truthPolicy === 'harassment') rate(`harassment:${vendor}`).add(correct);
    if (truthPolicy === 'hate') {
      const days = (at - hateV2) / DAY_MS;
      rate(days < 0 ? 'hate:before' : days < 14 ? 'hate:first-two-weeks' : days >= 28 ? 'hate:settled' : 'hate:third-week').add(correct);
    }
    rate(agent.outlier ? `outlier:${agent.outlier}` : 'outlier:none').add(correct);
    rate(`positive:${input.workflow}`).add(truth.labels.length > 0);
    rate('critical').add(truth.labels.some((l) => severities.get(l) === 'critical'));
    if (input.workflow !== 'user_support') {
      rate('score:present').add(input.model_score != null);
      if (input.model_score != null) rate(truth.labels.length > 0 ? 'score:positive' : 'score:negative').add(input.model_score >= 0.5);
    }
    if (!truth.labels.length && input.labels.length) rate(`fp:${agent.outlier ?? 'none'}`).add(true);
    if (truth.labels.length && !input.labels.length) rate(`fn:${agent.outlier ?? 'none'}`).add(true);

    // The QA volume the demo plans would select (quotas: min(quota, that agent-day's decisions)).
    const plan = plans.get(input.workflow)!;
    const placement = placeDecision(plan.definition, plan.seed, {
      decisionId: decisionId(input.source, input.external_id),
      labels: input.labels,
      severity: highestSeverity(input.labels.map((l) => severities.get(l)!)),
      vendorId: vendorId.get(vendor)!,
      siteId: agent.person.siteKey,
      tenureDays: tenure,
      modelScore: input.model_score ?? null,
    });
    if (placement.selectedNow) qaSelected++;
    else if (placement.mode === 'quota') {
      const day = `${input.workflow}|${input.agent}|${new Date(at).toISOString().slice(0, 10)}`;
      quotaCandidates.set(day, (quotaCandidates.get(day) ?? 0) + 1);
    } else if (placement.deferred && placement.u < placement.p!) qaSelected++; // capped strata, caps rarely bind
  }
  for (const [key, n] of quotaCandidates) {
    const [workflow, agent, day] = key.split('|') as [string, string, string];
    const plan = plans.get(workflow)!;
    qaSelected += Math.min(n, quotaForDay(plan.seed, plan.definition.strata.find((s) => s.mode === 'quota')!.quota!, agent, day));
  }
}, 180_000);

describe('generateDemoDecisions: determinism and purity', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the same records for the same seed and day, and others for another seed', () => {
    const first = take(3000, generateDemoDecisions(data, { seed: SEED, today: TODAY }));
    expect(take(3000, generateDemoDecisions(data, { seed: SEED, today: TODAY }))).toEqual(first);
    const other = take(3000, generateDemoDecisions(generateDemoData({ seed: 43, today: TODAY }), { seed: 43, today: TODAY }));
    expect(other.map((r) => r.input.external_id)).not.toEqual(first.map((r) => r.input.external_id));
  });

  it('uses neither the clock nor Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    const now = vi.spyOn(Date, 'now');
    take(5000, generateDemoDecisions(data, { seed: 7, today: TODAY }));
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
  });

  it('only drops records after `until`, changing none before it', () => {
    const all = small();
    const until = new Date(todayMs - 30 * DAY_MS + 5 * 3_600_000).toISOString();
    const cut = small(0.03, until);
    expect(cut.length).toBeGreaterThan(0);
    expect(cut).toEqual(all.filter((r) => Date.parse(r.input.decided_at) <= Date.parse(until)));
  });

  it('regenerates the truth of any decision from its external id', () => {
    const records = small();
    const chosen = records.filter((_, i) => i % 97 === 0);
    const lookup = demoTruthLookup(data, { seed: SEED, today: TODAY, scale: 0.03 }, [...chosen.map((r) => r.input.external_id), 'not-a-demo-id']);
    expect(lookup.size).toBe(chosen.length);
    for (const r of chosen) expect(lookup.get(r.input.external_id)).toEqual({ truth: r.truth, error: r.error });
  });

  it('rejects a bad seed, scale or until', () => {
    expect(() => take(1, generateDemoDecisions(data, { seed: 1.5, today: TODAY }))).toThrow(RangeError);
    expect(() => take(1, generateDemoDecisions(data, { seed: SEED, today: TODAY, scale: -1 }))).toThrow(RangeError);
    expect(() => take(1, generateDemoDecisions(data, { seed: SEED, today: TODAY, until: 'soon' }))).toThrow(RangeError);
    expect(small(0)).toEqual([]);
  });
});

describe('generateDemoDecisions: volume and validity', () => {
  it('yields at least 500,000 decisions over 90 days at scale 1, in decided_at order, ids unique per source', () => {
    expect(total).toBeGreaterThanOrEqual(500_000);
    expect(total).toBeLessThan(700_000);
    expect(ordered).toBe(true);
    expect(uniqueIds).toBe(true);
    // Video and comments carry the volume; support tickets are fewer.
    expect(byWorkflow.get('video_moderation')!).toBeGreaterThan(3 * byWorkflow.get('user_support')!);
    expect(byWorkflow.get('comment_moderation')!).toBeGreaterThan(2 * byWorkflow.get('user_support')!);
  });

  it('gives records that pass checkDecision, with labels and actions of the policy version in force', () => {
    const versions = data.policies.map((p) => ({ key: p.key, versions: p.versions.map((v) => ({ ...v, from: Date.parse(v.effectiveFrom) })) }));
    const workflows = new Map(data.workflows.map((w) => [w.key, w]));
    const inForce = (policyKey: string, at: number) => versions.find((p) => p.key === policyKey)!.versions.filter((v) => v.from <= at).at(-1)!;
    for (const { input, truth } of small()) {
      const checked = checkDecision(input);
      expect(checked.ok, JSON.stringify(checked)).toBe(true);
      const at = Date.parse(input.decided_at);
      const workflow = workflows.get(input.workflow)!;
      for (const labels of [input.labels, truth.labels]) {
        for (const label of labels) {
          const policy = workflow.policyKeys.find((key) => inForce(key, at).labels.some((l) => l.key === label));
          expect(policy, `${label} at ${input.decided_at}`).toBeDefined();
        }
      }
      for (const [labels, action] of [[input.labels, input.action], [truth.labels, truth.action]] as const) {
        if (labels.length > 0) {
          const allowed = labels.some((label) => workflow.policyKeys.some((key) => {
            const version = inForce(key, at);
            return version.labels.some((l) => l.key === label) && version.allowedActions.includes(action);
          }));
          expect(allowed, `${action} for ${labels.join(',')}`).toBe(true);
        } else if (workflow.kind === 'moderation') {
          expect(action).toBe('no_action');
        }
        if (workflow.kind === 'support') expect(['reply_macro', 'escalate_tier2', 'close_no_action']).toContain(action);
      }
      expect(input.source).toBe(workflow.kind === 'support' ? 'helpdesk' : 'modtool');
      if (workflow.key === 'video_moderation') expect(input.content.url).toMatch(/^https:\/\/media\.demo\.assay\.example\/v\/[0-9a-z]+\.mp4$/);
      if (workflow.kind === 'support') expect(input.model_score).toBeNull();
    }
  });

  it('has agents work only on their rostered days, in their site time zone', () => {
    const languages = new Map<string, Map<string, number>>();
    for (const { input } of small()) {
      const agent = profiles.get(input.agent)!;
      const shiftDay = Math.round(Date.parse(`${parseDemoExternalId(input.external_id)!.day}T00:00:00Z`) / DAY_MS);
      expect(shiftDay).toBeGreaterThanOrEqual(agent.productionStart);
      if (agent.lastWorkDay !== null) expect(shiftDay).toBeLessThanOrEqual(agent.lastWorkDay);
      if (agent.leave) expect(shiftDay < agent.leave.from || shiftDay > agent.leave.to).toBe(true);
      expect(agent.restDays).not.toContain((shiftDay + 4) % 7);
      if (agent.site.key === 'manila') expect(input.decided_at.endsWith('+08:00')).toBe(true);
      if (agent.site.key === 'hyderabad') expect(input.decided_at.endsWith('+05:30')).toBe(true);
      // Irish summer time started on 30 March 2025.
      if (agent.site.key === 'dublin') expect(input.decided_at.slice(-6)).toBe(input.decided_at < '2025-03-30' ? '+00:00' : '+01:00');
      const site = languages.get(agent.site.key) ?? new Map<string, number>();
      site.set(input.content.language!, (site.get(input.content.language!) ?? 0) + 1);
      languages.set(agent.site.key, site);
    }
    expect(languages.get('hyderabad')!.get('hi')).toBeGreaterThan(0);
    expect(languages.get('manila')!.get('fil')).toBeGreaterThan(0);
    const bogota = languages.get('bogota')!;
    expect(bogota.get('es')!).toBeGreaterThan(bogota.get('en') ?? 0);
  });
});

describe('generateDemoDecisions: the latent patterns', () => {
  it('marks exactly the decisions that differ from the truth as errors', () => {
    expect(errorMatchesTruth).toBe(true);
  });

  it('has believable base rates: a third of items violate, critical rare but present, scores track the truth', () => {
    expect(rate('positive:video_moderation').value).toBeGreaterThan(0.25);
    expect(rate('positive:video_moderation').value).toBeLessThan(0.45);
    expect(rate('positive:comment_moderation').value).toBeGreaterThan(0.25);
    expect(rate('critical').value).toBeGreaterThan(0.002);
    expect(rate('critical').value).toBeLessThan(0.01);
    expect(rate('score:present').value).toBeCloseTo(0.8, 1);
    expect(rate('score:positive').value).toBeGreaterThan(0.75); // share of positives scored >= 0.5
    expect(rate('score:negative').value).toBeLessThan(0.2);
  });

  it('makes new hires in nesting clearly less accurate than established agents', () => {
    const nesting = rate('tenure:nesting');
    const established = rate('tenure:established');
    expect(nesting.n).toBeGreaterThan(5000);
    expect(established.value - nesting.value).toBeGreaterThan(0.03);
    expect(established.value).toBeGreaterThan(0.92);
  });

  it('makes the in-house team strongest, and one BPO clearly weaker on harassment', () => {
    const inhouse = rate('vendor:inhouse').value;
    for (const vendor of ['coralpoint', 'vayuteq', 'tidewell']) expect(inhouse).toBeGreaterThan(rate(`vendor:${vendor}`).value + 0.01);
    const { vendorKey } = DEMO_DECISION_STORY.weakVendorPolicy;
    for (const other of ['inhouse', 'coralpoint', 'tidewell']) {
      expect(rate(`harassment:${other}`).value - rate(`harassment:${vendorKey}`).value).toBeGreaterThan(0.07);
    }
  });

  it("dips on hate speech for two weeks after its new version, then recovers", () => {
    const before = rate('hate:before').value;
    const dip = rate('hate:first-two-weeks').value;
    const settled = rate('hate:settled').value;
    expect(rate('hate:first-two-weeks').n).toBeGreaterThan(2000);
    expect(before - dip).toBeGreaterThan(0.08);
    expect(Math.abs(settled - before)).toBeLessThan(0.03);
    expect(rate('hate:third-week').value).toBeGreaterThan(dip);
  });

  it('plants an over-enforcer and an under-enforcer who stand out', () => {
    const none = rate('outlier:none').value;
    expect(rate('outlier:over_enforcer').value).toBeLessThan(none - 0.08);
    expect(rate('outlier:under_enforcer').value).toBeLessThan(none - 0.05);
    expect(rate('outlier:rusher').value).toBeLessThan(none - 0.04);
    // Their errors are of their kind: false positives for one, misses for the other.
    const perItem = (key: string, outlier: string) => rate(`${key}:${outlier}`).n / rate(`outlier:${outlier}`).n;
    expect(perItem('fp', 'over_enforcer')).toBeGreaterThan(3 * perItem('fp', 'none'));
    expect(perItem('fn', 'under_enforcer')).toBeGreaterThan(3 * perItem('fn', 'none'));
  });
});

describe('demo sampling plans', () => {
  it('are valid plans with the stories a QA manager would set', () => {
    const plans = demoSamplingPlans(data, { seed: SEED, today: TODAY });
    expect(plans.map((p) => p.workflowKey).sort()).toEqual(data.workflows.map((w) => w.key).sort());
    for (const plan of plans) {
      expect(validatePlanDefinition(plan.definition)).toEqual(plan.definition);
      expect(plan.effectiveFrom).toBe(`${new Date(todayMs - PLAN_DAYS_AGO * DAY_MS).toISOString().slice(0, 10)}T00:00:00Z`);
      const [critical, nesting] = plan.definition.strata;
      expect(critical).toMatchObject({ mode: 'all', when: { positive: true, severities: ['critical'] } });
      expect(nesting).toMatchObject({ mode: 'quota', when: { tenureBands: ['nesting'] }, quota: { perAgent: 20, period: 'week' } });
      const baseline = plan.definition.strata.at(-1)!;
      expect(baseline).toMatchObject({ mode: 'rate', when: {}, stratifyBy: ['vendor', 'severity'] });
      expect(baseline.rate).toBeGreaterThanOrEqual(0.01);
      expect(baseline.rate).toBeLessThanOrEqual(0.03);
    }
    expect(demoPlanDefinition('video_moderation').riskWeights).toContainEqual({ when: { modelScoreBands: ['uncertain'] }, weight: 2 });
    expect(demoPlanDefinition('comment_moderation').strata.some((s) => s.dailyCap)).toBe(true);
  });

  it('select a believable QA volume: 2-4% of decisions', () => {
    expect(qaSelected / total).toBeGreaterThan(0.02);
    expect(qaSelected / total).toBeLessThan(0.04);
  });
});
