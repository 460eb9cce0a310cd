import type { ReactNode } from 'react';
import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';

/** Centered card used by the sign-in and setup pages. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: ReactNode; children: ReactNode }) {
  return (
    <Center component="main" mih="100vh" p="md" bg="gray.0">
      <Box w="100%" maw={420}>
        <Group gap="xs" justify="center" mb="lg">
          <IconShieldCheck size={32} aria-hidden="true" color="var(--mantine-color-blue-8)" />
          <Text fw={700} fz="xl" component="span">
            Assay
          </Text>
        </Group>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          <Stack gap="md">
            <Title order={1} size="h2">
              {title}
            </Title>
            {intro}
            {children}
          </Stack>
        </Paper>
      </Box>
    </Center>
  );
}
