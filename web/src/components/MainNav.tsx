import type { ComponentType } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import {
  IconBuildingSkyscraper,
  IconChartDots3,
  IconChartLine,
  IconChecklist,
  IconClipboardList,
  IconGavel,
  IconHome,
  IconKey,
  IconListDetails,
  IconListSearch,
  IconStack2,
  IconMapPin,
  IconUserCog,
  IconUsers,
  IconUsersGroup,
  IconBook,
  IconHeartHandshake,
  IconMessageQuestion,
  IconScale,
  IconStar,
  IconForms,
  IconTarget,
  IconTargetArrow,
  IconPlugConnected,
  // Training
  IconCertificate,
  IconChartBar,
  IconSchool,
  IconUsersPlus,
  IconBookmarks,
  // Training operations
  IconMessageCircle,
  IconPresentation,
  IconMoodSmile,
  IconAlarm,
  type IconProps,
} from '@tabler/icons-react';
import type { Permission } from '../api/types';
import { useCan } from '../auth/session';

interface NavItem {
  label: string;
  to: string;
  icon: ComponentType<IconProps>;
  permission?: Permission;
}

interface NavSection {
  title: string | null;
  items: NavItem[];
}

export const NAV_SECTIONS: NavSection[] = [
  { title: null, items: [{ label: 'Home', to: '/', icon: IconHome }] },
  {
    title: 'Organisation',
    items: [
      { label: 'Vendors', to: '/vendors', icon: IconBuildingSkyscraper, permission: 'org.read' },
      { label: 'Sites', to: '/sites', icon: IconMapPin, permission: 'org.read' },
      { label: 'Teams', to: '/teams', icon: IconUsersGroup, permission: 'org.read' },
      { label: 'People', to: '/people', icon: IconUsers, permission: 'org.read' },
    ],
  },
  {
    title: 'Policy',
    items: [
      { label: 'Workflows', to: '/workflows', icon: IconListDetails, permission: 'policy.read' },
      { label: 'Policies', to: '/policies', icon: IconBook, permission: 'policy.read' },
      { label: 'Actions', to: '/actions', icon: IconGavel, permission: 'policy.read' },
    ],
  },
  {
    title: 'Quality',
    items: [
      { label: 'Dashboards', to: '/quality', icon: IconChartLine, permission: 'metrics.read' },
      { label: 'Decisions', to: '/decisions', icon: IconListSearch, permission: 'decisions.read' },
      { label: 'Sampling plans', to: '/sampling', icon: IconChartDots3, permission: 'sampling.read' },
      { label: 'Scorecards', to: '/scorecards', icon: IconForms, permission: 'scorecards.read' },
      { label: 'QA queue', to: '/qa/queue', icon: IconStack2, permission: 'qa.queue' },
      { label: 'My QA tasks', to: '/qa/tasks', icon: IconChecklist, permission: 'qa.review' },
      { label: 'Reviews', to: '/reviews', icon: IconStar, permission: 'reviews.read' },
      { label: 'Disputes', to: '/disputes', icon: IconScale, permission: 'disputes.arbitrate' },
      { label: 'Escalations', to: '/escalations', icon: IconMessageQuestion, permission: 'escalations.answer' },
      // Calibration
      { label: 'Calibration', to: '/calibration', icon: IconTargetArrow, permission: 'calibration.run' },
      { label: 'My calibrations', to: '/calibration/mine', icon: IconTarget, permission: 'calibration.take' },
    ],
  },
  // Training
  {
    title: 'Training',
    items: [
      { label: 'My learning', to: '/learning', icon: IconBookmarks, permission: 'training.learn' },
      { label: 'Courses', to: '/training/courses', icon: IconSchool, permission: 'training.read' },
      { label: 'Cohorts', to: '/training/cohorts', icon: IconUsersPlus, permission: 'training.read' },
      { label: 'Certifications', to: '/training/certifications', icon: IconCertificate, permission: 'training.read' },
      { label: 'Completion', to: '/training/completion', icon: IconChartBar, permission: 'training.read' },
      // Training operations
      { label: 'Coaching', to: '/training/operations/coaching', icon: IconMessageCircle, permission: 'training.read' },
      { label: 'My coaching', to: '/training/operations/coaching/mine', icon: IconMessageCircle, permission: 'training.learn' },
      { label: 'Trainers', to: '/training/operations/trainers', icon: IconPresentation, permission: 'training.read' },
      { label: 'Reaction surveys', to: '/training/operations/surveys', icon: IconMoodSmile, permission: 'training.read' },
      { label: 'My surveys', to: '/training/operations/surveys/mine', icon: IconMoodSmile, permission: 'training.learn' },
      { label: 'Overdue training', to: '/training/operations/overdue', icon: IconAlarm, permission: 'training.read' },
    ],
  },
  // Auditing the auditors
  {
    title: 'Auditing',
    items: [
      { label: 'Double review', to: '/auditing/double-review', icon: IconScale, permission: 'auditing.read' },
      { label: 'Reviewer quality', to: '/auditing/reviewers', icon: IconUsers, permission: 'auditing.read' },
      { label: 'Gold set', to: '/auditing/gold', icon: IconStar, permission: 'auditing.manage' },
    ],
  },
  {
    title: 'Administration',
    items: [
      { label: 'Users', to: '/users', icon: IconUserCog, permission: 'users.manage' },
      { label: 'Audit log', to: '/audit', icon: IconClipboardList, permission: 'audit.read' },
      // xAPI Learning Record Store (issue 8)
      { label: 'xAPI credentials', to: '/admin/xapi', icon: IconPlugConnected, permission: 'xapi.manage' },
    ],
  },
  {
    title: 'Account',
    items: [
      { label: 'API tokens', to: '/tokens', icon: IconKey, permission: 'tokens.own' },
      { label: 'Wellbeing', to: '/wellbeing', icon: IconHeartHandshake },
    ],
  },
];

