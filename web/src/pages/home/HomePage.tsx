import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Badge, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { PERMISSION_LABELS, ROLE_LABELS } from '../../../../src/domain/access/roles.ts';
import { useTotal, type Resource } from '../../api/resource';
import { useMyCalibrations } from '../../api/calibration';
import { JOB_ROLES, JOB_ROLE_LABELS } from '../../api/types';
import { useCan, useSession } from '../../auth/session';
import { PageHeader } from '../../components/PageHeader';
import { formatNumber } from '../../lib/format';

/** A headline figure. Deliberately not a link: the nav already has "Vendors", "Sites"... */
function CountCard({ label, resource, params }: { label: string; resource: Resource; params?: Record<string, string> }) {
  const { total, isPending, isError } = useTotal(resource, params);
  return (
    <Paper withBorder p="md" radius="md">
      <Text size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      {isPending ? (
        <Skeleton h={32} w={80} mt={6} />
      ) : (
        <Text fz={28} fw={700} c="blue.9">
          {isError ? '—' : formatNumber(total)}
        </Text>
      )}
    </Paper>
  );
}

function RoleRow({ role }: { role: (typeof JOB_ROLES)[number] }) {
  const { total, isPending } = useTotal('people', { jobRole: role, status: 'active' });
  return (
    <Group justify="space-between" py={6} style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <Anchor component={Link} to={`/people?jobRole=${role}&status=active`} size="sm">
        {JOB_ROLE_LABELS[role]}
      </Anchor>
      {isPending ? <Skeleton h={16} w={40} /> : <Text size="sm" fw={600}>{formatNumber(total)}</Text>}
    </Group>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      {children}
    </section>
  );
}

/** Calibration: the sessions waiting for one's answers, and the lead's way in. */
function CalibrationBox({ canRun }: { canRun: boolean }) {
  const mine = useMyCalibrations();
  const waiting = (mine.data?.items ?? []).filter((s) => s.status === 'open' && s.submittedAt === null).length;
  return (
    <Section id="home-calibration" title="Calibration">
      <Paper withBorder p="md" radius="md">
        <Stack gap={6}>
          <Text size="sm">
            {mine.isPending ? 'Checking your calibrations…' : waiting === 0 ? 'No calibration is waiting for your answers.' : `${waiting} calibration session${waiting === 1 ? '' : 's'} waiting for your answers.`}
          </Text>
          <Group gap="md">
            <Anchor component={Link} to="/calibration/mine" size="sm" fw={600}>
              My calibrations
            </Anchor>
            {canRun && (
              <Anchor component={Link} to="/calibration" size="sm" fw={600}>
                Calibration sessions
              </Anchor>
            )}
          </Group>
        </Stack>
      </Paper>
    </Section>
  );
}

export function HomePage() {
  const { user, permissions } = useSession();
  const can = useCan();
  const firstName = user.displayName.split(' ')[0] ?? user.displayName;

  return (
    <>
      <PageHeader
        title="Overview"
        description={`Welcome back, ${firstName}. Figures below cover ${user.scope.kind === 'all' ? 'the whole organisation' : user.scope.label}.`}
      />
      <Stack gap="xl">
        {can('org.read') && (
          <Section id="home-org" title="Organisation">
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
              <CountCard label="Vendors" resource="vendors" params={{ status: 'active' }} />
              <CountCard label="Sites" resource="sites" params={{ status: 'active' }} />
              <CountCard label="Teams" resource="teams" params={{ status: 'active' }} />
              <CountCard label="Active people" resource="people" params={{ status: 'active' }} />
            </SimpleGrid>
          </Section>
        )}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
          {can('org.read') && (
            <Section id="home-roles" title="Active people by role">
              <Paper withBorder p="md" radius="md">
                {JOB_ROLES.map((role) => (
                  <RoleRow key={role} role={role} />
                ))}
              </Paper>
            </Section>
          )}
          <Stack gap="xl">
            {can('policy.read') && (
              <Section id="home-policy" title="Policy">
                <SimpleGrid cols={2}>
                  <CountCard label="Workflows" resource="workflows" params={{ status: 'active' }} />
                  <CountCard label="Policies" resource="policies" params={{ status: 'active' }} />
                </SimpleGrid>
              </Section>
            )}
            {can('metrics.read') && (
              <Section id="home-quality" title="Quality">
                <Paper withBorder p="md" radius="md">
                  <Text size="sm" mb="xs">
                    Accuracy, error rates, trends and agents, each with its interval and the reviews behind it.
                  </Text>
                  <Anchor component={Link} to="/quality" size="sm" fw={600}>
                    Open the quality dashboards
                  </Anchor>
                </Paper>
              </Section>
            )}
            {/* Auditing the auditors */}
            {can('auditing.read') && (
              <Section id="home-auditing" title="Auditing the auditors">
                <Paper withBorder p="md" radius="md">
                  <Text size="sm" mb="xs">
                    Whether vendor QA can be trusted: blind double review with leniency intervals, and each reviewer's accuracy on hidden gold items.
                  </Text>
                  <Group gap="md">
                    <Anchor component={Link} to="/auditing/double-review" size="sm" fw={600}>
                      Double review
                    </Anchor>
                    <Anchor component={Link} to="/auditing/reviewers" size="sm" fw={600}>
                      Reviewer quality
                    </Anchor>
                  </Group>
                </Paper>
              </Section>
            )}
            {/* Training */}
            {(can('training.read') || can('training.learn')) && (
              <Section id="home-training" title="Training">
                <Paper withBorder p="md" radius="md">
                  <Stack gap={6}>
                    <Text size="sm">Assigned courses, assessments and certifications{can('training.read') ? ', and completion in your scope with intervals' : ''}.</Text>
                    <Group gap="md">
                      {can('training.learn') && (
                        <Anchor component={Link} to="/learning" size="sm" fw={600}>
                          My learning
                        </Anchor>
                      )}
                      {can('training.read') && (
                        <Anchor component={Link} to="/training/courses" size="sm" fw={600}>
                          Courses
                        </Anchor>
                      )}
                      {can('training.read') && (
                        <Anchor component={Link} to="/training/completion" size="sm" fw={600}>
                          Training completion
                        </Anchor>
                      )}
                    </Group>
                  </Stack>
                </Paper>
              </Section>
            )}
            {/* Calibration */}
            {can('calibration.take') && <CalibrationBox canRun={can('calibration.run')} />}
            <Section id="home-access" title="Your access">
              <Paper withBorder p="md" radius="md">
                <Stack gap="xs">
                  <Group gap="xs">
                    <Text size="sm" fw={500}>
                      Role
                    </Text>
                    <Badge color="blue">{ROLE_LABELS[user.role] ?? user.role}</Badge>
                  </Group>
                  <Text size="sm">
                    <Text span fw={500}>
                      Scope:
                    </Text>{' '}
                    {user.scope.label}
                  </Text>
                  <Text size="sm" fw={500} mt="xs">
                    You can:
                  </Text>
                  <List size="sm" spacing={2}>
                    {permissions.map((permission) => (
                      <List.Item key={permission}>{PERMISSION_LABELS[permission] ?? permission}</List.Item>
                    ))}
                  </List>
                </Stack>
              </Paper>
            </Section>
          </Stack>
        </SimpleGrid>
      </Stack>
    </>
  );
}
