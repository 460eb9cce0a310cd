import { lazy, Suspense, useId } from 'react';
import { Skeleton, VisuallyHidden } from '@mantine/core';
import type { EChartProps } from './EChart';

const EChart = lazy(() => import('./EChart'));

interface ChartFigureProps extends EChartProps {
  /** What the chart shows, e.g. "Accuracy by week with its 95% confidence band". */
  label: string;
  /** The chart's message in words (trend, extremes, signals), read after the name. */
  description: string;
}

/**
 * A chart as an image with an accessible name and a text description; the
 * drawing itself is hidden from assistive technology. Pair it with a table
 * of the same figures.
 */
export function ChartFigure({ label, description, ...chart }: ChartFigureProps) {
  const descriptionId = useId();
  return (
    <figure role="img" aria-label={label} aria-describedby={descriptionId} style={{ margin: 0 }}>
      <Suspense fallback={<Skeleton h={chart.height} />}>
        <EChart {...chart} />
      </Suspense>
      <VisuallyHidden id={descriptionId}>{description}</VisuallyHidden>
    </figure>
  );
}

export type { ChartClick, ChartOption } from './EChart';