function matches(pathname: string, to: string): boolean {
  if (to === '/') return pathname === '/';
  return pathname === to || pathname.startsWith(`${to}/`);
}

/** The entry whose path is the longest prefix of the page's: /training/operations/x lights "Cohorts", not "Courses" (/training). */
function activeEntry(pathname: string): string | undefined {
  const candidates = NAV_SECTIONS.flatMap((section) => section.items.map((item) => item.to)).filter((to) => matches(pathname, to));
  return candidates.sort((a, b) => b.length - a.length)[0];
}

export function MainNav({ onNavigate }: { onNavigate?: () => void }) {
  const can = useCan();
  const { pathname } = useLocation();
  const activeTo = activeEntry(pathname);
  return (
    <ScrollArea type="auto">
      <Stack gap="md" component="div">
        {NAV_SECTIONS.map((section) => {
          const items = section.items.filter((item) => !item.permission || can(item.permission));
          if (items.length === 0) return null;
          const headingId = section.title ? `nav-${section.title.toLowerCase()}` : undefined;
          return (
            <div key={section.title ?? 'top'}>
              {section.title && (
                <Text id={headingId} size="xs" fw={700} tt="uppercase" c="dimmed" px="sm" mb={4}>
                  {section.title}
                </Text>
              )}
              <ul aria-labelledby={headingId} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
                {items.map((item) => {
                  const active = item.to === activeTo;
                  const exact = pathname === item.to;
                  return (
                    <li key={item.to}>
                      <NavLink
                        component={Link}
                        to={item.to}
                        label={item.label}
                        active={active}
                        aria-current={exact ? 'page' : active ? 'true' : undefined}
                        leftSection={<item.icon size={18} stroke={1.6} aria-hidden="true" />}
                        onClick={onNavigate}
                      />
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </Stack>
    </ScrollArea>
  );
}
