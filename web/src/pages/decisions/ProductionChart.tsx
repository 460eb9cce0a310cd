/**
 * Daily decision volume (bars) and average handle time (line), drawn by
 * ECharts as SVG. Loaded lazily: the chart library is the largest part of the
 * bundle and only this page needs it.
 */
import { useEffect, useRef } from 'react';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import type { ProductionDay } from '../../api/decisions';
import { formatDate, formatNumber } from '../../lib/format';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

// Mantine blue-8 and orange-9: both pass 3:1 against white for graphics.
const VOLUME_COLOR = '#1971c2';
const AHT_COLOR = '#d9480f';

export default function ProductionChart({ days, height = 220 }: { days: ProductionDay[]; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const chart = echarts.init(element, null, { renderer: 'svg' });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    chartRef.current?.setOption(
      {
        animation: false,
        aria: { enabled: false },
        grid: { left: 56, right: 64, top: 56, bottom: 28 },
        legend: { top: 0, left: 'center', textStyle: { color: '#343a40' } },
        tooltip: {
          trigger: 'axis',
          formatter: (params: unknown) => {
            const items = params as Array<{ dataIndex: number }>;
            const day = days[items[0]?.dataIndex ?? 0];
            if (!day) return '';
            const aht = day.ahtMs === null ? '—' : `${(day.ahtMs / 1000).toFixed(1)} s`;
            return `${formatDate(day.day)}<br/>Decisions: ${formatNumber(day.decisions)}<br/>Average handle time: ${aht}`;
          },
        },
        xAxis: {
          type: 'category',
          data: days.map((d) => d.day.slice(5)),
          axisLabel: { color: '#495057' },
        },
        yAxis: [
          { type: 'value', name: 'Decisions', nameTextStyle: { color: '#495057' }, axisLabel: { color: '#495057' }, minInterval: 1 },
          {
            type: 'value',
            name: 'AHT (s)',
            nameTextStyle: { color: '#495057' },
            axisLabel: { color: '#495057' },
            splitLine: { show: false },
          },
        ],
        series: [
          { name: 'Decisions', type: 'bar', data: days.map((d) => d.decisions), itemStyle: { color: VOLUME_COLOR }, barMaxWidth: 24 },
          {
            name: 'Average handle time (s)',
            type: 'line',
            yAxisIndex: 1,
            data: days.map((d) => (d.ahtMs === null ? null : Math.round(d.ahtMs / 100) / 10)),
            itemStyle: { color: AHT_COLOR },
            lineStyle: { color: AHT_COLOR, width: 2 },
            symbolSize: 5,
            connectNulls: false,
          },
        ],
      },
      { notMerge: true },
    );
  }, [days]);

  return <div ref={ref} style={{ width: '100%', height }} aria-hidden="true" />;
}
