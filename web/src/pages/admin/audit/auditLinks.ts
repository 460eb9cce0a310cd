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

/** Suggestions for the action filter; a prefix ending in "." (e.g. "user.") matches a family. */
export const KNOWN_ACTIONS = [
  'auth.',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_in_refused',
  'auth.sign_out',
  'setup.complete',
  'user.',
  'user.create',
  'user.update',
  'user.role_change',
  'user.scope_change',
  'user.password_change',
  'user.disable',
  'user.enable',
  'token.create',
  'token.revoke',
  'vendor.',
  'site.',
  'team.',
  'person.',
  'workflow.',
  'policy.',
  'policy.version_create',
  'action.',
  'export.download',
];

export const KNOWN_ENTITY_TYPES = ['user', 'token', 'vendor', 'site', 'team', 'person', 'workflow', 'policy', 'action'];
