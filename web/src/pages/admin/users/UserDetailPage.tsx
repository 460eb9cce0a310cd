import { Link, useParams } from 'react-router-dom';
import { Anchor, Badge, Button, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { ROLE_LABELS, ROLE_PERMISSIONS, PERMISSION_LABELS, PERMISSIONS } from '../../../../../src/domain/access/roles.ts';
import { useUser } from '../../../api/admin';
import { isNotFound } from '../../../api/client';
import { DetailList, Email } from '../../../components/DetailList';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { formatDateTime } from '../../../lib/format';
import { UserFormModal } from './UserFormModal';

export function UserDetailPage() {
  const { userId } = useParams();
  const user = useUser(userId);
  const [editOpened, edit] = useDisclosure(false);

  if (user.isPending) return <LoadingState label="Loading user" />;
  if (isNotFound(user.error)) return <NotFoundState what="user" backTo="/users" backLabel="Back to the list" />;
  if (user.isError) return <ErrorState error={user.error} onRetry={() => void user.refetch()} />;
  const u = user.data;
  const granted = ROLE_PERMISSIONS[u.role];
  const permissions = PERMISSIONS.filter((p) => granted?.has(p));

  return (
    <>
      <PageHeader
        title={u.displayName}
        eyebrow="User"
        badges={
          <>
            <Badge color="blue">{ROLE_LABELS[u.role] ?? u.role}</Badge>
            <StatusBadge status={u.status} />
          </>
        }
        actions={
          <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
            Edit
          </Button>
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            cols={3}
            items={[
              { label: 'Email', value: <Email address={u.email} /> },
              // The server's label already names the kind: "Tidewell CX Partners (vendor)", "Everything".
              { label: 'Scope', value: u.scope.label },
              {
                label: 'Linked person',
                value: u.personId ? (
                  <Anchor component={Link} to={`/people/${u.personId}`} size="sm">
                    Open person record
                  </Anchor>
                ) : (
                  'None'
                ),
              },
              { label: 'Last sign-in', value: u.lastSignInAt ? formatDateTime(u.lastSignInAt) : 'Never' },
              { label: 'Created', value: formatDateTime(u.createdAt) },
              {
                label: 'Activity',
                value: (
                  <Anchor component={Link} to={`/audit?actorUserId=${u.id}`} size="sm">
                    Show what this user did
                  </Anchor>
                ),
              },
            ]}
          />
        </Paper>
        <section aria-labelledby="user-permissions-heading">
          <Title order={2} size="h3" id="user-permissions-heading" mb="sm">
            What the role allows
          </Title>
          <ListTable
            caption={`Permissions of the ${ROLE_LABELS[u.role] ?? u.role} role`}
            columns={[
              { key: 'permission', header: 'Permission', render: (p) => <code>{p}</code> },
              { key: 'meaning', header: 'Meaning', render: (p) => PERMISSION_LABELS[p] },
            ]}
            rows={permissions}
            rowKey={(p) => p}
            isPending={false}
            empty={<EmptyMessage title="This role has no permissions" />}
          />
        </section>
      </Stack>
      <UserFormModal opened={editOpened} onClose={edit.close} user={u} />
    </>
  );
}
