import { Badge, Checkbox, Group, Radio, Stack, Text } from '@mantine/core';
import type { Severity } from '../../api/review';
import { SEVERITY_COLORS } from '../decisions/decisionFormat';

export interface LabelChoices {
  policyKey: string;
  policyName: string;
  labels: Array<{ key: string; name: string; severity: Severity | null }>;
}

/**
 * The labels (grouped by policy, with their severity) and the action of a verdict, as checkboxes and
 * radios: the reviewer's verdict in the workspace, a participant's or the SME's in a calibration.
 */
export function LabelActionFields(props: {
  labelOptions: LabelChoices[];
  actionOptions: Array<{ key: string; name: string }>;
  labels: string[];
  action: string;
  onLabels: (labels: string[]) => void;
  onAction: (action: string) => void;
  disabled?: boolean;
}) {
  const { labelOptions, actionOptions, labels, action, onLabels, onAction, disabled = false } = props;
  return (
    <>
      <Checkbox.Group label="Labels that apply (none means no violation)" value={labels} onChange={onLabels}>
        <Stack gap={6} mt={6}>
          {labelOptions.map((policy) => (
            <fieldset key={policy.policyKey} style={{ border: 0, padding: 0, margin: 0 }}>
              <Text component="legend" size="xs" fw={700} c="dimmed" tt="uppercase">
                {policy.policyName}
              </Text>
              <Group gap="md" mt={4}>
                {policy.labels.map((label) => (
                  <Checkbox
                    key={label.key}
                    value={label.key}
                    disabled={disabled}
                    label={
                      <Group gap={4} wrap="nowrap">
                        <span>{label.name}</span>
                        {label.severity && (
                          <Badge size="xs" variant="light" color={SEVERITY_COLORS[label.severity]}>
                            {label.severity}
                          </Badge>
                        )}
                      </Group>
                    }
                  />
                ))}
              </Group>
            </fieldset>
          ))}
        </Stack>
      </Checkbox.Group>
      <Radio.Group label="Action" value={action} onChange={onAction} withAsterisk>
        <Group gap="md" mt={6}>
          {actionOptions.map((a) => (
            <Radio key={a.key} value={a.key} label={a.name} disabled={disabled} />
          ))}
        </Group>
      </Radio.Group>
    </>
  );
}
