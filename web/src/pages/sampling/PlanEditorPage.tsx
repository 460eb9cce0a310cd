import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Alert, Badge, Button, Grid, Group, NumberInput, Paper, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChartBar, IconCopy, IconDeviceFloppy, IconFileText, IconInfoCircle, IconPlayerPlay, IconTrash } from '@tabler/icons-react';
import { errorMessage, isApiError, isNotFound } from '../../api/client';
import { useSites, useVendors } from '../../api/org';
import { useWorkflow } from '../../api/policy';
import {
  useActivateDraft,
  useCreateDraft,
  useDiscardDraft,
  usePlanVersions,
  usePreviewPlan,
  useSaveDraft,
  type PlanPreview,
  type PlanVersion,
} from '../../api/sampling';
import { useSeesAllVendors } from '../../auth/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { FormErrorAlert } from '../../components/FormErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ErrorState, LoadingState, NotFoundState } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import type { FormLevelError } from '../../lib/serverErrors';
import { usePolicyLabels } from '../decisions/usePolicyLabels';
import { BandsEditor } from './BandsEditor';
import type { ConditionOptions } from './ConditionsFields';
import { PreviewPanel } from './PreviewPanel';
import { RiskWeightsEditor } from './RiskWeightsEditor';
import { StrataEditor } from './StrataEditor';
import { useNameOf } from './useNameOf';
import { formToDefinition, placeServerErrors, versionToForm, type PlanFormValues } from './planForm';

const PREVIEW_DAYS = 28;

const EMPTY_VALUES: PlanFormValues = {
  name: '',
  notes: '',
  tenureBands: [],
  modelScoreBands: [],
  strata: [],
  riskWeights: [],
  assumedAccuracyPct: '',
};

