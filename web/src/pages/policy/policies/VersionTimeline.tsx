import { Link } from 'react-router-dom';
import { Anchor, Badge, Group, Text, Timeline } from '@mantine/core';
import type { PolicyVersion } from '../../../api/types';
import { formatDateTime } from '../../../lib/format';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export type VersionState = 'in_force' | 'scheduled' | 'superseded';

export function versionState(version: PolicyVersion, now = new Date()): VersionState {
  if (version.inForce) return 'in_force';
  return new Date(version.effectiveFrom) > now ? 'scheduled' : 'superseded';
}

const STATE_BADGES: Record<VersionState, { label: string; color: string }> = {
  in_force: { label: 'In force', color: 'green' },
  scheduled: { label: 'Scheduled', color: 'blue' },
  superseded: { label: 'Superseded', color: 'gray' },
};

export function VersionStateBadge({ version }: { version: PolicyVersion }) {
  const state = STATE_BADGES[versionState(version)];
  return <Badge color={state.color}>{state.label}</Badge>;
}

interface VersionTimelineProps {
  versions: PolicyVersion[];
  selected: number | undefined;
}

/** Versions newest first; the one in force is highlighted, each links to itself. */
export function VersionTimeline({ versions, selected }: VersionTimelineProps) {
  const inForceIndex = versions.findIndex((v) => v.inForce);
  return (
    <Timeline active={inForceIndex === -1 ? -1 : versions.length - 1 - inForceIndex} reverseActive bulletSize={18} lineWidth={2}>
      {versions.map((version, index) => {
        const isSelected = version.version === selected;
        return (
          <Timeline.Item
            key={version.id}
            lineVariant={index < inForceIndex ? 'dashed' : 'solid'}
            title={
              <Group gap="xs">
                <Anchor
                  component={Link}
                  to={`?version=${version.version}`}
                  replace
                  fw={isSelected ? 700 : 500}
                  aria-current={isSelected ? 'true' : undefined}
                >
                  Version {version.version}
                </Anchor>
                <VersionStateBadge version={version} />
              </Group>
            }
          >
            <Text size="sm" c="dimmed">
              Effective {formatDateTime(version.effectiveFrom)}
            </Text>
            <Text size="xs" c="dimmed">
              {plural(version.labels.length, 'label')} · {plural(version.allowedActions.length, 'action')}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
