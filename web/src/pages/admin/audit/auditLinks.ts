/** Where an audited entity lives in the UI, when it has a page. */
const ENTITY_ROUTES: Record<string, string> = {
  vendor: '/vendors',
  site: '/sites',
  team: '/teams',
  person: '/people',
  workflow: '/workflows',
  policy: '/policies',
  user: '/users',
};

export function entityHref(entityType: string | null, entityId: string | null): string | null {
  if (!entityType || !entityId) return null;
  const base = ENTITY_ROUTES[entityType];
  return base ? `${base}/${encodeURIComponent(entityId)}` : null;
}

export const KNOWN_ACTIONS = [
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'user.create',
  'user.update',
  'user.role_change',
  'user.scope_change',
  'user.disable',
  'token.create',
  'token.revoke',
  'vendor.create',
  'vendor.update',
  'site.create',
  'site.update',
  'team.create',
  'team.update',
  'person.create',
  'person.update',
  'workflow.create',
  'workflow.update',
  'policy.create',
  'policy.update',
  'policy.version_create',
  'action.create',
  'action.update',
  'export.download',
];

export const KNOWN_ENTITY_TYPES = ['user', 'token', 'vendor', 'site', 'team', 'person', 'workflow', 'policy', 'action'];
