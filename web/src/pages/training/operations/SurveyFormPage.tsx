import { useMemo } from 'react';
import { useNavigate } from 'react-router-dom';
import { ActionIcon, Button, Group, NumberInput, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useCourses } from '../../../api/training';
import { useCreateSurvey, type SurveyItem } from '../../../api/training-operations';
import { FormErrorAlert } from '../../../components/FormErrorAlert';
import { PageHeader } from '../../../components/PageHeader';
import { useServerErrors } from '../../../lib/serverErrors';
import { Section } from './opsParts';

type Kind = SurveyItem['kind'];
interface Values {
  name: string;
  description: string;
  courseId: string | null;
  minGroupSize: number | string;
  items: Array<{ kind: Kind; text: string }>;
}

const MAX_ITEMS = 30;

/** A stable, readable key per item ("the_examples_helped"), unique within the survey; results and answers are keyed by it. */
export function itemKeys(items: ReadonlyArray<{ text: string }>): string[] {
  const used = new Set<string>();
  return items.map((item, i) => {
    const slug = item.text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40).replace(/_+$/, '');
    let key = /^[a-z]/.test(slug) ? slug : `q${i + 1}${slug ? `_${slug}` : ''}`.slice(0, 40);
    for (let n = 2; used.has(key); n += 1) key = `${key.replace(/_\d+$/, '')}_${n}`;
    used.add(key);
    return key;
  });
}

// The server reports an item's key by its index; the key is derived from the statement, so show it there.
const KEY_TO_TEXT = Object.fromEntries(Array.from({ length: MAX_ITEMS }, (_, i) => [`items.${i}.key`, `items.${i}.text`]));

/** Defining a reaction survey (Kirkpatrick level 1): the statements rated 1-5, optional free-text questions, and the course it follows. */
export function SurveyFormPage() {
  const navigate = useNavigate();
  const courses = useCourses();
  const create = useCreateSurvey();
  const form = useForm<Values>({
    initialValues: {
      name: '',
      description: '',
      courseId: null,
      minGroupSize: 5,
      items: [
        { kind: 'likert', text: 'The objectives of the training were clear.' },
        { kind: 'likert', text: 'I feel confident applying what I learned.' },
        { kind: 'text', text: 'What should we improve?' },
      ],
    },
  });
  const { formError, handleError, clear } = useServerErrors(form, KEY_TO_TEXT);
  const courseOptions = useMemo(
    () => (courses.data ?? []).filter((c) => c.status === 'active').map((c) => ({ value: c.id, label: `${c.title} · ${c.workflowName}${c.vendorName ? ` · ${c.vendorName}` : ''}` })),
    [courses.data],
  );
  const items = form.getValues().items;
  const rows = (kind: Kind) => items.map((item, index) => ({ item, index })).filter((r) => r.item.kind === kind);
  const add = (kind: Kind) => form.insertListItem('items', { kind, text: '' });

  const submit = form.onSubmit((v) => {
    clear();
    const keys = itemKeys(v.items);
    create.mutate(
      {
        name: v.name,
        description: v.description || undefined,
        courseId: v.courseId,
        minGroupSize: typeof v.minGroupSize === 'number' ? v.minGroupSize : Number(v.minGroupSize) || undefined,
        items: v.items.map((item, i) => ({ key: keys[i]!, text: item.text, kind: item.kind })),
      },
      {
        onSuccess: (survey) => {
          notifications.show({ color: 'green', message: `Survey "${survey.name}" added${survey.courseTitle ? `: sent after ${survey.courseTitle}` : ''}.` });
          navigate(`/training/operations/surveys?survey=${survey.id}`);
        },
        onError: handleError,
      },
    );
  });

  const itemRows = (kind: Kind, label: string) =>
    rows(kind).map(({ index }, n) => (
      <Group key={index} align="flex-start" wrap="nowrap">
        <Textarea
          label={`${label} ${n + 1}`}
          autosize
          minRows={1}
          style={{ flex: 1 }}
          {...form.getInputProps(`items.${index}.text`)}
        />
        <ActionIcon variant="subtle" color="red" mt={26} aria-label={`Remove ${label.toLowerCase()} ${n + 1}`} onClick={() => form.removeListItem('items', index)}>
          <IconTrash size={16} aria-hidden="true" />
        </ActionIcon>
      </Group>
    ));

  return (
    <>
      <PageHeader
        title="New reaction survey"
        eyebrow="Surveys"
        crumbs={[{ label: 'Reaction surveys', to: '/training/operations/surveys' }]}
        description="Learners are asked after a cohort session they attended or a course they completed. A survey that follows a course replaces the general survey for that course; answers stay anonymous and results show only for groups of at least the minimum size."
      />
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={820}>
          <FormErrorAlert error={formError} title="Could not add the survey" />
          <Section title="Survey">
            <TextInput label="Title" required {...form.getInputProps('name')} />
            <Select
              label="Course it follows"
              description="Leave empty for the general survey, sent after any training without a survey of its own."
              placeholder={courses.isPending ? 'Loading courses…' : 'Any training (general survey)'}
              data={courseOptions}
              searchable
              clearable
              nothingFoundMessage="No matching course"
              {...form.getInputProps('courseId')}
            />
            <Textarea label="Introduction" description="Shown to learners above the questions (optional)." autosize minRows={2} {...form.getInputProps('description')} />
            <NumberInput label="Minimum group size" description="Results for a course, trainer, site or cohort with fewer answers are withheld (at least 3)." min={3} max={100} w={280} {...form.getInputProps('minGroupSize')} />
          </Section>
          <Section
            title="Statements rated 1 to 5"
            actions={<Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden="true" />} disabled={items.length >= MAX_ITEMS} onClick={() => add('likert')}>Add a statement</Button>}
          >
            <Text size="sm" c="dimmed">Learners rate each statement from 1 (strongly disagree) to 5 (strongly agree); every statement must be answered. Results show the mean with its 95% interval.</Text>
            {itemRows('likert', 'Statement')}
            {rows('likert').length === 0 && <Text size="sm" c="dimmed">No statements yet: a survey needs at least one.</Text>}
            {typeof form.errors.items === 'string' && <Text size="sm" c="red" role="alert">{form.errors.items}</Text>}
          </Section>
          <Section
            title="Free-text questions"
            actions={<Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden="true" />} disabled={items.length >= MAX_ITEMS} onClick={() => add('text')}>Add a question</Button>}
          >
            <Text size="sm" c="dimmed">Optional to answer; shown to trainers and managers as comments, only for groups of the minimum size.</Text>
            {itemRows('text', 'Question')}
            {rows('text').length === 0 && <Text size="sm" c="dimmed">No free-text questions.</Text>}
          </Section>
          <Group>
            <Button type="submit" loading={create.isPending}>Add survey</Button>
            <Button variant="default" onClick={() => navigate('/training/operations/surveys')}>Cancel</Button>
          </Group>
        </Stack>
      </form>
    </>
  );
}