function StartDraft({ workflowId, workflowName, active }: { workflowId: string; workflowName: string; active: PlanVersion | undefined }) {
  const create = useCreateDraft(workflowId);
  const start = (from: 'active' | 'default') =>
    create.mutate(
      { from },
      { onSuccess: (draft) => notifications.show({ color: 'green', message: `Draft version ${draft.version} created.` }) },
    );
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="start-draft-heading">
      <Stack gap="md" align="flex-start">
        <Title order={2} size="h4" id="start-draft-heading">
          Start a draft
        </Title>
        <Text size="sm">
          {workflowName} has no draft. A draft is a new version of the plan that you can edit, preview and then activate; the active
          version keeps sampling until then.
        </Text>
        {create.isError && <FormErrorAlert error={{ message: errorMessage(create.error), details: [] }} title="Could not create the draft" />}
        <Group>
          {active && (
            <Button leftSection={<IconCopy size={16} aria-hidden="true" />} onClick={() => start('active')} loading={create.isPending && create.variables?.from === 'active'}>
              Copy the active version ({active.version})
            </Button>
          )}
          <Button
            variant={active ? 'default' : 'filled'}
            leftSection={<IconFileText size={16} aria-hidden="true" />}
            onClick={() => start('default')}
            loading={create.isPending && create.variables?.from === 'default'}
          >
            Start from the default plan
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

function DraftEditor({ draft, active, workflowName }: { draft: PlanVersion; active: PlanVersion | undefined; workflowName: string }) {
  const navigate = useNavigate();
  const save = useSaveDraft();
  const activate = useActivateDraft();
  const discard = useDiscardDraft();
  const previewPlan = usePreviewPlan();
  const [preview, setPreview] = useState<PlanPreview | null>(null);
  const [formError, setFormError] = useState<FormLevelError | null>(null);
  const [activateOpened, activateDialog] = useDisclosure(false);
  const [discardOpened, discardDialog] = useDisclosure(false);
  const previewRef = useRef<HTMLDivElement>(null);
  const filledFor = useRef<string | null>(null);

  const form = useForm<PlanFormValues>({ initialValues: EMPTY_VALUES });
  useEffect(() => {
    if (filledFor.current !== draft.id) {
      filledFor.current = draft.id;
      form.setValues(versionToForm(draft));
      form.resetDirty(versionToForm(draft));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft.id]);

  const vendors = useVendors({ limit: 500 });
  const sites = useSites({ limit: 500 });
  const { options: labelOptions } = usePolicyLabels(draft.workflowId);
  const nameOf = useNameOf(draft.workflowId);
  const options: ConditionOptions = useMemo(
    () => ({
      labels: labelOptions,
      vendors: (vendors.data?.items ?? []).map((v) => ({ value: v.id, label: v.name })),
      sites: (sites.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name} — ${s.vendorName}` })),
      tenureBands: form.values.tenureBands.map((b) => b.key.trim()),
      modelScoreBands: form.values.modelScoreBands.map((b) => b.key.trim()),
    }),
    [labelOptions, vendors.data, sites.data, form.values.tenureBands, form.values.modelScoreBands],
  );

  const handleError = (error: unknown) => {
    if (isApiError(error) && error.details.length > 0) {
      const { fieldErrors, unplaced } = placeServerErrors(error.details);
      form.setErrors(fieldErrors);
      setFormError(unplaced.length > 0 || Object.keys(fieldErrors).length === 0 ? { message: error.message, details: unplaced } : null);
      if (Object.keys(fieldErrors).length > 0) {
        window.setTimeout(() => {
          const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]') ?? document.querySelector<HTMLElement>('main [role="alert"]');
          if (!invalid) return;
          if (invalid.tagName === 'INPUT' && !invalid.closest('[data-combobox-target], .mantine-PillsInput-field')) invalid.focus();
          else invalid.scrollIntoView({ block: 'center', behavior: 'smooth' });
        }, 0);
      }
    } else {
      setFormError({ message: errorMessage(error), details: [] });
    }
  };
  const clearErrors = () => {
    form.clearErrors();
    setFormError(null);
  };
  const body = () => ({ name: form.values.name.trim(), notes: form.values.notes, definition: formToDefinition(form.values) });

  const onSave = () => {
    clearErrors();
    save.mutate(
      { id: draft.id, body: body() },
      {
        onSuccess: () => {
          form.resetDirty();
          notifications.show({ color: 'green', message: 'Draft saved.' });
        },
        onError: handleError,
      },
    );
  };

  const onPreview = () => {
    clearErrors();
    previewPlan.mutate(
      { workflowId: draft.workflowId, definition: formToDefinition(form.values), days: PREVIEW_DAYS },
      {
        onSuccess: (result) => {
          setPreview(result);
          window.setTimeout(() => previewRef.current?.scrollIntoView({ block: 'start', behavior: 'smooth' }), 0);
        },
        onError: (error) => {
          setPreview(null);
          handleError(error);
        },
      },
    );
  };

  const onActivate = () => {
    clearErrors();
    save.mutate(
      { id: draft.id, body: body() },
      {
        onSuccess: () =>
          activate.mutate(draft.id, {
            onSuccess: (version) => {
              activateDialog.close();
              notifications.show({ color: 'green', message: `Version ${version.version} of the ${workflowName} plan is now active.` });
              navigate(`/sampling/${draft.workflowId}?version=${version.version}`);
            },
            onError: (error) => {
              activateDialog.close();
              handleError(error);
            },
          }),
        onError: (error) => {
          activateDialog.close();
          handleError(error);
        },
      },
    );
  };

  const onDiscard = () =>
    discard.mutate(draft.id, {
      onSuccess: () => {
        discardDialog.close();
        notifications.show({ color: 'green', message: `Draft version ${draft.version} discarded.` });
        navigate('/sampling');
      },
      onError: (error) => {
        discardDialog.close();
        handleError(error);
      },
    });


  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onSave();
      }}
      noValidate
    >
      <Stack gap="lg">
        <FormErrorAlert error={formError} title="The plan needs changes" />
        <Paper withBorder radius="md" p="md">
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput label="Plan name" required maxLength={120} {...form.getInputProps('name')} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <NumberInput
                label="Assumed accuracy (%)"
                description="For the preview's margins of error; 50% is the most conservative"
                suffix="%"
                decimalScale={2}
                min={0}
                max={100}
                clampBehavior="none"
                {...form.getInputProps('assumedAccuracyPct')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label="Notes"
                description="Why this version: what changed and what it is meant to catch."
                autosize
                minRows={2}
                maxRows={8}
                {...form.getInputProps('notes')}
              />
            </Grid.Col>
          </Grid>
        </Paper>

        <section aria-labelledby="strata-heading">
          <Title order={2} size="h4" id="strata-heading" mb={4}>
            Strata
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            In order: a decision falls in the first stratum whose conditions it matches. Conditions combine with AND; the values
            inside one condition are alternatives.
          </Text>
          <StrataEditor form={form} options={options} />
        </section>

        <section aria-labelledby="weights-heading">
          <Title order={2} size="h4" id="weights-heading" mb={4}>
            Risk weights
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            Oversample riskier decisions in random-rate strata. Each matching weight multiplies the rate; inclusion probabilities are
            recorded, so estimates stay unbiased.
          </Text>
          <RiskWeightsEditor form={form} options={options} />
        </section>

        <section aria-labelledby="bands-heading">
          <Title order={2} size="h4" id="bands-heading" mb="sm">
            Bands
          </Title>
          <Grid gap="md">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <BandsEditor form={form} field="tenureBands" legend="Tenure bands" unit="days since hire" />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <BandsEditor form={form} field="modelScoreBands" legend="Model-score bands" unit="score, 0 to 1" step={0.05} max={1} />
            </Grid.Col>
          </Grid>
        </section>

        <Paper withBorder radius="md" p="md" pos="sticky" bottom={0} style={{ zIndex: 5 }}>
          <Group justify="space-between" gap="sm">
            <Group gap="xs">
              <Button color="red" variant="subtle" leftSection={<IconTrash size={16} aria-hidden="true" />} onClick={discardDialog.open}>
                Discard draft
              </Button>
              {form.isDirty() ? (
                <Badge color="yellow">Unsaved changes</Badge>
              ) : (
                <Text size="xs" c="dimmed">
                  Saved {formatDateTime(draft.updatedAt)}
                </Text>
              )}
            </Group>
            <Group gap="sm">
              <Button variant="default" type="submit" leftSection={<IconDeviceFloppy size={16} aria-hidden="true" />} loading={save.isPending && !activateOpened}>
                Save draft
              </Button>
              <Button variant="light" leftSection={<IconChartBar size={16} aria-hidden="true" />} onClick={onPreview} loading={previewPlan.isPending}>
                Preview
              </Button>
              <Button color="green" leftSection={<IconPlayerPlay size={16} aria-hidden="true" />} onClick={activateDialog.open}>
                Activate
              </Button>
            </Group>
          </Group>
        </Paper>

        <div ref={previewRef} style={{ scrollMarginTop: 72 }}>
          {preview && <PreviewPanel preview={preview} nameOf={nameOf} />}
        </div>
      </Stack>

      <ConfirmDialog
        opened={activateOpened}
        title={`Activate version ${draft.version}?`}
        confirmLabel="Activate now"
        confirmColor="green"
        loading={save.isPending || activate.isPending}
        onConfirm={onActivate}
        onCancel={activateDialog.close}
      >
        <Stack gap="xs">
          <Text size="sm">
            Version {draft.version} takes effect <strong>now</strong>: every {workflowName} decision made from this moment is sampled by
            it{active ? `, and version ${active.version} stops sampling` : ''}.
          </Text>
          <Text size="sm">
            An activated version <strong>cannot be edited or deleted</strong> afterwards: sampled decisions keep the version that picked
            them. To change the plan later, start a new draft.
          </Text>
          {form.isDirty() && <Text size="sm">Your unsaved changes are saved first.</Text>}
        </Stack>
      </ConfirmDialog>
      <ConfirmDialog
        opened={discardOpened}
        title={`Discard draft version ${draft.version}?`}
        confirmLabel="Discard draft"
        loading={discard.isPending}
        onConfirm={onDiscard}
        onCancel={discardDialog.close}
      >
        The draft and its changes are deleted. The active version is not affected.
      </ConfirmDialog>
    </form>
  );
}

/** Create, edit, preview and activate the draft version of a workflow's sampling plan. */
export function PlanEditorPage() {
  const { workflowId } = useParams();
  const workflow = useWorkflow(workflowId);
  const versions = usePlanVersions(workflowId);
  const seesAllVendors = useSeesAllVendors();

  if (workflow.isPending || versions.isPending) return <LoadingState label="Loading the plan" />;
  if (isNotFound(workflow.error) || isNotFound(versions.error)) return <NotFoundState what="workflow" backTo="/sampling" backLabel="Back to sampling plans" />;
  if (workflow.isError) return <ErrorState error={workflow.error} onRetry={() => void workflow.refetch()} />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;

  const draft = versions.data.items.find((v) => v.status === 'draft');
  const active = versions.data.items.find((v) => v.status === 'active');
  const w = workflow.data;

  return (
    <>
      <PageHeader
        title={`Draft plan for ${w.name}`}
        eyebrow="Sampling plan"
        crumbs={[
          { label: 'Sampling plans', to: '/sampling' },
          { label: w.name, to: `/sampling/${w.id}` },
        ]}
        badges={draft && <Badge color="blue">Version {draft.version}</Badge>}
        description={
          active
            ? `Version ${active.version} (${active.name}) is active since ${formatDateTime(active.effectiveFrom)}.`
            : 'No version is active: nothing from this workflow is sampled yet.'
        }
      />
      {!seesAllVendors ? (
        <Alert color="orange" icon={<IconInfoCircle aria-hidden="true" />} role="note">
          A sampling plan applies to every vendor of its workflow, so only a user whose scope is all vendors can change one.
        </Alert>
      ) : draft ? (
        <>
          <Alert color="blue" icon={<IconInfoCircle aria-hidden="true" />} mb="lg" role="note">
            Rates are percentages of the stratum&apos;s decisions. Preview before activating: it shows the daily QA volume the plan
            would create and the margin of error it buys.
          </Alert>
          <DraftEditor key={draft.id} draft={draft} active={active} workflowName={w.name} />
        </>
      ) : (
        <StartDraft workflowId={w.id} workflowName={w.name} active={active} />
      )}
    </>
  );
}
