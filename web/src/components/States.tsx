import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Center, EmptyState, Loader, Stack, VisuallyHidden } from '@mantine/core';
import { IconAlertTriangle, IconInbox, IconSearchOff } from '@tabler/icons-react';
import { errorMessage, isApiError } from '../api/client';
import { usePageTitle } from './usePageTitle';

export function LoadingState({ label = 'Loading' }: { label?: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      {/* Mantine's Loader is a bare span: an aria-label there is not allowed (axe aria-prohibited-attr), so the status says it in text. */}
      <Loader aria-hidden="true" />
      <VisuallyHidden>{label}</VisuallyHidden>
    </Center>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const forbidden = isApiError(error) && error.status === 403;
  return (
    <Alert
      color={forbidden ? 'orange' : 'red'}
      title={forbidden ? 'Not allowed' : 'Could not load this'}
      icon={<IconAlertTriangle aria-hidden="true" />}
      role="alert"
      my="md"
    >
      <Stack gap="sm" align="flex-start">
        {errorMessage(error)}
        {onRetry && !forbidden && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Shown for a 404 from the API or an unknown URL. Owns the page <h1>. */
export function NotFoundState({ what = 'page', backTo, backLabel }: { what?: string; backTo?: string; backLabel?: string }) {
  usePageTitle('Not found');
  return (
    <EmptyState
      mt="xl"
      icon={<IconSearchOff aria-hidden="true" />}
      withIndicatorBackground
    >
      <EmptyState.Title order={1}>Not found</EmptyState.Title>
      <EmptyState.Description>
        This {what} does not exist, or it is outside what you are allowed to see.
      </EmptyState.Description>
      {backTo && (
        <EmptyState.Actions>
          <Button component={Link} to={backTo} variant="light">
            {backLabel ?? 'Go back'}
          </Button>
        </EmptyState.Actions>
      )}
    </EmptyState>
  );
}

export function EmptyMessage({ title, description, action }: { title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState py="xl" icon={<IconInbox aria-hidden="true" />}>
      <EmptyState.Title order={2} fz="md">
        {title}
      </EmptyState.Title>
      {description && <EmptyState.Description>{description}</EmptyState.Description>}
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
