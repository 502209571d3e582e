// Pure geometry of the trace waterfall: orders spans depth-first under their parents, gives
// each a depth and a bar (left and width in percent of the trace's extent), picks axis ticks
// and a color per service. No DOM here, so it is tested from tables (test/waterfall_layout.test.ts).
// Example: layoutWaterfall(trace.spans).rows[0] is the root span at depth 0, left 0%.

import { parseRfc3339Micros } from './format';

export interface SpanInput {
  span_id: string;
  parent_span_id?: string | null;
  name: string;
  service: string;
  start: string;
  duration_us: number;
}

export interface WaterfallRow<S extends SpanInput> {
  span: S;
  depth: number;
  offsetUs: number; // start relative to the earliest span
  durationUs: number;
  leftPct: number;
  widthPct: number;
  hasChildren: boolean;
}

export interface WaterfallLayout<S extends SpanInput> {
  rows: WaterfallRow<S>[];
  startUs: number; // absolute, microseconds since the epoch
  totalUs: number; // from the earliest start to the latest end; at least 1
  ticks: number[]; // offsets in microseconds for the axis, starting at 0
}

export const kMinBarPct = 0.25; // keeps sub-microsecond spans visible

export function layoutWaterfall<S extends SpanInput>(spans: readonly S[]): WaterfallLayout<S> {
  const starts = new Map<S, number>();
  let minStart = Infinity;
  let maxEnd = -Infinity;
  for (const s of spans) {
    const st = parseRfc3339Micros(s.start);
    if (st === null) continue;
    starts.set(s, st);
    minStart = Math.min(minStart, st);
    maxEnd = Math.max(maxEnd, st + Math.max(0, s.duration_us || 0));
  }
  if (!Number.isFinite(minStart)) {
    minStart = 0;
    maxEnd = 0;
  }
  // A span with an unreadable start is drawn at the trace's start rather than dropped.
  const startOf = (s: S): number => starts.get(s) ?? minStart;
  const totalUs = Math.max(1, maxEnd - minStart);

  const ids = new Set(spans.map((s) => s.span_id));
  const children = new Map<string, S[]>();
  const roots: S[] = [];
  for (const s of spans) {
    const parent = s.parent_span_id ?? '';
    // Orphans (parent span not recorded, e.g. from a service that did not report) become roots.
    if (parent !== '' && parent !== s.span_id && ids.has(parent)) {
      const list = children.get(parent) ?? [];
      list.push(s);
      children.set(parent, list);
    } else {
      roots.push(s);
    }
  }
  const byStart = (a: S, b: S): number => startOf(a) - startOf(b) || a.name.localeCompare(b.name);

  const rows: WaterfallRow<S>[] = [];
  const visited = new Set<S>();
  const visit = (s: S, depth: number): void => {
    if (visited.has(s)) return;
    visited.add(s);
    const kids = (children.get(s.span_id) ?? []).slice().sort(byStart);
    const offsetUs = startOf(s) - minStart;
    const durationUs = Math.max(0, s.duration_us || 0);
    const leftPct = Math.min(100, (offsetUs / totalUs) * 100);
    const widthPct = Math.min(100 - leftPct, Math.max(kMinBarPct, (durationUs / totalUs) * 100));
    rows.push({ span: s, depth, offsetUs, durationUs, leftPct, widthPct, hasChildren: kids.length > 0 });
    for (const k of kids) visit(k, depth + 1);
  };
  for (const r of roots.slice().sort(byStart)) visit(r, 0);
  // Spans caught in a parent cycle were never reached from a root: show them flat at the end.
  for (const s of spans.slice().sort(byStart)) visit(s, 0);

  return { rows, startUs: minStart, totalUs, ticks: axisTicks(totalUs) };
}

// Round tick spacing (1, 2 or 5 times a power of ten) giving at most `maxTicks` intervals.
export function tickStep(totalUs: number, maxTicks = 5): number {
  const raw = Math.max(1, Math.max(totalUs, 1) / Math.max(1, maxTicks)); // never below 1 µs
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
  return 10 * pow;
}

export function axisTicks(totalUs: number, maxTicks = 5): number[] {
  const step = tickStep(totalUs, maxTicks);
  const ticks: number[] = [];
  for (let t = 0; t <= totalUs + 1e-9; t += step) ticks.push(t);
  return ticks;
}

const kServiceColors: Record<string, string> = {
  frontend: '#4f46e5',
  users: '#0d9488',
  rabbitmq: '#ea580c',
  verification: '#c026d3',
  postgres: '#2563eb',
  redis: '#dc2626',
  mongodb: '#16a34a',
  smtp: '#ca8a04',
};
const kFallbackColors = ['#0891b2', '#7c3aed', '#65a30d', '#db2777', '#b45309', '#475569', '#9333ea', '#0f766e'];

// Stable color per service: fixed for the services we know, hashed for any other name.
export function serviceColor(service: string): string {
  const known = kServiceColors[service];
  if (known) return known;
  let hash = 0;
  for (let i = 0; i < service.length; i++) hash = (hash * 31 + service.charCodeAt(i)) >>> 0;
  return kFallbackColors[hash % kFallbackColors.length] ?? '#475569';
}

// Services in order of first appearance in the rows, for the legend.
export function legendServices<S extends SpanInput>(rows: readonly WaterfallRow<S>[]): string[] {
  const seen: string[] = [];
  for (const r of rows) if (!seen.includes(r.span.service)) seen.push(r.span.service);
  return seen;
}
