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
  // Actions are addressed by key and have no page of their own: search the catalogue.
  if (entityType === 'action') return `/actions?q=${encodeURIComponent(entityId)}`;
  const base = ENTITY_ROUTES[entityType];
  return base ? `${base}/${encodeURIComponent(entityId)}` : null;
}

const ENTITY_LABELS: Record<string, string> = {
  user: 'User',
  api_token: 'API token',
  vendor: 'Vendor',
  site: 'Site',
  team: 'Team',
  person: 'Person',
  workflow: 'Workflow',
  policy: 'Policy',
  action: 'Action',
};

/** "api_token" -> "API token"; unknown types are humanised. */
export function entityTypeLabel(entityType: string): string {
  if (ENTITY_LABELS[entityType]) return ENTITY_LABELS[entityType];
  const text = entityType.replace(/[._]/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID cut to its first block ("f9f68a4e…"); other ids (action keys) stay whole. */
export function shortId(id: string): string {
  return UUID.test(id) ? `${id.slice(0, 8)}…` : id;
}

/** A name the entry itself records for its entity (create events carry one). */
export function nameFromDetails(details: Record<string, unknown> | null | undefined): string | null {
  if (!details) return null;
  for (const key of ['name', 'fullName', 'displayName', 'email']) {
    const value = details[key];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return null;
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

export const KNOWN_ENTITY_TYPES = ['user', 'api_token', 'vendor', 'site', 'team', 'person', 'workflow', 'policy', 'action'];
