import type { ReactNode } from 'react';
import { IconLock } from '@tabler/icons-react';
import { EmptyState } from '@mantine/core';
import type { Permission } from '../api/types';
import { usePageTitle } from '../components/usePageTitle';
import { useCan } from './session';

function Forbidden() {
  usePageTitle('No access');
  return (
    <EmptyState
      mt="xl"
      icon={<IconLock aria-hidden="true" />}
      title={<h1 style={{ margin: 0, fontSize: 'inherit' }}>You do not have access to this page</h1>}
      description="Your role does not include this area of Assay. Ask an administrator if you need it."
    />
  );
}

/** Shows the page only when the session has `permission` (the server checks too). */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const can = useCan();
  return can(permission) ? <>{children}</> : <Forbidden />;
}
