import { Button, Group, Select } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { usePeople } from '../../../api/org';
import { JOB_ROLES, JOB_ROLE_LABELS, PERSON_STATUS_LABELS, type PersonStatus } from '../../../api/types';
import { useCan, useSeesAllVendors } from '../../../auth/session';
import { SiteSelect, TeamSelect, VendorSelect, WorkflowSelect } from '../../../components/EntityPickers';
import { StatusFilter } from '../../../components/FilterSelects';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { PageHeader } from '../../../components/PageHeader';
import { SearchInput } from '../../../components/SearchInput';
import { useUrlFilters } from '../../../lib/useUrlFilters';
import { PersonFormModal } from './PersonFormModal';
import { peopleColumns } from './peopleColumns';

const FILTERS = ['q', 'vendorId', 'siteId', 'teamId', 'jobRole', 'workflowId', 'status'] as const;
const JOB_ROLE_OPTIONS = JOB_ROLES.map((value) => ({ value, label: JOB_ROLE_LABELS[value] }));
const STATUS_OPTIONS = (Object.keys(PERSON_STATUS_LABELS) as PersonStatus[]).map((value) => ({
  value,
  label: PERSON_STATUS_LABELS[value],
}));
const FILTER_WIDTH = { base: '100%', sm: 190 };

export function PeoplePage() {
  const can = useCan();
  const canWrite = can('org.write');
  const seesAllVendors = useSeesAllVendors();
  const { filters, setFilter, setFilters, query, offset, setOffset, limit } = useUrlFilters(FILTERS);
  const people = usePeople(query);
  const [formOpened, form] = useDisclosure(false);
  const filtered = FILTERS.some((key) => filters[key]);

  return (
    <>
      <PageHeader
        title="People"
        description="Agents, QA specialists, trainers and everyone else whose work Assay measures or who does the measuring."
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} aria-hidden="true" />} onClick={form.open}>
              New person
            </Button>
          )
        }
      />
      <Group mb="md" align="flex-end" gap="sm">
        <SearchInput value={filters.q} onChange={(v) => setFilter('q', v)} placeholder="Name, email or reference" />
        {seesAllVendors && (
          <VendorSelect
            label="Vendor"
            placeholder="All vendors"
            clearable
            value={filters.vendorId || null}
            onChange={(v) => setFilters({ vendorId: v, siteId: null, teamId: null })}
            w={FILTER_WIDTH}
          />
        )}
        <SiteSelect
          label="Site"
          placeholder="All sites"
          clearable
          vendorId={filters.vendorId || null}
          value={filters.siteId || null}
          onChange={(v) => setFilters({ siteId: v, teamId: null })}
          w={FILTER_WIDTH}
        />
        <TeamSelect
          label="Team"
          placeholder="All teams"
          clearable
          vendorId={filters.vendorId || null}
          siteId={filters.siteId || null}
          value={filters.teamId || null}
          onChange={(v) => setFilter('teamId', v)}
          w={FILTER_WIDTH}
        />
        <Select
          label="Role"
          placeholder="All roles"
          clearable
          data={JOB_ROLE_OPTIONS}
          value={filters.jobRole || null}
          onChange={(v) => setFilter('jobRole', v)}
          w={FILTER_WIDTH}
        />
        <WorkflowSelect
          label="Workflow skill"
          placeholder="Any workflow"
          clearable
          value={filters.workflowId || null}
          onChange={(v) => setFilter('workflowId', v)}
          w={FILTER_WIDTH}
        />
        <StatusFilter value={filters.status} onChange={(v) => setFilter('status', v)} options={STATUS_OPTIONS} />
      </Group>
      <ListTable
        caption="People"
        columns={peopleColumns({ showVendor: seesAllVendors })}
        rows={people.data?.items}
        rowKey={(p) => p.id}
        isPending={people.isPending}
        isFetching={people.isPlaceholderData}
        error={people.error}
        onRetry={() => void people.refetch()}
        empty={<EmptyMessage title={filtered ? 'Nobody matches these filters' : 'No people yet'} />}
        footer={<ListPagination total={people.data?.total} limit={limit} offset={offset} onOffsetChange={setOffset} noun="people" />}
      />
      <PersonFormModal
        opened={formOpened}
        onClose={form.close}
        siteId={filters.siteId || undefined}
        teamId={filters.teamId || undefined}
      />
    </>
  );
}
