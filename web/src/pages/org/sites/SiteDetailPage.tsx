import { Link, useParams } from 'react-router-dom';
import { Anchor, Button, Paper, Stack, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPencil } from '@tabler/icons-react';
import { isNotFound } from '../../../api/client';
import { useSite, useUpdateSite } from '../../../api/org';
import { useCan } from '../../../auth/session';
import { DetailList } from '../../../components/DetailList';
import { PageHeader } from '../../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../../components/States';
import { StatusBadge } from '../../../components/StatusBadge';
import { StatusToggleButton } from '../../../components/StatusToggleButton';
import { countryName, formatDateTime, formatNumber, localTimeIn } from '../../../lib/format';
import { useNow } from '../../../lib/useNow';
import { TeamsTable } from '../teams/TeamsTable';
import { SiteFormModal } from './SiteFormModal';

export function SiteDetailPage() {
  const { siteId } = useParams();
  const can = useCan();
  const now = useNow();
  const site = useSite(siteId);
  const update = useUpdateSite();
  const [editOpened, edit] = useDisclosure(false);

  if (site.isPending) return <LoadingState label="Loading site" />;
  if (isNotFound(site.error)) return <NotFoundState what="site" backTo="/sites" backLabel="Back to the list" />;
  if (site.isError) return <ErrorState error={site.error} onRetry={() => void site.refetch()} />;
  const s = site.data;

  return (
    <>
      <PageHeader
        title={s.name}
        eyebrow="Site"
        crumbs={[{ label: s.vendorName, to: `/vendors/${s.vendorId}` }]}
        badges={<StatusBadge status={s.status} />}
        actions={
          can('org.write') && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} aria-hidden="true" />} onClick={edit.open}>
                Edit
              </Button>
              <StatusToggleButton
                noun="site"
                name={s.name}
                status={s.status}
                onChange={(status) => update.mutateAsync({ id: s.id, body: { status } })}
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
              {
                label: 'Vendor',
                value: (
                  <Anchor component={Link} to={`/vendors/${s.vendorId}`} size="sm">
                    {s.vendorName}
                  </Anchor>
                ),
              },
              { label: 'Country', value: `${countryName(s.countryCode)} (${s.countryCode})` },
              { label: 'Time zone', value: s.timeZone },
              { label: 'Local time now', value: localTimeIn(s.timeZone, now) },
              { label: 'Teams', value: formatNumber(s.teamCount) },
              { label: 'People', value: formatNumber(s.peopleCount) },
              { label: 'Created', value: formatDateTime(s.createdAt) },
              { label: 'Last updated', value: formatDateTime(s.updatedAt) },
            ]}
          />
        </Paper>
        <section aria-labelledby="site-teams-heading">
          <Title order={2} size="h3" id="site-teams-heading" mb="sm">
            Teams
          </Title>
          <TeamsTable siteId={s.id} />
        </section>
      </Stack>
      <SiteFormModal opened={editOpened} onClose={edit.close} site={s} />
    </>
  );
}
