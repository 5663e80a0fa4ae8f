// Force plots with uPlot (served by the daemon from /vendor/uplot.js, global `uPlot`).
// LiveChart: measured force and setpoint over a rolling two-minute window from telemetry.
// CurveChart: a static force curve (a protocol's preview, a past session).

import { fromNewtons, forceUnit, formatDuration } from './units.js';

const WINDOW_S = 120;
const COLORS = {
  force: '#38bdf8',
  setpoint: '#fbbf24',
  grid: 'rgba(148, 163, 184, 0.18)',
  axis: '#cbd5e1',
  fill: 'rgba(56, 189, 248, 0.14)',
};

function uplot() {
  if (!window.uPlot) throw new Error('the charting library (/vendor/uplot.js) did not load');
  return window.uPlot;
}

// Tick spacings in seconds for time axes: whole seconds, then whole minutes.
const TIME_INCRS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600];

function axis(label, values, size = 56, incrs = undefined) {
  return {
    incrs,
    label,
    labelSize: 22,
    size,
    stroke: COLORS.axis,
    font: '15px system-ui, sans-serif',
    labelFont: '15px system-ui, sans-serif',
    grid: { stroke: COLORS.grid, width: 1 },
    ticks: { stroke: COLORS.grid, width: 1 },
    values,
  };
}

// Keeps a uPlot the size of its container.
function fit(plot, container) {
  const resize = () => {
    const r = container.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) plot.setSize({ width: Math.floor(r.width), height: Math.floor(r.height) });
  };
  const observer = new ResizeObserver(resize);
  observer.observe(container);
  return observer;
}

export class LiveChart {
  constructor(container) {
    this.container = container;
    this.t = []; // seconds since the Unix epoch (the loop's wall clock)
    this.setpoint = []; // N
    this.force = []; // N
    this.ceiling = 100; // N: at least the protocol's peak
    this.dirty = false;
    this.plot = null;
  }

  // The y axis reaches at least this force (the protocol's peak), so the plot does not rescale
  // as the force climbs.
  setCeiling(newtons) {
    this.ceiling = Math.max(50, newtons || 0);
    this.dirty = true;
  }

  clear() {
    this.t.length = 0;
    this.setpoint.length = 0;
    this.force.length = 0;
    this.dirty = true;
  }

  get length() {
    return this.t.length;
  }

  push(frame) {
    const t = frame.wall_ms / 1000;
    const last = this.t.length ? this.t[this.t.length - 1] : -Infinity;
    if (!(t > last)) return;
    this.t.push(t);
    this.setpoint.push(frame.setpoint_N ?? null);
    this.force.push(frame.force_N ?? null);
    // Drop what has left the window (plus a little, so the left edge stays drawn).
    let cut = 0;
    while (cut < this.t.length && this.t[cut] < t - WINDOW_S - 2) cut += 1;
    if (cut > 0) {
      this.t.splice(0, cut);
      this.setpoint.splice(0, cut);
      this.force.splice(0, cut);
    }
    this.dirty = true;
  }

  ensurePlot() {
    if (this.plot) return;
    const U = uplot();
    const r = this.container.getBoundingClientRect();
    const self = this;
    this.unit = forceUnit();
    this.plot = new U({
      width: Math.max(300, Math.floor(r.width)),
      height: Math.max(200, Math.floor(r.height)),
      legend: { show: false },
      cursor: { show: false },
      pxAlign: false,
      scales: {
        x: { time: false, range: () => [-WINDOW_S, 0] },
        y: {
          range: (u, min, max) => {
            const top = Math.max(fromNewtons(self.ceiling) * 1.1, (max || 0) * 1.1);
            return [0, top];
          },
        },
      },
      axes: [
        axis('', (u, vals) => vals.map((v) => (v === 0 ? 'now' : `${Math.round(v)} s`)), 40, TIME_INCRS),
        axis(this.unit, (u, vals) => vals.map((v) => String(Math.round(v))), 64),
      ],
      series: [
        {},
        // The setpoint is drawn over the force, dashed, so both show when they agree.
        { label: 'force', stroke: COLORS.force, width: 3, points: { show: false } },
        { label: 'setpoint', stroke: COLORS.setpoint, width: 2, dash: [8, 8], points: { show: false } },
      ],
    }, [[], [], []], this.container);
    this.observer = fit(this.plot, this.container);
  }

  // Redraws at most once per animation frame, from the data pushed since.
  draw() {
    if (!this.dirty || this.container.offsetParent === null) return;
    this.ensurePlot();
    if (this.unit !== forceUnit()) {
      this.destroy();
      this.ensurePlot();
    }
    this.dirty = false;
    const n = this.t.length;
    const now = n ? this.t[n - 1] : 0;
    const x = new Array(n);
    const sp = new Array(n);
    const f = new Array(n);
    for (let i = 0; i < n; i += 1) {
      x[i] = this.t[i] - now;
      sp[i] = this.setpoint[i] === null ? null : fromNewtons(this.setpoint[i]);
      f[i] = this.force[i] === null ? null : fromNewtons(this.force[i]);
    }
    this.plot.setData([x, f, sp]);
  }

