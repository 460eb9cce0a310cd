import { useState } from 'react';
import { Anchor, Badge, Button, Group, Paper, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconCheck, IconDownload } from '@tabler/icons-react';
import { PARTICIPANT_GROUP_LABELS } from '../../../../src/domain/calibration/calibration.types.ts';
import type { AgreementFigure, FieldAgreement } from '../../../../src/domain/calibration/calibration.types.ts';
import { isNotFound } from '../../api/client';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, NotFoundState } from '../../components/States';
import { exportUrl, type CalibrationSession, type LabelOption, type ParticipantGroupKey, type Share } from '../../api/calibration';
import { formatDate } from '../../lib/format';
import { recordItemExposure, useItemExposure } from './useItemExposure';

/** Shared bits of the calibration screens: figures with intervals, status badges, export buttons. */

export function groupLabel(group: ParticipantGroupKey): string {
  return PARTICIPANT_GROUP_LABELS[group];
}

export function formatCoefficient(f: AgreementFigure | null | undefined): string {
  if (!f || f.value === null) return '—';
  return f.value.toFixed(2);
}

export function formatInterval(f: AgreementFigure | null | undefined): string {
  if (!f || f.lower === null || f.upper === null) return '';
  return `${f.lower.toFixed(2)} to ${f.upper.toFixed(2)}`;
}

export function Coefficient({ figure, percent = false }: { figure: AgreementFigure | null | undefined; percent?: boolean }) {
  if (!figure || figure.value === null) {
    return (
      <Tooltip label={figure?.reason ?? 'Not defined'} withArrow>
        <Text span c="dimmed" size="sm">
          n/a
        </Text>
      </Tooltip>
    );
  }
  const fmt = (v: number) => (percent ? `${(100 * v).toFixed(1)}%` : v.toFixed(2));
  return (
    <Text span size="sm">
      <Text span fw={600}>
        {fmt(figure.value)}
      </Text>
      {figure.lower !== null && figure.upper !== null && (
        <Text span c="dimmed" size="xs">
          {' '}
          [{fmt(percent ? Math.max(0, figure.lower) : figure.lower)}, {fmt(Math.min(1, figure.upper))}]
        </Text>
      )}
    </Text>
  );
}

export function ShareText({ share }: { share: Share | null | undefined }) {
  if (!share || share.value === null) return <Text span c="dimmed" size="sm">—</Text>;
  return (
    <Text span size="sm">
      <Text span fw={600}>
        {(100 * share.value).toFixed(0)}%
      </Text>
      <Text span c="dimmed" size="xs">
        {' '}
        [{(100 * share.lower).toFixed(0)}, {(100 * share.upper).toFixed(0)}] · {share.x}/{share.n}
      </Text>
    </Text>
  );
}

export function fieldSummary(f: FieldAgreement): string {
  return `${f.items} items, ${f.ratings} ratings`;
}

export function StatusBadge({ session }: { session: Pick<CalibrationSession, 'status' | 'overdue'> }) {
  if (session.status === 'closed') return <Badge color="teal" variant="light">Revealed</Badge>;
  return session.overdue ? <Badge color="red" variant="light">Overdue</Badge> : <Badge color="blue" variant="light">Open</Badge>;
}

export function dueText(session: Pick<CalibrationSession, 'dueAt'>): string {
  return session.dueAt ? formatDate(session.dueAt) : 'No due date';
}

/** Label keys to names, with 'none' for no violation and '+' joining a set. */
export function labelNamer(options: LabelOption[]): (category: string | string[]) => string {
  const names = new Map(options.flatMap((p) => p.labels.map((l) => [l.key, l.name] as const)));
  return (category) => {
    const keys = Array.isArray(category) ? category : category === 'none' ? [] : category.split('+');
    return keys.length === 0 ? 'No violation' : keys.map((k) => names.get(k) ?? k).join(' + ');
  };
}

