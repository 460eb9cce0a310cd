import { useState } from 'react';
import { Badge, Button, Code, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconPlus } from '@tabler/icons-react';
import { errorMessage } from '../../../api/client';
import { useRevokeXapiCredential, useXapiCredentials, type XapiCredential } from '../../../api/xapi';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { EmptyMessage, ListTable, type Column } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { formatDateTime } from '../../../lib/format';
import { CreateXapiCredentialModal } from './CreateXapiCredentialModal';
import { XapiStatementsPanel } from './XapiStatementsPanel';
import { XapiTrainingLinksPanel } from './XapiTrainingLinksPanel';

const ACCESS_LABEL: Record<XapiCredential['access'], string> = { read: 'Read', write: 'Write', read_write: 'Read and write' };

/** xAPI credentials: one per learning tool that sends records to (or reads them from) Assay's LRS. */
export function XapiCredentialsPage() {
  const credentials = useXapiCredentials();
  const revoke = useRevokeXapiCredential();
  const [createOpened, createModal] = useDisclosure(false);
  const [revoking, setRevoking] = useState<XapiCredential | null>(null);

  const confirmRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, {
      onSuccess: () => {
        notifications.show({ color: 'green', message: `Credential “${revoking.name}” revoked.` });
        setRevoking(null);
      },
      onError: (error) => notifications.show({ color: 'red', title: 'Could not revoke the credential', message: errorMessage(error) }),
    });
  };

  const columns: Column<XapiCredential>[] = [
    { key: 'name', header: 'Integration', render: (c) => <Text size="sm" fw={500}>{c.name}</Text> },
    { key: 'key', header: 'Key', nowrap: true, render: (c) => <Code>{c.key}</Code> },
    { key: 'scope', header: 'Records of', render: (c) => c.vendorName ?? 'Whole organisation' },
    { key: 'access', header: 'Access', nowrap: true, render: (c) => ACCESS_LABEL[c.access] },
    { key: 'state', header: 'Status', nowrap: true, render: (c) => (c.revokedAt ? <Badge color="red">Revoked</Badge> : <Badge color="green">Active</Badge>) },
    { key: 'created', header: 'Created', nowrap: true, render: (c) => formatDateTime(c.createdAt) },
    { key: 'lastUsed', header: 'Last used', nowrap: true, render: (c) => (c.lastUsedAt ? formatDateTime(c.lastUsedAt) : 'Never') },
    {
      key: 'actions',
      header: 'Actions',
      nowrap: true,
      render: (c) =>
        c.revokedAt ? null : (
          <Button size="xs" variant="light" color="red" onClick={() => setRevoking(c)} aria-label={`Revoke ${c.name}`}>
            Revoke
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="xAPI credentials"
        description={
          <>
            Learning tools (vendor LMSs, e-learning packages) send training records to Assay&apos;s Learning Record Store at{' '}
            <Code>{`${window.location.origin}/xapi`}</Code> with one of these Basic-auth credentials (xAPI 1.0.3 and 2.0.0). A vendor
            credential writes and reads only that vendor&apos;s records.
          </>
        }
        actions={
          <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={createModal.open}>
            New credential
          </Button>
        }
      />
      <ListTable
        caption="xAPI credentials"
        columns={columns}
        rows={credentials.data?.items}
        rowKey={(c) => c.id}
        isPending={credentials.isPending}
        error={credentials.error}
        onRetry={() => void credentials.refetch()}
        empty={<EmptyMessage title="No xAPI credentials yet" description="Create one for each learning tool that should send records to Assay." />}
      />
      <XapiStatementsPanel />
      <XapiTrainingLinksPanel />
      <CreateXapiCredentialModal opened={createOpened} onClose={createModal.close} />
      <ConfirmDialog
        opened={revoking !== null}
        title="Revoke credential?"
        confirmLabel="Revoke credential"
        loading={revoke.isPending}
        onConfirm={confirmRevoke}
        onCancel={() => setRevoking(null)}
      >
        “{revoking?.name}” will be refused from its next request. Statements it already stored stay in the LRS. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
