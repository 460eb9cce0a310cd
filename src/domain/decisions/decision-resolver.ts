import type { AgentDirectoryRow, PolicyCatalogueRows } from '../../db/repositories/decision-catalogue.repository.ts';
import type { CheckedDecision, LineIssue } from './decision-input.ts';

/**
 * Resolves a checked decision's references against the catalogue: workflow,
 * agent (id, employee reference or email), labels and action, each judged
 * against the policy version in force at decided_at. Pure: the catalogue is
 * read once per import (decision-catalogue.repository.ts).
 */

type Severity = 'critical' | 'high' | 'medium' | 'low';
const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;

interface VersionInfo {
  id: string;
  policyKey: string;
  version: number;
  effectiveFrom: number;
  labels: Map<string, Severity>;
  actions: Set<string>;
}

interface Agent {
  id: string;
  vendorId: string;
  siteId: string;
  teamId: string | null;
  hireDay: number;
}

export interface ResolvedDecision {
  workflowId: string;
  agent: Agent;
  decidedDay: string;
  tenureDays: number;
  policyVersionIds: string[];
  severity: Severity | null;
  labelSeverity: Map<string, Severity>;
}

export interface DecisionResolver {
  resolve(decision: CheckedDecision): { ok: true; value: ResolvedDecision } | { ok: false; issues: LineIssue[] };
}

function dayNumber(isoDay: string): number {
  return Date.parse(`${isoDay}T00:00:00Z`) / DAY_MS;
}

