import { Link } from 'react-router-dom';
import Markdown from 'react-markdown';
import { Anchor, Badge, Blockquote, Group, Stack, Text, Typography } from '@mantine/core';
import type { AwardState, CourseModule, EnrolmentStatus, Interval } from '../../api/training';
import { percent } from '../../api/training';

/**
 * Module content. react-markdown builds React elements from the Markdown
 * syntax tree and never renders raw HTML (a <script> in the text shows as
 * text); its default URL filter drops javascript: and other unsafe links.
 */
export function MarkdownView({ source }: { source: string }) {
  return (
    <Typography>
      <Markdown
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer nofollow">
              {children}
            </a>
          ),
        }}
      >
        {source}
      </Markdown>
    </Typography>
  );
}

export function ExcerptsAndFiles({ module }: { module: Pick<CourseModule, 'policyExcerpts' | 'attachments'> }) {
  return (
    <Stack gap="xs">
      {module.policyExcerpts.map((e, i) => (
        <Blockquote key={i} color="blue" cite={`— ${e.policyName}, version ${e.version}`} p="sm">
          {e.quote}
        </Blockquote>
      ))}
      {module.attachments.length > 0 && (
        <Group gap="xs">
          <Text size="sm" fw={500}>
            Attachments:
          </Text>
          {module.attachments.map((a) => (
            <Anchor key={a.id} href={`/api/training/attachments/${a.id}`} size="sm">
              {a.fileName} ({Math.max(1, Math.round(a.sizeBytes / 1024))} KB)
            </Anchor>
          ))}
        </Group>
      )}
    </Stack>
  );
}

const ENROLMENT_COLORS: Record<EnrolmentStatus, string> = { assigned: 'gray', in_progress: 'blue', completed: 'green', withdrawn: 'dark' };
const ENROLMENT_LABELS: Record<EnrolmentStatus, string> = { assigned: 'Not started', in_progress: 'In progress', completed: 'Completed', withdrawn: 'Withdrawn' };

export function EnrolmentBadge({ status, overdue }: { status: EnrolmentStatus; overdue: boolean }) {
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={ENROLMENT_COLORS[status]} variant="light">
        {ENROLMENT_LABELS[status]}
      </Badge>
      {overdue && (
        <Badge color="red" variant="filled">
          Overdue
        </Badge>
      )}
    </Group>
  );
}

const AWARD_COLORS: Record<AwardState, string> = { valid: 'green', expiring_soon: 'yellow', expired: 'red', revoked: 'dark' };
const AWARD_LABELS: Record<AwardState, string> = { valid: 'Valid', expiring_soon: 'Expiring soon', expired: 'Expired', revoked: 'Revoked' };

export function AwardBadge({ state }: { state: AwardState }) {
  return (
    <Badge color={AWARD_COLORS[state]} variant="light">
      {AWARD_LABELS[state]}
    </Badge>
  );
}

/** A rate with its 95% interval and n, as everywhere in Assay. */
export function RateWithInterval({ interval }: { interval: Interval }) {
  if (interval.estimate === null) return <Text size="sm">— (n = 0)</Text>;
  return (
    <Text size="sm">
      {percent(interval.estimate)}{' '}
      <Text span size="xs" c="dimmed">
        [{percent(interval.lower)}–{percent(interval.upper)}], n = {interval.n}
      </Text>
    </Text>
  );
}

export function TrainingLinks() {
  const links: Array<[string, string]> = [
    ['/training/courses', 'Courses'],
    ['/training/programs', 'Programs'],
    ['/training/cohorts', 'Cohorts'],
    ['/training/assign', 'Assign'],
    ['/training/certifications', 'Certifications'],
    ['/training/completion', 'Completion'],
  ];
  return (
    <Group gap="md" mb="md" component="nav" aria-label="Training sections">
      {links.map(([to, label]) => (
        <Anchor key={to} component={Link} to={to} size="sm">
          {label}
        </Anchor>
      ))}
    </Group>
  );
}
