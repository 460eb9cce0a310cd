import { useEffect, useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, NativeSelect, Paper, SimpleGrid, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../../api/client';
import {
  PROTECTIONS,
  TIERS,
  useMyExposure,
  usePreferences,
  useSaveLimits,
  useSavePreferences,
  useWellbeingLimits,
  type ExposureFigures,
  type Mode,
  type Protection,
  type Tier,
  type WellbeingLimits,
  type WellbeingPreferences,
} from '../../api/wellbeing';
import { useCan } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState } from '../../components/States';
import { humanize } from '../../lib/format';
import { SEVERITY_LABELS } from '../decisions/decisionFormat';

const PROTECTION_LABELS: Record<Protection, string> = { blur: 'Blur', greyscale: 'Greyscale', mute: 'Mute audio' };
const MODE_LABELS: Record<Mode, string> = { always: 'Always on', default_on: 'On by default', default_off: 'Off by default' };
const tierName = (tier: Tier) => SEVERITY_LABELS[tier];

function errorText(error: unknown): string {
  if (isApiError(error) && error.details.length > 0) return `${error.message} ${error.details.map((d) => d.message).join(' ')}`;
  return errorMessage(error);
}

function MyProtections() {
  const view = usePreferences();
  const save = useSavePreferences();
  const [choices, setChoices] = useState<WellbeingPreferences>({});
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (view.data) setChoices(view.data.preferences);
  }, [view.data]);
  if (view.isPending) return <LoadingState label="Loading your preferences" />;
  if (view.isError) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  const { limits } = view.data;
  const valueOf = (tier: Tier, p: Protection) => (limits[tier][p] === 'always' ? true : (choices[tier]?.[p] ?? limits[tier][p] === 'default_on'));
  const set = (tier: Tier, p: Protection, on: boolean) => {
    setSaved(false);
    setChoices((prev) => ({ ...prev, [tier]: { ...prev[tier], [p]: on } }));
  };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="mine-heading">
      <Title order={2} size="h4" id="mine-heading">
        My protections
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        How content under each severity tier opens for you in the review workspace. Protections your organisation keeps on cannot be switched off.
      </Text>
      <Table aria-labelledby="mine-heading" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Severity tier</Table.Th>
            {PROTECTIONS.map((p) => (
              <Table.Th scope="col" key={p}>
                {PROTECTION_LABELS[p]}
              </Table.Th>
            ))}
            <Table.Th scope="col">Warning screen</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {TIERS.map((tier) => (
            <Table.Tr key={tier}>
              <Table.Th scope="row">{tierName(tier)}</Table.Th>
              {PROTECTIONS.map((p) => (
                <Table.Td key={p}>
                  <Switch
                    aria-label={`${PROTECTION_LABELS[p]} for ${tierName(tier)} content`}
                    checked={valueOf(tier, p)}
                    disabled={limits[tier][p] === 'always'}
                    onChange={(e) => set(tier, p, e.currentTarget.checked)}
                    description={limits[tier][p] === 'always' ? 'Always on' : undefined}
                  />
                </Table.Td>
              ))}
              <Table.Td>{limits[tier].warningScreen ? 'Yes' : 'No'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.isError && (
        <Alert color="red" role="alert" mt="sm" title="Could not save">
          {errorText(save.error)}
        </Alert>
      )}
      <Group mt="sm">
        <Button onClick={() => save.mutate(choices, { onSuccess: () => setSaved(true) })} loading={save.isPending}>
          Save my protections
        </Button>
        {saved && (
          <Text size="sm" c="teal" role="status">
            <IconCheck size={14} aria-hidden="true" /> Saved
          </Text>
        )}
      </Group>
    </Paper>
  );
}

function minutes(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

function ExposureBlock({ title, figures }: { title: string; figures: ExposureFigures }) {
  const id = `exposure-${title.replace(/\W+/g, '-').toLowerCase()}`;
  return (
    <div>
      <Title order={3} size="h6" id={id}>
        {title}
      </Title>
      <Text size="sm" mb={4}>
        {figures.totalItems} items · {minutes(figures.totalSeconds)} on screen
      </Text>
      {figures.byHarmType.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing recorded.
        </Text>
      ) : (
        <Table aria-labelledby={id} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Harm type</Table.Th>
              <Table.Th scope="col">Items</Table.Th>
              <Table.Th scope="col">Reveals</Table.Th>
              <Table.Th scope="col">Time</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {figures.byHarmType.map((row) => (
              <Table.Tr key={row.harmType}>
                <Table.Td>{humanize(row.harmType)}</Table.Td>
                <Table.Td>{row.items}</Table.Td>
                <Table.Td>{row.reveals}</Table.Td>
                <Table.Td>{minutes(row.seconds)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </div>
  );
}

function MyExposurePanel() {
  const exposure = useMyExposure();
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="exposure-heading">
      <Title order={2} size="h4" id="exposure-heading">
        My exposure
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        What you were shown, by harm type. Only you see your own figures; leads see totals across people.
      </Text>
      {exposure.isPending ? (
        <LoadingState label="Loading your exposure" />
      ) : exposure.isError ? (
        <ErrorState error={exposure.error} onRetry={() => void exposure.refetch()} />
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <ExposureBlock title="Last 7 days" figures={exposure.data.last7Days} />
          <ExposureBlock title="Last 30 days" figures={exposure.data.last30Days} />
        </SimpleGrid>
      )}
    </Paper>
  );
}

function LimitsEditor() {
  const limits = useWellbeingLimits(true);
  const save = useSaveLimits();
  const [draft, setDraft] = useState<WellbeingLimits | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (limits.data) setDraft(limits.data);
  }, [limits.data]);
  if (limits.isError) return <ErrorState error={limits.error} onRetry={() => void limits.refetch()} />;
  if (!draft) return <LoadingState label="Loading the limits" />;
  const update = (tier: Tier, patch: Partial<WellbeingLimits[Tier]>) => {
    setSaved(false);
    setDraft({ ...draft, [tier]: { ...draft[tier], ...patch } });
  };
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="limits-heading">
      <Group justify="space-between">
        <Title order={2} size="h4" id="limits-heading">
          Organisation limits
        </Title>
        <Badge variant="light">Administrators</Badge>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        For each severity tier: protections nobody may switch off, and where people start. The evidence on blur and greyscale is mixed; watch the
        exposure figures when you change these.
      </Text>
      <Table aria-labelledby="limits-heading" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Severity tier</Table.Th>
            {PROTECTIONS.map((p) => (
              <Table.Th scope="col" key={p}>
                {PROTECTION_LABELS[p]}
              </Table.Th>
            ))}
            <Table.Th scope="col">Warning screen</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {TIERS.map((tier) => (
            <Table.Tr key={tier}>
              <Table.Th scope="row">{tierName(tier)}</Table.Th>
              {PROTECTIONS.map((p) => (
                <Table.Td key={p}>
                  <NativeSelect
                    aria-label={`${PROTECTION_LABELS[p]} limit for ${tierName(tier)} content`}
                    value={draft[tier][p]}
                    data={(Object.keys(MODE_LABELS) as Mode[]).map((m) => ({ value: m, label: MODE_LABELS[m] }))}
                    onChange={(e) => update(tier, { [p]: e.currentTarget.value as Mode })}
                  />
                </Table.Td>
              ))}
              <Table.Td>
                <Checkbox
                  aria-label={`Warning screen for ${tierName(tier)} content`}
                  checked={draft[tier].warningScreen}
                  onChange={(e) => update(tier, { warningScreen: e.currentTarget.checked })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {save.isError && (
        <Alert color="red" role="alert" mt="sm" title="Could not save">
          {errorText(save.error)}
        </Alert>
      )}
      <Group mt="sm">
        <Button onClick={() => save.mutate(draft, { onSuccess: () => setSaved(true) })} loading={save.isPending}>
          Save limits
        </Button>
        {saved && (
          <Text size="sm" c="teal" role="status">
            Saved
          </Text>
        )}
      </Group>
    </Paper>
  );
}

/** /wellbeing: my protections within the organisation's limits, my exposure, and (for admins) the limits. */
export function WellbeingPage() {
  const can = useCan();
  return (
    <>
      <PageHeader title="Wellbeing" description="Protections for disturbing content, and how much of it you have been shown." />
      <Stack gap="md">
        <MyProtections />
        <MyExposurePanel />
        {can('wellbeing.manage') && <LimitsEditor />}
      </Stack>
    </>
  );
}
