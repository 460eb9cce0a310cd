/**
 * One ECharts instance drawn as SVG, resized with its box. Loaded lazily
 * (through ChartFigure): the chart library is the largest part of the bundle.
 * The drawing is hidden from assistive technology; ChartFigure gives it an
 * accessible name and description, and every page that draws one also shows
 * the same figures as a table or text.
 */
import { useEffect, useRef } from 'react';
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, ScatterChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** What a click on a bar or point reports: the series and the index of the datum. */
export interface ChartClick {
  seriesName: string | undefined;
  seriesIndex: number | undefined;
  dataIndex: number;
}

export interface EChartProps {
  option: ChartOption;
  height: number;
  onClick?: (click: ChartClick) => void;
}

export default function EChart({ option, height, onClick }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, null, { renderer: 'svg' });
    chartRef.current = chart;
    chart.on('click', (params) => {
      const p = params as { seriesName?: string; seriesIndex?: number; dataIndex?: number };
      if (typeof p.dataIndex === 'number') clickRef.current?.({ seriesName: p.seriesName, seriesIndex: p.seriesIndex, dataIndex: p.dataIndex });
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption({ animation: false, aria: { enabled: false }, ...option }, { notMerge: true });
  }, [option]);

  return <div ref={ref} style={{ width: '100%', height, cursor: onClick ? 'pointer' : undefined }} aria-hidden="true" />;
}
