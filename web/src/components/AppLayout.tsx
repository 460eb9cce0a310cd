import { Outlet } from 'react-router-dom';
import { Anchor, AppShell, Badge, Box, Burger, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconLogout, IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ROLE_LABELS } from '../../../src/domain/access/roles.ts';
import { useSignOut } from '../api/auth';
import { useSession } from '../auth/session';
import { MainNav } from './MainNav';

function SkipLink() {
  return (
    <Anchor
      href="#main-content"
      style={{ position: 'absolute', left: -9999, top: 8, zIndex: 2000 }}
      onFocus={(event) => Object.assign(event.currentTarget.style, { left: '8px' })}
      onBlur={(event) => Object.assign(event.currentTarget.style, { left: '-9999px' })}
      bg="white"
      p="xs"
    >
      Skip to main content
    </Anchor>
  );
}

function UserSummary() {
  const { user } = useSession();
  const signOut = useSignOut();
  return (
    <Group gap="sm" wrap="nowrap">
      <Stack gap={0} align="flex-end" visibleFrom="sm">
        <Text fw={600} size="sm" lh={1.3}>
          {user.displayName}
        </Text>
        <Group gap={6} wrap="nowrap">
          <Badge size="sm" variant="light" color="blue">
            <VisuallyHidden>Role: </VisuallyHidden>
            {ROLE_LABELS[user.role]}
          </Badge>
          <Text size="xs" c="dimmed" title="What you can see in Assay">
            <VisuallyHidden>Scope: </VisuallyHidden>
            {user.scope.label}
          </Text>
        </Group>
      </Stack>
      <Button
        variant="default"
        size="sm"
        leftSection={<IconLogout size={16} aria-hidden="true" />}
        loading={signOut.isPending}
        onClick={() => signOut.mutate()}
      >
        Sign out
      </Button>
    </Group>
  );
}

/** The signed-in frame: header with the user, left navigation, main region. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="lg"
    >
      <SkipLink />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? 'Close navigation' : 'Open navigation'}
            />
            <Anchor component={Link} to="/" underline="never" c="inherit">
              <Group gap={6} wrap="nowrap">
                <IconShieldCheck size={26} aria-hidden="true" color="var(--mantine-color-blue-8)" />
                <Text fw={700} fz="lg" component="span">
                  Assay
                </Text>
              </Group>
            </Anchor>
          </Group>
          <UserSummary />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <MainNav onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main-content" tabIndex={-1} bg="gray.0">
        <Box maw={1400} mx="auto">
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
