// A time axis that leaves out long idle stretches: a saga that stopped in compensation_failed and
// was retried ten minutes later is drawn as two readable pieces with a narrow break between them
// ("9m 38s idle"), not as two slivers at both ends of one ten-minute axis. Pure; tested in
// test/timeline_axis.test.ts.
// Example: const axis = buildAxis(0, 600e6, [[0, 2e6], [598e6, 600e6]]); axis.breaks.length === 1

import { formatDurationUs } from './format';
import { axisTicks } from './waterfall_layout';

export const kBreakMinUs = 10_000_000; // a gap shorter than 10 s is never left out...
export const kBreakMinShare = 0.25; // ...nor one under a quarter of the whole extent
export const kBreakPct = 5; // the width a break takes on the axis

export interface AxisTick {
  pct: number;
  label: string;
}

export interface AxisBreak {
  leftPct: number;
  widthPct: number;
  gapUs: number;
  label: string;
}

export interface Axis {
  pct(us: number): number; // absolute µs -> percent of the axis, clamped to 0..100
  ticks: AxisTick[];
  breaks: AxisBreak[];
}

interface Piece {
  startUs: number;
  endUs: number;
  leftPct: number;
  widthPct: number;
  brk: boolean;
}

// buildAxis spans [originUs, endUs]; `active` are the intervals where something happened
// (attempts and the waits between them). Gaps between them that are long enough become breaks.
export function buildAxis(originUs: number, endUs: number, active: readonly (readonly [number, number])[]): Axis {
  const end = Math.max(endUs, originUs + 1);
  const total = end - originUs;
  const merged: [number, number][] = [];
  for (const [a, b] of active
    .map(([a, b]) => [Math.max(originUs, Math.min(a, b)), Math.min(end, Math.max(a, b))] as const)
    .sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const gaps: [number, number][] = [];
  let at = originUs;
  for (const [a, b] of merged) {
    if (a > at) gaps.push([at, a]);
    at = Math.max(at, b);
  }
  if (end > at) gaps.push([at, end]);
  const breaks = gaps.filter(([a, b]) => b - a >= kBreakMinUs && b - a >= kBreakMinShare * total);

  // Pieces in time order: the shown stretches and the breaks between them.
  const pieces: Piece[] = [];
  at = originUs;
  for (const [a, b] of breaks) {
    if (a > at) pieces.push({ startUs: at, endUs: a, leftPct: 0, widthPct: 0, brk: false });
    pieces.push({ startUs: a, endUs: b, leftPct: 0, widthPct: kBreakPct, brk: true });
    at = b;
  }
  if (end > at || pieces.length === 0) pieces.push({ startUs: at, endUs: end, leftPct: 0, widthPct: 0, brk: false });
  const shown = pieces.filter((p) => !p.brk);
  const shownUs = shown.reduce((sum, p) => sum + (p.endUs - p.startUs), 0);
  const room = 100 - kBreakPct * breaks.length;
  let left = 0;
  for (const p of pieces) {
    if (!p.brk) p.widthPct = shownUs > 0 ? (room * (p.endUs - p.startUs)) / shownUs : room / shown.length;
    p.leftPct = left;
    left += p.widthPct;
  }

  const pct = (us: number): number => {
    const t = Math.min(end, Math.max(originUs, us));
    const p = pieces.find((x) => t <= x.endUs) ?? pieces[pieces.length - 1]!;
    const span = p.endUs - p.startUs;
    return Math.min(100, p.leftPct + (span > 0 ? ((t - p.startUs) / span) * p.widthPct : 0));
  };

  const ticks: AxisTick[] = [];
  shown.forEach((p, i) => {
    const span = p.endUs - p.startUs;
    const maxTicks = Math.max(1, Math.round((5 * p.widthPct) / 100));
    for (const us of axisTicks(span, maxTicks)) {
      const tickPct = p.leftPct + (span > 0 ? (us / span) * p.widthPct : 0);
      // The first piece counts from the saga's start; later ones name where they start, then count on.
      const label =
        i === 0
          ? us === 0
            ? '0'
            : formatDurationUs(us)
          : us === 0
            ? formatDurationUs(p.startUs - originUs)
            : `+${formatDurationUs(us)}`;
      const prev = ticks[ticks.length - 1];
      // Ticks too close together: where a piece starts matters more than where the last ended.
      if (prev && tickPct - prev.pct < 7) {
        if (i > 0 && us === 0) ticks[ticks.length - 1] = { pct: tickPct, label };
        continue;
      }
      ticks.push({ pct: tickPct, label });
    }
  });

  return {
    pct,
    ticks,
    breaks: pieces
      .filter((p) => p.brk)
      .map((p) => ({
        leftPct: p.leftPct,
        widthPct: p.widthPct,
        gapUs: p.endUs - p.startUs,
        label: `${formatDurationUs(p.endUs - p.startUs)} idle`,
      })),
  };
}