export function buildDecisionResolver(catalogue: PolicyCatalogueRows, agents: AgentDirectoryRow[]): DecisionResolver {
  const workflowByRef = new Map<string, { id: string; key: string; active: boolean }>();
  for (const w of catalogue.workflows) {
    const entry = { id: w.id, key: w.key, active: w.status === 'active' };
    workflowByRef.set(w.key, entry);
    workflowByRef.set(w.id, entry);
  }
  const activeActions = new Set(catalogue.actions.filter((a) => a.status === 'active').map((a) => a.key));
  const labelsByVersion = new Map<string, Map<string, Severity>>();
  for (const l of catalogue.labels) {
    let map = labelsByVersion.get(l.policy_version_id);
    if (!map) labelsByVersion.set(l.policy_version_id, (map = new Map()));
    map.set(l.key, l.severity);
  }
  const actionsByVersion = new Map<string, Set<string>>();
  for (const a of catalogue.versionActions) {
    let set = actionsByVersion.get(a.policy_version_id);
    if (!set) actionsByVersion.set(a.policy_version_id, (set = new Set()));
    set.add(a.action_key);
  }
  // Per policy, versions ascending by effective date.
  const versionsByPolicy = new Map<string, VersionInfo[]>();
  for (const v of catalogue.versions) {
    let list = versionsByPolicy.get(v.policy_id);
    if (!list) versionsByPolicy.set(v.policy_id, (list = []));
    list.push({
      id: v.id,
      policyKey: v.policy_key,
      version: v.version,
      effectiveFrom: new Date(v.effective_from).getTime(),
      labels: labelsByVersion.get(v.id) ?? new Map(),
      actions: actionsByVersion.get(v.id) ?? new Set(),
    });
  }
  // Per workflow, label key -> the policies (usually one) whose versions ever had it.
  const labelPolicies = new Map<string, Map<string, string[]>>();
  for (const link of catalogue.links) {
    let byLabel = labelPolicies.get(link.workflow_id);
    if (!byLabel) labelPolicies.set(link.workflow_id, (byLabel = new Map()));
    for (const version of versionsByPolicy.get(link.policy_id) ?? []) {
      for (const key of version.labels.keys()) {
        const list = byLabel.get(key) ?? [];
        if (!list.includes(link.policy_id)) list.push(link.policy_id);
        byLabel.set(key, list);
      }
    }
  }

  const agentById = new Map<string, Agent>();
  const agentByRef = new Map<string, Agent | 'ambiguous'>();
  const agentByEmail = new Map<string, Agent | 'ambiguous'>();
  for (const row of agents) {
    const agent: Agent = { id: row.id, vendorId: row.vendor_id, siteId: row.site_id, teamId: row.team_id, hireDay: dayNumber(row.hire_date) };
    agentById.set(row.id, agent);
    // Employee references are unique per vendor only: a reference shared by two vendors in scope is ambiguous.
    if (row.employee_ref) agentByRef.set(row.employee_ref, agentByRef.has(row.employee_ref) ? 'ambiguous' : agent);
    if (row.email) {
      const email = row.email.toLowerCase();
      agentByEmail.set(email, agentByEmail.has(email) ? 'ambiguous' : agent);
    }
  }

  function inForce(policyId: string, at: number): VersionInfo | null {
    const versions = versionsByPolicy.get(policyId) ?? [];
    let found: VersionInfo | null = null;
    for (const v of versions) {
      if (v.effectiveFrom <= at) found = v;
      else break;
    }
    return found;
  }

  function findAgent(ref: string): Agent | 'ambiguous' | undefined {
    if (UUID.test(ref)) return agentById.get(ref.toLowerCase());
    return agentByRef.get(ref) ?? agentByEmail.get(ref.toLowerCase());
  }

  return {
    resolve({ input, decidedAt }) {
      const issues: LineIssue[] = [];
      const workflow = workflowByRef.get(input.workflow);
      if (!workflow) issues.push({ field: 'workflow', message: `No workflow "${input.workflow}".` });
      else if (!workflow.active) issues.push({ field: 'workflow', message: `Workflow "${workflow.key}" is inactive.` });
      const agent = findAgent(input.agent);
      if (agent === 'ambiguous') issues.push({ field: 'agent', message: 'Matches people at more than one vendor; send the person id.' });
      else if (!agent) issues.push({ field: 'agent', message: 'No person in your scope with this id, employee reference or email.' });
      const at = decidedAt.getTime();
      const decidedDay = decidedAt.toISOString().slice(0, 10);
      const tenureDays = agent && agent !== 'ambiguous' ? Math.floor(at / DAY_MS) - agent.hireDay : 0;
      if (agent && agent !== 'ambiguous' && tenureDays < 0) {
        issues.push({ field: 'decided_at', message: "Is before the agent's hire date." });
      }
      const versions = new Map<string, VersionInfo>();
      const labelSeverity = new Map<string, Severity>();
      if (workflow) {
        const byLabel = labelPolicies.get(workflow.id) ?? new Map<string, string[]>();
        for (const label of input.labels) {
          const policies = byLabel.get(label);
          if (!policies) {
            issues.push({ field: 'labels', message: `"${label}" is not a label of the policies of workflow "${workflow.key}".` });
            continue;
          }
          const version = policies.map((p) => inForce(p, at)).find((v) => v?.labels.has(label));
          if (!version) {
            const current = inForce(policies[0]!, at);
            issues.push({
              field: 'labels',
              message: current
                ? `"${label}" is not in ${current.policyKey} v${current.version}, the version in force at ${decidedAt.toISOString()}.`
                : `No version of the policy for "${label}" was in force at ${decidedAt.toISOString()}.`,
            });
            continue;
          }
          versions.set(version.id, version);
          labelSeverity.set(label, version.labels.get(label)!);
        }
      }
      if (!activeActions.has(input.action)) {
        issues.push({ field: 'action', message: `No active enforcement action "${input.action}".` });
      } else if (versions.size > 0 && ![...versions.values()].some((v) => v.actions.has(input.action))) {
        const names = [...versions.values()].map((v) => `${v.policyKey} v${v.version}`).join(', ');
        issues.push({ field: 'action', message: `"${input.action}" is not allowed by ${names}.` });
      }
      if (issues.length > 0 || !workflow || !agent || agent === 'ambiguous') return { ok: false, issues };
      let severity: Severity | null = null;
      for (const s of labelSeverity.values()) if (severity === null || RANK[s] > RANK[severity]) severity = s;
      return {
        ok: true,
        value: {
          workflowId: workflow.id,
          agent,
          decidedDay,
          tenureDays,
          policyVersionIds: [...versions.keys()].sort(),
          severity,
          labelSeverity,
        },
      };
    },
  };
}
