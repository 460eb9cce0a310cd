import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { Button, Center, Loader, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { SIGNED_OUT_KEY, useSessionQuery } from '../api/auth';
import { errorMessage } from '../api/client';

/** Renders children for a signed-in person; otherwise sends them to sign in. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const location = useLocation();
  const session = useSessionQuery();
  const client = useQueryClient();

  if (session.isPending) {
    return (
      <Center component="main" h="100vh">
        <Loader aria-hidden="true" />
        <VisuallyHidden role="status">Loading your session</VisuallyHidden>
      </Center>
    );
  }
  if (session.isError) {
    return (
      <Center component="main" h="100vh" p="md">
        <Stack align="center" maw={480}>
          <Title order={1} size="h3">
            Assay is not reachable
          </Title>
          <Text ta="center">{errorMessage(session.error)}</Text>
          <Button onClick={() => void session.refetch()}>Try again</Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}${location.hash}`;
    const signedOut = client.getQueryData<boolean>(SIGNED_OUT_KEY) === true;
    const keepNext = !signedOut && next && next !== '/';
    const target = keepNext ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
    return <Navigate to={target} replace />;
  }
  return <>{children}</>;
}
