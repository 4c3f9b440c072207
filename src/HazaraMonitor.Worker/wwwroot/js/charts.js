// Time charts on uPlot (installed from npm at build time, served from /lib), with the page's own
// layer over the plot: hatched spans where polls failed, and alert and incident flags as links
// (real DOM elements, so keyboards, screen readers and tests can find them).
import uPlot from '/lib/uPlot.esm.js';
import { el, formatCount, formatTime } from './format.js';

// Okabe-Ito colours (distinguishable with the common colour-vision deficiencies), one per platform.
const palette = {
  x: '#0072B2', mastodon: '#CC79A7', bluesky: '#56B4E9', reddit: '#D55E00', youtube: '#E69F00',
  tiktok: '#009E73', instagram: '#F0E442', threads: '#7F7F7F',
};
const spare = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

export const colourOf = (key, index = 0) => palette[key] ?? spare[index % spare.length];

const height = (container) => (container.classList.contains('small') ? 180 : 280);

// Counts per bucket are flat over the bucket: a step drawn from each bucket's start.
const steps = uPlot.paths.stepped({ align: 1 });

/**
 * Draws (or redraws) a chart in container.
 * @param lines [{label, values, colour, dash, width, raw}] over times (ms); raw: the values the legend shows (stacks).
 * @param stack how many of the first lines are stacked (each drawn filled on the one before).
 * @param span [from, to] (ms): the time axis, the whole range asked for even where no bucket has posts yet.
 * @param width a bucket's width (ms): the last bucket is drawn to its end.
 * @param layer {gaps:[{from,to,title}], markers:[{kind,time,title,href}]} drawn over the plot.
 */
export function drawChart(container, { times, lines, span, width, stack = 0, layer = null }) {
  for (const line of lines) if (line.raw) line.raw = [...line.raw, line.raw.at(-1) ?? null];
  container.querySelector('.uplot')?.remove();
  container._chart?.destroy();
  const bands = [];
  for (let i = 1; i < stack; i++) bands.push({ series: [i + 1, i] });
  const options = {
    width: Math.max(container.clientWidth, 280),
    height: height(container),
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    cursor: { drag: { x: false, y: false } },
    legend: { live: true },
    scales: {
      x: { time: true, range: () => [span[0] / 1000, Math.max(span[1], (times.at(-1) ?? span[0]) + width) / 1000] },
      y: { range: (u, min, max) => [0, Math.max(max ?? 0, 1) * 1.05] },
    },
    axes: [{ values: timeTicks }, { values: (u, ticks) => ticks.map(formatCount), size: 56 }],
    bands,
    series: [
      { label: 'Time (UTC)', value: (u, seconds) => (seconds === null ? '—' : formatTime(seconds * 1000)) },
      ...lines.map((line, i) => ({
        label: line.label,
        stroke: line.colour,
        width: line.width ?? 1.5,
        dash: line.dash,
        fill: i < stack ? `${line.colour}99` : undefined,
        paths: steps,
        points: { show: false },
        value: line.raw ? (u, v, si, di) => (di === null ? '—' : formatCount(line.raw[di])) : (u, v) => formatCount(v),
      })),
    ],
    hooks: layer ? { draw: [(u) => drawLayer(u, layer)] } : {},
  };
  // A step is drawn from each point to the next: one more point, repeating the last, closes the last bucket.
  const data = [
    [...times, (times.at(-1) ?? span[0]) + width].map((t) => t / 1000),
    ...lines.map((line) => [...line.values, line.values.at(-1) ?? null]),
  ];

  const chart = new uPlot(options, data, container);
  container._chart = chart;
  if (!container._observer) {
    container._observer = new ResizeObserver(() => {
      const width = Math.max(container.clientWidth, 280);
      if (container._chart && Math.abs(container._chart.width - width) > 2) container._chart.setSize({ width, height: height(container) });
    });
    container._observer.observe(container);
  }
  return chart;
}

/** Time-axis labels in UTC, 24-hour: the time within a day, the date beyond it. */
function timeTicks(u, ticks) {
  const span = u.scales.x.max - u.scales.x.min;
  return ticks.map((seconds) => {
    const iso = new Date(seconds * 1000).toISOString();
    const [date, time] = [iso.slice(5, 10), iso.slice(11, 16)];
    if (span <= 86_400) return time;
    return span > 3 * 86_400 || time === '00:00' ? date : `${date} ${time}`;
  });
}

/** Stacks values (arrays of equal length): each is the sum of itself and those before it. */
export function stackValues(rows) {
  const stacked = [];
  let below = rows.length ? rows[0].map(() => 0) : [];
  for (const row of rows) {
    below = row.map((v, i) => below[i] + (v ?? 0));
    stacked.push(below);
  }
  return stacked;
}

function drawLayer(u, { gaps, markers }) {
  let overlay = u.over.querySelector('.layer');
  if (!overlay) {
    overlay = el('div', { class: 'layer' });
    u.over.append(overlay);
  }
  const [min, max] = [u.scales.x.min, u.scales.x.max];
  const x = (ms) => u.valToPos(Math.min(Math.max(ms / 1000, min), max), 'x');
  const children = [];
  for (const gap of gaps) {
    if (gap.to / 1000 < min || gap.from / 1000 > max) continue;
    const left = x(gap.from);
    children.push(el('div', {
      class: 'gap', title: gap.title, style: `left:${left}px;width:${Math.max(x(gap.to) - left, 2)}px`,
      dataset: { from: new Date(gap.from).toISOString(), to: new Date(gap.to).toISOString() },
    }));
  }
  for (const marker of markers) {
    const seconds = marker.time / 1000;
    if (seconds < min || seconds > max) continue;
    children.push(el('a', {
      class: `marker ${marker.kind}`, href: marker.href, title: marker.title, 'aria-label': marker.title,
      style: `left:${x(marker.time)}px`, dataset: { kind: marker.kind, time: new Date(marker.time).toISOString() },
    }, el('span', { 'aria-hidden': 'true' }, marker.kind === 'alert' ? '▲' : '●')));
  }
  overlay.replaceChildren(...children);
}
