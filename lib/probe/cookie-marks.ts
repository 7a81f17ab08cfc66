// The cookie event timeline at the lane timeline's resolution: events of one kind for one cookie within one column
// become one mark, so a run where the balancer rewrites its cookie on every response still draws a bounded chart.
import { DEFAULT_LANE_COLUMNS, laneStride } from './lanes';
import type { CookieEventKind, CookieTimelineEvent } from './types';

export type CookieMark = {
  /** Position in `CookieMarkView.names`. */
  lane: number;
  kind: CookieEventKind;
  column: number;
  fromIndex: number;
  toIndex: number;
  count: number;
  /** The first event's detail, e.g. a reject reason or `A → B`. */
  detail: string | null;
};

export type CookieMarkView = {
  /** Cookie names in order of first event. */
  names: string[];
  marks: CookieMark[];
  stride: number;
  columns: number;
  total: number;
};

export function toCookieMarks(events: readonly CookieTimelineEvent[], options: { total: number; columns?: number }): CookieMarkView {
  const total = Math.max(1, options.total);
  const stride = laneStride(total, options.columns ?? DEFAULT_LANE_COLUMNS);
  const names: string[] = [];
  const laneOf = new Map<string, number>();
  const byKey = new Map<string, CookieMark>();
  const marks: CookieMark[] = [];
  for (const e of events) {
    let lane = laneOf.get(e.name);
    if (lane === undefined) {
      lane = names.length;
      laneOf.set(e.name, lane);
      names.push(e.name);
    }
    const column = Math.floor((e.index - 1) / stride);
    const key = `${lane}|${e.kind}|${column}`;
    const m = byKey.get(key);
    if (m) {
      m.count++;
      m.fromIndex = Math.min(m.fromIndex, e.index);
      m.toIndex = Math.max(m.toIndex, e.index);
      continue;
    }
    const mark: CookieMark = { lane, kind: e.kind, column, fromIndex: e.index, toIndex: e.index, count: 1, detail: e.detail };
    byKey.set(key, mark);
    marks.push(mark);
  }
  return { names, marks, stride, columns: Math.ceil(total / stride), total };
}
