import { Badge, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useActions } from '../../../api/policy';
import type { PolicyLabel, PolicyVersion } from '../../../api/types';
import { EmptyMessage, ListTable } from '../../../components/ListTable';
import { formatDateTime } from '../../../lib/format';
import { SeverityBadge } from './SeverityBadge';
import { VersionStateBadge } from './VersionTimeline';

/** One policy version: text, labels with severities, allowed actions. */
export function VersionDetails({ version }: { version: PolicyVersion }) {
  const actions = useActions({ limit: 500 });
  const actionsByKey = new Map((actions.data?.items ?? []).map((a) => [a.key, a]));

  return (
    <Stack gap="lg">
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h3">
            Version {version.version}
          </Title>
          <VersionStateBadge version={version} />
        </Group>
        <Text size="sm" c="dimmed" mb="md">
          Effective from {formatDateTime(version.effectiveFrom)} · created {formatDateTime(version.createdAt)}
        </Text>
        <Title order={3} size="h5" mb={4}>
          Summary
        </Title>
        {version.summary ? (
          <Text size="sm" className="assay-pre">
            {version.summary}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            No text.
          </Text>
        )}
      </Paper>

      <section aria-labelledby="labels-heading">
        <Title order={3} size="h4" id="labels-heading" mb="sm">
          Labels
        </Title>
        <ListTable<PolicyLabel>
          caption={`Labels of version ${version.version}`}
          minWidth={560}
          columns={[
            { key: 'name', header: 'Label', render: (l) => <Text size="sm" fw={500}>{l.name}</Text> },
            { key: 'key', header: 'Key', render: (l) => <Text size="sm" ff="monospace">{l.key}</Text> },
            { key: 'severity', header: 'Severity', width: 110, nowrap: true, render: (l) => <SeverityBadge severity={l.severity} /> },
            { key: 'description', header: 'Description', render: (l) => l.description || '—' },
          ]}
          rows={version.labels}
          rowKey={(l) => l.key}
          isPending={false}
          empty={<EmptyMessage title="This version has no labels" />}
        />
      </section>

      <section aria-labelledby="actions-heading">
        <Title order={3} size="h4" id="actions-heading" mb="sm">
          Allowed actions
        </Title>
        <Paper withBorder p="md" radius="md">
          {version.allowedActions.length === 0 ? (
            <Text size="sm" c="dimmed">
              No actions allowed.
            </Text>
          ) : (
            <Group gap="xs">
              {version.allowedActions.map((key) => {
                const action = actionsByKey.get(key);
                return (
                  <Tooltip key={key} label={action?.description || key} disabled={!action?.description}>
                    <Badge color="indigo" tt="none" size="lg">
                      {action?.name ?? key}
                    </Badge>
                  </Tooltip>
                );
              })}
            </Group>
          )}
        </Paper>
      </section>
    </Stack>
  );
}
