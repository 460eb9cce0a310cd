import { useState } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Button, Group, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useSites } from '../../../api/org';
import type { Site } from '../../../api/types';
import { useCan } from '../../../auth/session';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { useNow } from '../../../lib/useNow';
import { SiteFormModal } from './SiteFormModal';
import { siteColumns } from './siteColumns';

const EMBED_LIMIT = 100;

/** The sites of one vendor, embedded in the vendor page. */
export function SitesTable({ vendorId }: { vendorId: string }) {
  const can = useCan();
  const now = useNow();
  const sites = useSites({ vendorId, limit: EMBED_LIMIT });
  const [modal, setModal] = useState<{ open: boolean; site?: Site }>({ open: false });
  const canWrite = can('org.write');
  const total = sites.data?.total ?? 0;

  return (
    <>
      {canWrite && (
        <Group justify="flex-end" mb="sm">
          <Button variant="light" leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={() => setModal({ open: true })}>
            Add site
          </Button>
        </Group>
      )}
      <ListTable
        caption="Sites of this vendor"
        columns={siteColumns({ showVendor: false, now, onEdit: canWrite ? (site) => setModal({ open: true, site }) : undefined })}
        rows={sites.data?.items}
        rowKey={(s) => s.id}
        isPending={sites.isPending}
        error={sites.error}
        onRetry={() => void sites.refetch()}
        empty={<EmptyMessage title="This vendor has no sites yet" />}
        footer={
          total > EMBED_LIMIT && (
            <Text size="sm" p="sm">
              Showing {EMBED_LIMIT} of {total}.{' '}
              <Anchor component={Link} to={`/sites?vendorId=${vendorId}`}>
                Show the full list
              </Anchor>
            </Text>
          )
        }
      />
      <SiteFormModal
        opened={modal.open}
        onClose={() => setModal((m) => ({ ...m, open: false }))}
        site={modal.site}
        vendorId={vendorId}
      />
    </>
  );
}
