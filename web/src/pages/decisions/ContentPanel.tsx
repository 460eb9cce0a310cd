import { useState } from 'react';
import { Alert, Anchor, Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconEye, IconEyeOff, IconLock } from '@tabler/icons-react';
import type { DecisionContent, DecisionSeverity } from '../../api/decisions';
import { humanize, languageName } from '../../lib/format';
import classes from './Decisions.module.css';

/** Severities whose content is shielded (blurred and grey) until revealed a second time. */
const SHIELDED: ReadonlySet<DecisionSeverity> = new Set(['critical', 'high']);

interface ContentPanelProps {
  /** The decision's highest severity, when known before the content is fetched. */
  severity: DecisionSeverity | null | undefined;
  content: DecisionContent | undefined;
  loading: boolean;
  onShow: () => void;
}

function ContentBody({ content }: { content: DecisionContent }) {
  return (
    <Stack gap="xs">
      {content.text ? (
        <Text component="div" className="assay-pre" lang={content.language ?? undefined} size="sm">
          {content.text}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          No text was sent with this decision.
        </Text>
      )}
      {content.url && (
        <Text size="sm">
          Source:{' '}
          <Anchor href={content.url} target="_blank" rel="noopener noreferrer nofollow" style={{ overflowWrap: 'anywhere' }}>
            {content.url}
          </Anchor>{' '}
          <Text span size="xs" c="dimmed">
            (opens the upstream item in a new tab)
          </Text>
        </Text>
      )}
    </Stack>
  );
}

/**
 * The decision's content, behind two gates: nothing is fetched until "Show
 * content" (the server records the view), and high or critical severity
 * content then stays blurred and grey until revealed.
 */
export function ContentPanel({ severity, content, loading, onShow }: ContentPanelProps) {
  const [revealed, setRevealed] = useState(false);
  const level = severity ?? 'none';
  const shielded = SHIELDED.has(level);

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="content-heading">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4" id="content-heading">
          Content
        </Title>
        {content && (
          <Text size="sm" c="dimmed">
            {humanize(content.kind)}
            {content.language ? ` · ${languageName(content.language)} (${content.language})` : ''}
          </Text>
        )}
      </Group>
      {!content ? (
        <Stack gap="sm" align="flex-start">
          <Group gap="xs" wrap="nowrap" align="flex-start">
            <IconLock size={18} aria-hidden="true" style={{ flexShrink: 0, marginTop: 2 }} />
            <Text size="sm">
              The content is hidden. Showing it records a view under your name in the audit log.
              {shielded && ' This decision carries a high-severity label: the content may be disturbing and will open blurred.'}
            </Text>
          </Group>
          <Button leftSection={<IconEye size={16} aria-hidden="true" />} onClick={onShow} loading={loading}>
            Show content
          </Button>
        </Stack>
      ) : shielded && !revealed ? (
        <Stack gap="sm">
          <Alert color="orange" icon={<IconAlertTriangle aria-hidden="true" />} title="Sensitive content" role="note">
            This decision is labelled {level} severity. The content is blurred and shown in grey; reveal it only if you
            need to read it.
          </Alert>
          <Box pos="relative">
            {/* Hidden from assistive technology too: the blur is a visual shield only. */}
            <div className={classes.shielded} aria-hidden="true" inert>
              <ContentBody content={content} />
            </div>
          </Box>
          <Group>
            <Button variant="light" color="orange" leftSection={<IconEye size={16} aria-hidden="true" />} onClick={() => setRevealed(true)}>
              Reveal content
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <div className={shielded ? classes.greyscale : undefined} data-testid="decision-content">
            <ContentBody content={content} />
          </div>
          <Text size="xs" c="dimmed">
            This view is recorded in the audit log under your name.
          </Text>
          {shielded && (
            <Group>
              <Button variant="default" size="xs" leftSection={<IconEyeOff size={14} aria-hidden="true" />} onClick={() => setRevealed(false)}>
                Blur again
              </Button>
            </Group>
          )}
        </Stack>
      )}
    </Paper>
  );
}
