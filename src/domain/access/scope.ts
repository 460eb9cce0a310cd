/**
 * Scope: the slice of the organisation a user may see. Kinds nest
 * all > vendor > site > team > self. A scope is stored as a kind and the id of
 * the row it names (vendor, site, team or person); at request time it is
 * resolved to the full chain so the database can filter on any level.
 */

export const SCOPE_KINDS = ['all', 'vendor', 'site', 'team', 'self'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const SCOPE_LABELS: Record<ScopeKind, string> = {
  all: 'Everything',
  vendor: 'One vendor',
  site: 'One site',
  team: 'One team',
  self: 'Own records only',
};

/** A scope resolved to every level above its target. */
export interface ResolvedScope {
  kind: ScopeKind;
  vendorId: string | null;
  siteId: string | null;
  teamId: string | null;
  personId: string | null;
}

export const UNRESTRICTED: ResolvedScope = {
  kind: 'all',
  vendorId: null,
  siteId: null,
  teamId: null,
  personId: null,
};

export function isScopeKind(value: unknown): value is ScopeKind {
  return typeof value === 'string' && (SCOPE_KINDS as readonly string[]).includes(value);
}
