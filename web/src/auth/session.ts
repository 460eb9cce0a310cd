/** Access to the signed-in session from anywhere under <RequireAuth>. */
import { useSessionQuery } from '../api/auth';
import type { Permission, Session } from '../api/types';

export function useSession(): Session {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useSession() used outside <RequireAuth>');
  return data;
}

/** `can('org.write')` is true when the session has that permission. */
export function useCan(): (permission: Permission) => boolean {
  const { data } = useSessionQuery();
  const permissions = new Set<string>(data?.permissions ?? []);
  return (permission) => permissions.has(permission);
}

/**
 * True when the viewer's scope spans vendors (scope "all"). Every narrower
 * scope (a vendor, site, team or own record) lies inside one vendor, so a
 * vendor column or filter would repeat the same name on every row.
 */
export function useSeesAllVendors(): boolean {
  const { data } = useSessionQuery();
  return data?.user.scope.kind === 'all';
}
