import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconFilterOff } from '@tabler/icons-react';
import type { Grain } from '../../api/metrics';
import { useSeesAllVendors } from '../../auth/session';
import { SiteSelect, VendorSelect, WorkflowSelect } from '../../components/EntityPickers';
import { PageHeader } from '../../components/PageHeader';
import { formatDate } from '../../lib/format';
import { GRAIN_LABELS } from './qualityFormat';
import { BASE_KEYS, baseSearch, grainOf, type BaseFilters, type BaseKey } from './qualityFilters';

const VIEWS = [
  { to: '/quality', label: 'Overview' },
  { to: '/quality/agents', label: 'Agents' },
  { to: '/quality/trends', label: 'Trends' },
  { to: '/quality/heatmap', label: 'Vendor × policy' },
  { to: '/quality/control', label: 'Control chart' },
  { to: '/quality/errors', label: 'Errors' },
] as const;

const FILTER_WIDTH = { base: '100%', sm: 200 };
const GRAIN_OPTIONS = (['day', 'week', 'month'] as const).map((value) => ({ value, label: GRAIN_LABELS[value] }));

/** Links between the dashboards, keeping the shared filters. */
function QualityViews({ base }: { base: BaseFilters }) {
  const { pathname } = useLocation();
  const search = baseSearch(base);
  return (
    <nav aria-label="Quality views">
      <Group gap={6} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
        {VIEWS.map((view) => {
          const current = pathname === view.to;
          return (
            <li key={view.to}>
              <Button
                component={Link}
                to={`${view.to}${search}`}
                size="compact-sm"
                variant={current ? 'filled' : 'default'}
                aria-current={current ? 'page' : undefined}
              >
                {view.label}
              </Button>
            </li>
          );
        })}
      </Group>
    </nav>
  );
}

interface FilterBarProps {
  base: BaseFilters;
  setFilters: (values: Partial<Record<BaseKey, string | null>>) => void;
  /** Pages without periods (overview tiles still use one for the sparklines) can hide the grain. */
  showGrain?: boolean;
  /** The period the answer covers (the API's default when no dates are chosen). */
  period?: { from: string; to: string } | null;
  /** More controls (the measure) at the end of the row. */
  children?: ReactNode;
}

/** Workflow, vendor, site, dates and grain: the filters every dashboard shares. */
export function QualityFilterBar({ base, setFilters, showGrain = true, period, children }: FilterBarProps) {
  const seesAllVendors = useSeesAllVendors();
  const filtered = BASE_KEYS.some((key) => base[key]);
  return (
    <Stack gap="xs" mb="md">
      <Group align="flex-end" gap="sm">
        <WorkflowSelect
          label="Workflow"
          placeholder="All workflows"
          clearable
          value={base.workflow || null}
          onChange={(v) => setFilters({ workflow: v })}
          w={FILTER_WIDTH}
        />
        {seesAllVendors && (
          <VendorSelect
            label="Vendor"
            placeholder="All vendors"
            clearable
            value={base.vendor || null}
            onChange={(v) => setFilters({ vendor: v, site: null })}
            w={FILTER_WIDTH}
          />
        )}
        <SiteSelect
          label="Site"
          placeholder="All sites"
          clearable
          vendorId={base.vendor || null}
          value={base.site || null}
          onChange={(v) => setFilters({ site: v })}
          w={FILTER_WIDTH}
        />
        <TextInput
          type="date"
          label="From"
          value={base.from}
          max={base.to || undefined}
          onChange={(event) => setFilters({ from: event.currentTarget.value || null })}
          w={{ base: '100%', sm: 150 }}
        />
        <TextInput
          type="date"
          label="To"
          value={base.to}
          min={base.from || undefined}
          onChange={(event) => setFilters({ to: event.currentTarget.value || null })}
          w={{ base: '100%', sm: 150 }}
        />
        {showGrain && (
          <Select
            label="Period"
            data={GRAIN_OPTIONS}
            value={grainOf(base.grain)}
            allowDeselect={false}
            onChange={(v) => setFilters({ grain: v === 'week' ? null : (v as Grain | null) })}
            w={{ base: '100%', sm: 110 }}
          />
        )}
        {children}
      </Group>
      <Group gap="sm">
        <Text size="xs" c="dimmed">
          {period
            ? `Decisions made ${formatDate(period.from)} to ${formatDate(period.to)} (UTC days, both included)${base.from || base.to ? '' : ': the last 90 days'}.`
            : 'From and To are UTC days of the decision, both included; without them, the last 90 days.'}
        </Text>
        {filtered && (
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconFilterOff size={14} aria-hidden="true" />}
            onClick={() => setFilters(Object.fromEntries(BASE_KEYS.map((key) => [key, null])))}
          >
            Clear filters
          </Button>
        )}
      </Group>
    </Stack>
  );
}

interface QualityPageProps {
  title: string;
  description: ReactNode;
  base: BaseFilters;
  actions?: ReactNode;
  children: ReactNode;
}

/** Heading, the links between the dashboards, then the page. */
export function QualityPage({ title, description, base, actions, children }: QualityPageProps) {
  return (
    <>
      <PageHeader title={title} description={description} actions={actions} />
      <Stack gap="md" mb="md">
        <QualityViews base={base} />
      </Stack>
      {children}
    </>
  );
}
