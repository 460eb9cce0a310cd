import { useEffect, useRef } from 'react';
import { Alert, Anchor, Badge, Box, Button, Group, Kbd, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconEye, IconVolumeOff } from '@tabler/icons-react';
import type { Severity, WellbeingProtections, WorkspaceContent } from '../../api/review';
import { humanize, languageName } from '../../lib/format';
import { SEVERITY_COLORS, SEVERITY_LABELS } from '../decisions/decisionFormat';

const VIDEO = /\.(mp4|webm|ogg|mov)(\?|$)/i;
const AUDIO = /\.(mp3|wav|m4a|oga)(\?|$)/i;
const IMAGE = /\.(png|jpe?g|gif|webp)(\?|$)/i;

function Media({ url, mute }: { url: string; mute: boolean }) {
  if (VIDEO.test(url)) return <video src={url} controls muted={mute} style={{ maxWidth: '100%' }} aria-label="Item video" />;
  if (AUDIO.test(url)) return <audio src={url} controls muted={mute} aria-label="Item audio" />;
  if (IMAGE.test(url)) return <img src={url} alt="The item under review" style={{ maxWidth: '100%' }} />;
  return null;
}

interface ProtectedContentProps {
  content: WorkspaceContent;
  severity: Severity | null;
  protections: WellbeingProtections;
  revealed: boolean;
  /** The warning screen was acknowledged (critical tiers). */
  warned: boolean;
  onAcknowledgeWarning: () => void;
  onReveal: () => void;
}

/**
 * The item, protected as the effective wellbeing rule says: a warning screen
 * first for the most severe tiers, then blurred and/or greyscale until the
 * reviewer reveals it (button or R), media always starting muted.
 */
export function ProtectedContent({ content, severity, protections, revealed, warned, onAcknowledgeWarning, onReveal }: ProtectedContentProps) {
  const shielded = (protections.blur || protections.greyscale) && !revealed;
  const showWarning = protections.warningScreen && !warned;
  const warningButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (showWarning) warningButton.current?.focus();
  }, [showWarning]);

  const filter = [shielded && protections.blur ? 'blur(8px)' : '', shielded && protections.greyscale ? 'grayscale(1)' : ''].filter(Boolean).join(' ');

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="item-heading">
      <Group justify="space-between" mb="sm" gap="xs">
        <Title order={2} size="h4" id="item-heading">
          Item
        </Title>
        <Group gap="xs">
          {severity && (
            <Badge color={SEVERITY_COLORS[severity]} variant="light">
              {SEVERITY_LABELS[severity]} tier
            </Badge>
          )}
          {protections.mute && (
            <Badge color="gray" variant="light" leftSection={<IconVolumeOff size={12} aria-hidden="true" />}>
              Muted
            </Badge>
          )}
          <Text size="sm" c="dimmed">
            {humanize(content.kind)}
            {content.language ? ` · ${languageName(content.language)}` : ''}
          </Text>
        </Group>
      </Group>
      {showWarning ? (
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden="true" />} title="Content warning" data-testid="warning-screen">
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              This item carries a {severity ? SEVERITY_LABELS[severity].toLowerCase() : 'severe'}-tier label and may be distressing. It stays
              protected after you continue; take a break whenever you need one.
            </Text>
            <Button ref={warningButton} color="red" variant="outline" onClick={onAcknowledgeWarning}>
              Continue to the protected item
            </Button>
          </Stack>
        </Alert>
      ) : (
        <Stack gap="sm">
          <Box
            data-testid="item-content"
            data-protected={shielded ? 'true' : 'false'}
            aria-hidden={shielded ? true : undefined}
            style={{ filter: filter || undefined, transition: 'filter 120ms', userSelect: shielded ? 'none' : undefined }}
          >
            {content.text ? (
              <Text component="div" className="assay-pre" lang={content.language ?? undefined} size="sm">
                {content.text}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                No text was sent with this item.
              </Text>
            )}
            {content.url && !shielded && <Media url={content.url} mute={protections.mute} />}
          </Box>
          {shielded ? (
            <Group gap="sm">
              <Button variant="light" leftSection={<IconEye size={16} aria-hidden="true" />} onClick={onReveal}>
                Reveal content
              </Button>
              <Text size="sm" c="dimmed">
                Protected ({[protections.blur && 'blurred', protections.greyscale && 'greyscale'].filter(Boolean).join(', ')}). Press <Kbd>R</Kbd> or
                the button to reveal; the reveal is recorded.
              </Text>
            </Group>
          ) : null}
          {content.url && !shielded && (
            <Text size="sm">
              Source:{' '}
              <Anchor href={content.url} target="_blank" rel="noopener noreferrer nofollow" style={{ overflowWrap: 'anywhere' }}>
                {content.url}
              </Anchor>
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
