import { useState } from 'react';
import type { QueryParams } from '../../../api/client';
import { usePeople } from '../../../api/org';
import { useSeesAllVendors } from '../../../auth/session';
import { ListPagination } from '../../../components/ListPagination';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { peopleColumns } from './peopleColumns';

const LIMIT = 50;

/** People matching a fixed filter (a team, a workflow...), paged in place. */
export function PeopleTable({ filter, caption }: { filter: QueryParams; caption: string }) {
  const [offset, setOffset] = useState(0);
  const seesAllVendors = useSeesAllVendors();
  const people = usePeople({ ...filter, limit: LIMIT, offset });
  return (
    <ListTable
      caption={caption}
      columns={peopleColumns({ showOrg: !filter.teamId, showVendor: seesAllVendors })}
      rows={people.data?.items}
      rowKey={(p) => p.id}
      isPending={people.isPending}
      isFetching={people.isPlaceholderData}
      error={people.error}
      onRetry={() => void people.refetch()}
      empty={<EmptyMessage title="Nobody here yet" />}
      footer={<ListPagination total={people.data?.total} limit={LIMIT} offset={offset} onOffsetChange={setOffset} noun="people" />}
    />
  );
}
