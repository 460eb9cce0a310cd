import { useState } from 'react';
import { Badge, Button, Code, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { useRevokeToken, useTokens } from '../../../api/admin';
import { errorMessage } from '../../../api/client';
import type { ApiToken } from '../../../api/types';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { formatDateTime } from '../../../lib/format';
import { CreateTokenModal } from './CreateTokenModal';

function tokenState(token: ApiToken): { label: string; color: string; usable: boolean } {
  if (token.revokedAt) return { label: 'Revoked', color: 'red', usable: false };
  if (token.expiresAt && new Date(token.expiresAt) <= new Date()) return { label: 'Expired', color: 'orange', usable: false };
  return { label: 'Active', color: 'green', usable: true };
}

export function TokensPage() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  const [createOpened, createModal] = useDisclosure(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `Token “${revoking.name}” revoked.` });
        setRevoking(null);
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not revoke token', message: errorMessage(error) }),
    });
  };

  const columns: Column<ApiToken>[] = [
    { key: 'name', header: 'Name', render: (t) => <Text size="sm" fw={500}>{t.name}</Text> },
    { key: 'prefix', header: 'Starts with', nowrap: true, render: (t) => <Code>{t.prefix}…</Code> },
    {
      key: 'state',
      header: 'Status',
      nowrap: true,
      render: (t) => {
        const state = tokenState(t);
        return <Badge color={state.color}>{state.label}</Badge>;
      },
    },
    { key: 'created', header: 'Created', nowrap: true, render: (t) => formatDateTime(t.createdAt) },
    { key: 'lastUsed', header: 'Last used', nowrap: true, render: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never') },
    { key: 'expires', header: 'Expires', nowrap: true, render: (t) => (t.expiresAt ? formatDateTime(t.expiresAt) : 'Never') },
    {
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (t) =>
        tokenState(t).usable ? (
          <Button size="xs" variant="light" color="red" onClick={() => setRevoking(t)} aria-label={`Revoke ${t.name}`}>
            Revoke
          </Button>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Personal tokens for scripts and BI tools. A token acts as you, with your role and scope; revoke it when it is no longer needed."
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={createModal.open}>
            New token
          </Button>
        }
      />
      <ListTable
        caption="Your API tokens"
        columns={columns}
        rows={tokens.data?.items}
        rowKey={(t) => t.id}
        isPending={tokens.isPending}
        error={tokens.error}
        onRetry={() => void tokens.refetch()}
        empty={<EmptyMessage title="You have no API tokens" description="Create one to call the Assay API from a script." />}
      />
      <CreateTokenModal opened={createOpened} onClose={createModal.close} />
      <ConfirmDialog
        opened={revoking !== null}
        title="Revoke token?"
        confirmLabel="Revoke token"
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      >
        Anything using “{revoking?.name}” will stop working immediately. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
