import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { usePageTitle } from './usePageTitle';

export interface Crumb {
  label: string;
  to: string;
}

interface PageHeaderProps {
  title: string;
  /** Document title, when it should differ from the heading. */
  documentTitle?: string;
  description?: ReactNode;
  actions?: ReactNode;
  /** Links to the records above this one (vendor, site...). */
  crumbs?: Crumb[];
  /** What kind of record this page shows ("Vendor"), as plain text above the title. */
  eyebrow?: string;
  badges?: ReactNode;
}

/** The page's <h1>, breadcrumbs, intro and primary actions; also sets <title>. */
export function PageHeader({ title, documentTitle, description, actions, crumbs, eyebrow, badges }: PageHeaderProps) {
  usePageTitle(documentTitle ?? title);
  return (
    <Stack gap="xs" mb="lg">
      {crumbs && crumbs.length > 0 && (
        <nav aria-label="Breadcrumb">
          <Breadcrumbs separator="›">
            {crumbs.map((crumb) => (
              <Anchor key={crumb.to} component={Link} to={crumb.to} size="sm">
                {crumb.label}
              </Anchor>
            ))}
          </Breadcrumbs>
        </nav>
      )}
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={4} style={{ flex: 1, minWidth: 240 }}>
          {eyebrow && (
            <Text size="xs" fw={700} tt="uppercase" c="dimmed">
              {eyebrow}
            </Text>
          )}
          <Group gap="sm" align="center">
            <Title order={1} size="h2">
              {title}
            </Title>
            {badges}
          </Group>
          {description && (
            <Text c="dimmed" size="sm" component="div">
              {description}
            </Text>
          )}
        </Stack>
        {actions && <Group gap="sm">{actions}</Group>}
      </Group>
    </Stack>
  );
}
