import { useParams } from 'react-router-dom';
import { Badge, Button, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { useUpdateVendor, useVendor } from '../../../api/org';
import { useCan } from '../../../auth/session';
import { DetailList } from '../../../components/DetailList';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { StatusToggleButton } from '../../../components/StatusToggleButton';
import { formatDateTime, formatNumber } from '../../../lib/format';
import { SitesTable } from '../sites/SitesTable';
import { VendorFormModal } from './VendorFormModal';

export function VendorDetailPage() {
  const { vendorId } = useParams();
  const can = useCan();
  const vendor = useVendor(vendorId);
  const update = useUpdateVendor();
  const [editOpened, edit] = useDisclosure(false);

  if (vendor.isPending) return <LoadingState label="Loading vendor" />;
  if (isNotFound(vendor.error)) return <NotFoundState what="vendor" backTo="/vendors" backLabel="Back to the list" />;
  if (vendor.isError) return <ErrorState error={vendor.error} onRetry={() => void vendor.refetch()} />;
  const v = vendor.data;

  return (
    <>
      <PageHeader
        title={v.name}
        eyebrow={v.isInHouse ? 'In-house team' : 'Vendor'}
        badges={
          <>
            <StatusBadge status={v.status} />
            {v.isInHouse && <Badge color="violet">In-house</Badge>}
          </>
        }
        actions={
          can('org.write') && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
                Edit
              </Button>
              <StatusToggleButton
                noun="vendor"
                name={v.name}
                status={v.status}
                consequence="Its sites, teams and people stay on record; new work should not be assigned to it."
                onChange={(status) => update.mutateAsync({ id: v.id, body: { status } })}
              />
            </>
          )
        }
      />
      <Stack gap="lg">
        <Paper withBorder p="md" radius="md">
          <DetailList
            cols={4}
            items={[
              { label: 'Code', value: v.code },
              { label: 'Type', value: v.isInHouse ? 'In-house' : 'Outsourced (BPO)' },
              { label: 'Sites', value: formatNumber(v.siteCount) },
              { label: 'People', value: formatNumber(v.peopleCount) },
              { label: 'Created', value: formatDateTime(v.createdAt) },
              { label: 'Last updated', value: formatDateTime(v.updatedAt) },
            ]}
          />
        </Paper>
        <section aria-labelledby="vendor-sites-heading">
          <Title order={2} size="h3" id="vendor-sites-heading" mb="sm">
            Sites
          </Title>
          <SitesTable vendorId={v.id} />
        </section>
      </Stack>
      <VendorFormModal opened={editOpened} onClose={edit.close} vendor={v} />
    </>
  );
}