export function ExportButtons({ sessionId }: { sessionId: string }) {
  return (
    <Group gap="xs">
      <Button component="a" href={exportUrl(sessionId, 'csv', 'ratings')} variant="default" size="xs" leftSection={<IconDownload size={14} aria-hidden="true" />}>
        Ratings CSV
      </Button>
      <Button component="a" href={exportUrl(sessionId, 'csv', 'summary')} variant="default" size="xs" leftSection={<IconDownload size={14} aria-hidden="true" />}>
        Summary CSV
      </Button>
      <Button component="a" href={exportUrl(sessionId, 'pdf')} variant="default" size="xs" leftSection={<IconDownload size={14} aria-hidden="true" />}>
        PDF report
      </Button>
    </Group>
  );
}

/** A session page's load error: "Not found" for an unknown or out-of-scope id, else the error under the page heading. */
export function SessionError({ error, onRetry, backTo = '/calibration/mine' }: { error: unknown; onRetry: () => void; backTo?: string }) {
  if (isNotFound(error)) return <NotFoundState what="calibration session" backTo={backTo} backLabel="Back to calibrations" />;
  return (
    <>
      <PageHeader title="Calibration" />
      <ErrorState error={error} onRetry={onRetry} />
    </>
  );
}

/** The shown text, for as long as it is shown: the seconds on screen go to the viewer's exposure, as on the scoring screen. */
function ShownSnippet({ sessionId, itemId, content, onHide }: { sessionId: string; itemId: string; content: string; onHide: () => void }) {
  useItemExposure(sessionId, itemId);
  return (
    <Stack gap={2} align="flex-start">
      <Text size="xs" c="dimmed" lineClamp={3} maw={420} style={{ overflowWrap: 'anywhere' }}>
        {content}
      </Text>
      <Anchor component="button" type="button" size="xs" onClick={onHide}>
        Hide text
      </Anchor>
    </Stack>
  );
}

/**
 * An item's text in a list, hidden until asked for: lists show many items at once, so nothing is
 * displayed unprotected by default (the scoring screen applies the full wellbeing rules). Showing it
 * is a reveal and its time on screen a view, both sent to the exposure route (a reveal is audited there),
 * so the lead's and the results' views count in the viewer's exposure as the scoring screen's do.
 */
export function ContentSnippet({ sessionId, itemId, text, url, severity }: { sessionId: string; itemId: string; text: string | null; url: string | null; severity: string | null }) {
  const [shown, setShown] = useState(false);
  const content = text ?? url;
  if (!content) return null;
  return shown ? (
    <ShownSnippet sessionId={sessionId} itemId={itemId} content={content} onHide={() => setShown(false)} />
  ) : (
    <Group gap={6}>
      <Anchor
        component="button"
        type="button"
        size="xs"
        onClick={() => {
          setShown(true);
          void recordItemExposure(sessionId, itemId, { event: 'reveal', seconds: 0 }).catch(() => undefined);
        }}
      >
        Show text
      </Anchor>
      {severity && (
        <Badge size="xs" variant="light" color="gray">
          {severity} tier
        </Badge>
      )}
    </Group>
  );
}

/** The list of a session's items to move between, each ticked once done ("scored", "has an expert answer"). */
export function ItemNavigator({ items, index, onSelect, doneText }: { items: Array<{ id: string; position: number; done: boolean }>; index: number; onSelect: (index: number) => void; doneText: string }) {
  return (
    <Paper withBorder radius="md" p="sm" component="nav" aria-label="Items">
      <Stack gap={4}>
        {items.map((it, i) => (
          <Button
            key={it.id}
            variant={i === index ? 'filled' : 'subtle'}
            justify="space-between"
            onClick={() => onSelect(i)}
            aria-current={i === index ? 'true' : undefined}
            rightSection={it.done ? <IconCheck size={14} aria-hidden="true" /> : null}
          >
            Item {it.position}
            {it.done && <VisuallyHidden> {doneText}</VisuallyHidden>}
          </Button>
        ))}
      </Stack>
    </Paper>
  );
}

export { LabelActionFields } from '../review/LabelActionFields';
