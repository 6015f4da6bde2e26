import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

/**
 * Bar charts drawn with ECharts (only the bar chart, its grid, legend, tooltip and the SVG renderer
 * are bundled, in the staff pages' chunk). Labels follow the page's text size (适老化), and each
 * chart carries its figures as a table that a screen reader reads instead of the drawing.
 */
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, AriaComponent, SVGRenderer]);

const FILED = '#1f6f5c';
const SETTLED = '#7fb8a4';
const FONT = '"Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

const visuallyHidden = {
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
} as const;

/** The root font size in pixels: the text-size setting changes it. */
function rootPx(): number {
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function Chart({ option, height }: { option: (px: number) => echarts.EChartsCoreOption; height: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = JSON.stringify(option(16));
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const chart = echarts.init(el, undefined, { renderer: 'svg' });
    let px = rootPx();
    chart.setOption(option(px));
    const resize = new ResizeObserver(() => {
      const now = rootPx();
      if (now !== px) {
        px = now;
        chart.setOption(option(px));
      }
      chart.resize();
    });
    resize.observe(el);
    resize.observe(document.documentElement);
    return () => {
      resize.disconnect();
      chart.dispose();
    };
    // The option is rebuilt from the same figures: redraw only when they change.
  }, [key]);
  return <div ref={ref} aria-hidden="true" style={{ width: '100%', height }} />;
}

function FiguresTable({ caption, columns, rows }: { caption: string; columns: string[]; rows: (string | number)[][] }) {
  return (
    <table style={visuallyHidden}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={String(r[0])}>
            {r.map((v, i) => (i === 0 ? <th key={i} scope="row">{v}</th> : <td key={i}>{v}</td>))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const text = (px: number) => ({ fontFamily: FONT, fontSize: Math.round(px * 0.85), color: '#333' });

export function BarList({ label, items }: { label: string; items: { label: string; value: number }[] }) {
  if (!items.length) return <p>这段时间没有数据。</p>;
  const option = (px: number): echarts.EChartsCoreOption => ({
    aria: { enabled: true },
    animation: false,
    textStyle: text(px),
    grid: { left: 8, right: px * 3, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: text(px) },
    xAxis: { type: 'value', minInterval: 1, axisLabel: text(px) },
    yAxis: { type: 'category', inverse: true, data: items.map((i) => i.label), axisLabel: text(px) },
    series: [{ type: 'bar', name: '受理', data: items.map((i) => i.value), itemStyle: { color: FILED, borderRadius: 3 }, barMaxWidth: px * 1.4, label: { show: true, position: 'right', ...text(px) } }],
  });
  return (
    <figure aria-label={label} style={{ margin: 0, position: 'relative' }}>
      <Chart option={option} height={`${Math.max(6, items.length * 2.2 + 2)}em`} />
      <FiguresTable caption={label} columns={['类别', '件数']} rows={items.map((i) => [i.label, i.value])} />
    </figure>
  );
}

export function MonthBars({ label, months }: { label: string; months: { label: string; filed: number; settled: number }[] }) {
  if (!months.length) return <p>这段时间没有数据。</p>;
  const option = (px: number): echarts.EChartsCoreOption => ({
    aria: { enabled: true },
    animation: false,
    textStyle: text(px),
    legend: { bottom: 0, textStyle: text(px), itemWidth: px, itemHeight: px * 0.8 },
    grid: { left: 8, right: 8, top: px * 1.6, bottom: px * 2.4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, textStyle: text(px) },
    xAxis: { type: 'category', data: months.map((m) => m.label), axisLabel: text(px) },
    yAxis: { type: 'value', minInterval: 1, axisLabel: text(px) },
    series: [
      { type: 'bar', name: '受理', data: months.map((m) => m.filed), itemStyle: { color: FILED, borderRadius: [3, 3, 0, 0] }, barMaxWidth: px * 2.5, label: { show: true, position: 'top', ...text(px) } },
      { type: 'bar', name: '调解成功', data: months.map((m) => m.settled), itemStyle: { color: SETTLED, borderRadius: [3, 3, 0, 0] }, barMaxWidth: px * 2.5, label: { show: true, position: 'top', ...text(px) } },
    ],
  });
  return (
    <figure aria-label={label} style={{ margin: 0, position: 'relative' }}>
      <Chart option={option} height="16em" />
      <FiguresTable caption={label} columns={['月份', '受理', '调解成功']} rows={months.map((m) => [m.label, m.filed, m.settled])} />
    </figure>
  );
}