  destroy() {
    if (this.observer) this.observer.disconnect();
    if (this.plot) this.plot.destroy();
    this.plot = null;
    this.dirty = true;
  }
}

// A static curve: points [[t_s, N], …]; an optional second series [[t_s, N], …] (the setpoint
// of a past session).
export function curveChart(container, points, { second = null, secondLabel = 'setpoint' } = {}) {
  const U = uplot();
  const unit = forceUnit();
  const x = points.map((p) => p[0]);
  const y = points.map((p) => (p[1] === null ? null : fromNewtons(p[1])));
  const data = [x, y];
  const series = [
    {},
    { label: 'force', stroke: COLORS.force, width: 3, fill: COLORS.fill, points: { show: false } },
  ];
  if (second) {
    // Resampled on the first series' times (both come from the same journal samples).
    data.push(second.map((p) => (p[1] === null ? null : fromNewtons(p[1]))));
    series.push({ label: secondLabel, stroke: COLORS.setpoint, width: 2, dash: [10, 6], points: { show: false } });
  }
  const r = container.getBoundingClientRect();
  const plot = new U({
    width: Math.max(300, Math.floor(r.width)),
    height: Math.max(160, Math.floor(r.height)),
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false },
      y: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.12)] },
    },
    axes: [
      axis('', (u, vals) => vals.map((v) => formatDuration(v)), 40, TIME_INCRS),
      axis(unit, (u, vals) => vals.map((v) => String(Math.round(v))), 64),
    ],
    series,
  }, data, container);
  const observer = fit(plot, container);
  return {
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}

// A course's progression: per visit, the force confirmed and the peak force measured (in the
// chosen unit, left axis), and the pain before and after (0–10, right axis). `visits` as GET
// /api/records/courses/{id} gives them; the x axis runs over the planned visits.
export const PROGRESSION_COLORS = {
  confirmed: COLORS.setpoint,
  peak: COLORS.force,
  painBefore: '#c4b5fd',
  painAfter: '#f472b6',
};

export function progressionChart(container, visits, { planned = 0 } = {}) {
  const U = uplot();
  const unit = forceUnit();
  const sorted = visits.slice().sort((a, b) => a.number - b.number);
  const force = (n) => (typeof n === 'number' ? fromNewtons(n) : null);
  const score = (s) => (typeof s === 'number' ? s : null);
  const data = [
    sorted.map((v) => v.number),
    sorted.map((v) => force(v.confirmed_force_n)),
    sorted.map((v) => force(v.result ? v.result.peak_force_n : null)),
    sorted.map((v) => score(v.pain_before)),
    sorted.map((v) => score(v.pain_after)),
  ];
  const last = Math.max(planned || 1, sorted.length ? sorted[sorted.length - 1].number : 1);
  const r = container.getBoundingClientRect();
  const line = (label, scale, stroke, { dash, width = 3, size = 11 } = {}) => ({
    label, scale, stroke, width, dash, spanGaps: true,
    points: { show: true, size, stroke, fill: stroke },
  });
  const plot = new U({
    width: Math.max(300, Math.floor(r.width)),
    height: Math.max(200, Math.floor(r.height)),
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: () => [0.5, last + 0.5] },
      force: { range: (u, min, max) => [0, Math.max(1, (max || 0) * 1.15)] },
      pain: { range: () => [0, 10] },
    },
    axes: [
      {
        ...axis('visit', (u, vals) => vals.map((v) => (Number.isInteger(v) ? String(v) : '')), 48, [1, 2, 5, 10]),
        labelSize: 20,
      },
      { ...axis(unit, (u, vals) => vals.map((v) => String(Math.round(v))), 64), scale: 'force' },
      {
        ...axis('pain', (u, vals) => vals.map((v) => String(v)), 48, [1, 2, 5]),
        scale: 'pain', side: 1, grid: { show: false },
      },
    ],
    series: [
      {},
      line('confirmed force', 'force', PROGRESSION_COLORS.confirmed, { dash: [8, 6], width: 2, size: 9 }),
      line('peak force', 'force', PROGRESSION_COLORS.peak),
      line('pain before', 'pain', PROGRESSION_COLORS.painBefore, { width: 2, size: 10 }),
      line('pain after', 'pain', PROGRESSION_COLORS.painAfter, { width: 2, size: 10 }),
    ],
  }, data, container);
  const observer = fit(plot, container);
  return {
    destroy() {
      observer.disconnect();
      plot.destroy();
    },
  };
}
