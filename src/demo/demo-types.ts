/**
 * Shapes of the demo data set. Plain data keyed by stable, human-readable keys;
 * every row that the database stores with a uuid also carries a deterministic id
 * (see demoUuid). Re-exported from demo-data.ts.
 */

export interface DemoOptions {
  seed: number;
  /** 'YYYY-MM-DD': the reference date. Hire dates and policy versions are relative to it. */
  today: string;
}

export type DemoSeverity = 'critical' | 'high' | 'medium' | 'low';
export type DemoWorkflowKind = 'moderation' | 'support';
export type DemoJobRole =
  | 'agent'
  | 'qa_specialist'
  | 'qa_lead'
  | 'trainer'
  | 'manager'
  | 'policy_sme'
  | 'analyst';
export type DemoPersonStatus = 'active' | 'on_leave' | 'inactive';
export type DemoUserRole =
  | 'admin'
  | 'quality_manager'
  | 'qa_lead'
  | 'qa_specialist'
  | 'trainer'
  | 'vendor_manager'
  | 'agent'
  | 'policy_sme'
  | 'analyst';
export type DemoScopeKind = 'all' | 'vendor' | 'site' | 'team' | 'self';

export interface DemoAction {
  key: string;
  name: string;
  description: string;
}

export interface DemoWorkflow {
  id: string;
  key: string;
  name: string;
  kind: DemoWorkflowKind;
  description: string;
  policyKeys: string[];
}

export interface DemoPolicyLabel {
  /** Globally unique, namespaced by policy: 'hate.slur'. Stable across versions of a policy. */
  key: string;
  name: string;
  severity: DemoSeverity;
  description: string;
}

export interface DemoPolicyVersion {
  id: string;
  version: number;
  /** ISO datetime in UTC, e.g. '2024-05-01T00:00:00Z'. */
  effectiveFrom: string;
  summary: string;
  labels: DemoPolicyLabel[];
  /** Keys into DemoData.actions. */
  allowedActions: string[];
}

export interface DemoPolicy {
  id: string;
  key: string;
  name: string;
  description: string;
  /** Ascending by version. */
  versions: DemoPolicyVersion[];
}

export interface DemoVendor {
  id: string;
  key: string;
  name: string;
  code: string;
  isInHouse: boolean;
}

export interface DemoSite {
  id: string;
  key: string;
  vendorKey: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** IANA time zone. */
  timeZone: string;
}

export interface DemoTeam {
  id: string;
  key: string;
  siteKey: string;
  name: string;
  workflowKey: string;
}

export interface DemoPerson {
  id: string;
  key: string;
  siteKey: string;
  /** Agents and QA specialists sit on a team; trainers, leads, managers, SMEs and analysts do not. */
  teamKey: string | null;
  fullName: string;
  email: string;
  /** Unique per vendor, e.g. 'CPS-004213'. */
  employeeRef: string;
  jobRole: DemoJobRole;
  /** 'YYYY-MM-DD', never after DemoOptions.today. */
  hireDate: string;
  /** BCP 47 tags, first is the person's first language. */
  languages: string[];
  workflowKeys: string[];
  status: DemoPersonStatus;
}

export interface DemoUserScope {
  kind: DemoScopeKind;
  /** Key of the vendor / site / team / person the scope names; null for 'all'. */
  refKey: string | null;
}

export interface DemoUser {
  id: string;
  key: string;
  email: string;
  displayName: string;
  role: DemoUserRole;
  scope: DemoUserScope;
  personKey: string | null;
}

export interface DemoData {
  actions: DemoAction[];
  workflows: DemoWorkflow[];
  policies: DemoPolicy[];
  vendors: DemoVendor[];
  sites: DemoSite[];
  teams: DemoTeam[];
  people: DemoPerson[];
  users: DemoUser[];
}
