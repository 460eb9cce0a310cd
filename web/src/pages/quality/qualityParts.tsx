/** Small pieces every quality dashboard uses: the CSV button, figure links, badges, the measure picker. */
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { Anchor, Badge, Button, Group, Select, Text, VisuallyHidden, type SelectProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload } from '@tabler/icons-react';
import { errorMessage, type QueryParams } from '../../api/client';
import { downloadCsv, type Estimate, type Measure, type MeasureKind, type VersusOverall } from '../../api/metrics';
import { formatNumber } from '../../lib/format';
import { formatInterval, formatValue, isWorse, MEASURE_LABELS, VERSUS_WORDS } from './qualityFormat';

interface CsvButtonProps {
  /** Fetches or builds the CSV and saves it. */
  download: () => Promise<void> | void;
  /** What the table holds, for the button's accessible name ("agents by accuracy"). */
  what: string;
}

/** Downloads a table's figures as CSV. */
export function CsvButton({ download, what }: CsvButtonProps) {
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await download();
    } catch (error) {
      notifications.show({ color: 'red', title: 'Could not download the CSV', message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button
      variant="default"
      size="xs"
      leftSection={<IconDownload size={14} aria-hidden="true" />}
      loading={busy}
      onClick={() => void run()}
    >
      Download CSV<VisuallyHidden> of {what}</VisuallyHidden>
    </Button>
  );
}

/** A figure that opens the reviews behind it. */
export function FigureLink({ to, children, label }: { to: string; children: ReactNode; label?: string }) {
  return (
    <Anchor component={Link} to={to} size="sm" aria-label={label} style={{ whiteSpace: 'nowrap' }}>
      {children}
    </Anchor>
  );
}

/** "93.1% (91.0–95.0)": the value, its interval dimmed; census measures just the value. */
export function EstimateText({
  kind,
  value,
  lower,
  upper,
  se,
}: {
  kind: MeasureKind;
  value: number | null;
  lower: number | null;
  upper: number | null;
  se: number | null;
}) {
  const interval = value === null || se === null ? null : formatInterval(kind, lower, upper);
  return (
    <>
      <Text span fw={600} size="sm">
        {formatValue(kind, value)}
      </Text>
      {interval && (
        <Text span size="sm" c="dimmed">
          {' '}({interval})
        </Text>
      )}
    </>
  );
}

/** "Credibly below" / "Credibly above" / "Within noise", coloured by whether that side is bad for this measure. */
export function VersusBadge({ measure, versus, tooFew, qValue }: { measure: Measure; versus: VersusOverall; tooFew?: boolean; qValue?: number | null }) {
  if (tooFew) {
    return (
      <Badge color="gray" variant="outline">
        Too few reviews
      </Badge>
    );
  }
  const color = versus === 'within' ? 'gray' : isWorse(measure, versus) ? 'red' : 'green';
  // The adjusted p-value on hover: how strong the evidence is, after the number of groups compared.
  const title = qValue === null || qValue === undefined ? undefined : `q = ${qValue < 0.001 ? '< 0.001' : qValue.toFixed(3)} (adjusted for the groups compared)`;
  return (
    <Badge color={color} title={title}>
      {VERSUS_WORDS[versus]}
    </Badge>
  );
}

interface MeasureSelectProps extends Omit<SelectProps, 'data' | 'value' | 'onChange'> {
  measures: readonly Measure[];
  value: Measure;
  onChange: (measure: Measure) => void;
}

export function MeasureSelect({ measures, value, onChange, ...props }: MeasureSelectProps) {
  return (
    <Select
      label="Measure"
      data={measures.map((m) => ({ value: m, label: MEASURE_LABELS[m] }))}
      value={value}
      allowDeselect={false}
      onChange={(v) => v && onChange(v as Measure)}
      w={{ base: '100%', sm: 200 }}
      {...props}
    />
  );
}

/** A section's heading with its actions (CSV) on the right. */
export function SectionHeader({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <Group justify="space-between" align="center" mb="xs" gap="sm">
      <Text component="h2" id={id} fw={650} fz="lg" m={0}>
        {title}
      </Text>
      {children && <Group gap="xs">{children}</Group>}
    </Group>
  );
}

/** A group's estimate as a link to the reviews behind it; nothing to link when there is no estimate. */
export function EstimateLink({ to, kind, estimate, label }: { to: string; kind: MeasureKind; estimate: Pick<Estimate, 'value' | 'lower' | 'upper' | 'se'>; label?: string }) {
  const text = <EstimateText kind={kind} value={estimate.value} lower={estimate.lower} upper={estimate.upper} se={estimate.se} />;
  if (estimate.value === null) return text;
  return (
    <FigureLink to={to} label={label}>
      {text}
    </FigureLink>
  );
}

/** A count of reviews as a link to them (a zero links nowhere). */
export function CountLink({ to, n, label }: { to: string; n: number; label?: string }) {
  if (n === 0) return <>0</>;
  return (
    <FigureLink to={to} label={label}>
      {formatNumber(n)}
    </FigureLink>
  );
}

/** A metrics endpoint's format=csv for this query (made and audited by the server), as a CsvButton's download. */
export function serverCsv(path: string, params: QueryParams, fallbackName: string): () => Promise<void> {
  return () => downloadCsv(path, params, fallbackName);
}
