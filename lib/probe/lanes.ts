// The replica lane timeline: request index × replica, coloured by status, at a fixed resolution whatever the run's
// length. The planned run is cut into at most `columns` equal columns; each lane is a list of segments, a segment
// being consecutive columns in which that lane answered with the same (worst) status. A sticky run is one segment, a
// round robin one segment per replica, so what a chart draws stays small and does not grow with the run.
// Records go in one at a time, in index order, O(1) each.
import type { ProbeRecord } from './types';

export type LaneKind = 'ok' | 'http-error' | 'error';

export type LaneSegment = {
  /** Position in `LaneView.lanes`. */
  lane: number;
  kind: LaneKind;
  /** Columns covered, both ends included. */
  firstColumn: number;
  lastColumn: number;
  /** First and last request this lane answered within the segment, and how many. */
  fromIndex: number;
  toIndex: number;
  count: number;
};

export type LaneView = {
  /** Replica ids in order of first answer, then the pseudo lanes that were used. */
  lanes: string[];
  segments: LaneSegment[];
  /** Requests per column: column c covers requests c·stride+1 … (c+1)·stride. */
  stride: number;
  columns: number;
  /** Requests planned. */
  total: number;
};

/** Lane names for records without a replica. */
export const UNIDENTIFIED_LANE = '(no identity)';
export const FAILED_LANE = '(no response)';

export const DEFAULT_LANE_COLUMNS = 120;

type LaneRecord = Pick<ProbeRecord, 'index' | 'replica' | 'status' | 'error'>;

const RANK: Record<LaneKind, number> = { ok: 0, 'http-error': 1, error: 2 };

function kindOf(r: LaneRecord): LaneKind {
  if (r.error !== null || r.status === null) return 'error';
  return r.status >= 400 ? 'http-error' : 'ok';
}

function laneNameOf(r: LaneRecord): string {
  return r.replica ?? (r.error !== null || r.status === null ? FAILED_LANE : UNIDENTIFIED_LANE);
}

/** A lane's last segment, with what it needs to give up its last column when a worse status arrives there. */
type OpenSegment = LaneSegment & { inLastColumn: number; firstInLastColumn: number; lastBeforeLastColumn: number };

export function laneStride(total: number, columns = DEFAULT_LANE_COLUMNS): number {
  return Math.max(1, Math.ceil(Math.max(1, total) / Math.max(1, columns)));
}

export class LaneAggregator {
  readonly stride: number;
  readonly columns: number;
  private readonly total: number;
  private readonly laneOf = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly open: (OpenSegment | undefined)[] = [];
  private readonly segments: OpenSegment[] = [];
  private changes = 0;
  private cached: { at: number; view: LaneView } | null = null;

  constructor(options: { total: number; columns?: number }) {
    this.total = Math.max(1, options.total);
    this.stride = laneStride(this.total, options.columns);
    this.columns = Math.ceil(this.total / this.stride);
  }

  /** Changes with every record; equal values mean an equal view. */
  get version(): number {
    return this.changes;
  }

  add(r: LaneRecord): void {
    this.changes++;
    const lane = this.lane(laneNameOf(r));
    const kind = kindOf(r);
    const column = Math.floor((r.index - 1) / this.stride);
    const o = this.open[lane];
    if (o && o.lastColumn === column) {
      o.count++;
      o.toIndex = r.index;
      o.inLastColumn++;
      if (RANK[kind] <= RANK[o.kind]) return;
      if (o.firstColumn === column) {
        o.kind = kind;
        return;
      }
      // The column turns worse than the rest of the segment: it leaves the segment and starts one of its own.
      const moved = o.inLastColumn;
      o.lastColumn = column - 1;
      o.count -= moved;
      o.toIndex = o.lastBeforeLastColumn;
      this.push({ lane, kind, firstColumn: column, lastColumn: column, fromIndex: o.firstInLastColumn, toIndex: r.index, count: moved });
      return;
    }
    if (o && o.kind === kind && o.lastColumn === column - 1) {
      o.lastBeforeLastColumn = o.toIndex;
      o.lastColumn = column;
      o.toIndex = r.index;
      o.count++;
      o.inLastColumn = 1;
      o.firstInLastColumn = r.index;
      return;
    }
    this.push({ lane, kind, firstColumn: column, lastColumn: column, fromIndex: r.index, toIndex: r.index, count: 1 });
  }

  /** The current view; the same object until the next record. O(segments). */
  view(): LaneView {
    if (this.cached?.at === this.changes) return this.cached.view;
    // Real replicas first, in order of first answer, so lanes do not move when a failure shows up.
    const order = this.names.map((_, i) => i).sort((a, b) => Number(this.isPseudo(a)) - Number(this.isPseudo(b)) || a - b);
    const position = new Array<number>(order.length);
    order.forEach((lane, i) => (position[lane] = i));
    const view: LaneView = {
      lanes: order.map((i) => this.names[i]!),
      segments: this.segments.map((s) => ({
        lane: position[s.lane]!,
        kind: s.kind,
        firstColumn: s.firstColumn,
        lastColumn: s.lastColumn,
        fromIndex: s.fromIndex,
        toIndex: s.toIndex,
        count: s.count,
      })),
      stride: this.stride,
      columns: this.columns,
      total: this.total,
    };
    this.cached = { at: this.changes, view };
    return view;
  }

  private isPseudo(lane: number): boolean {
    const name = this.names[lane];
    return name === FAILED_LANE || name === UNIDENTIFIED_LANE;
  }

  private lane(name: string): number {
    let i = this.laneOf.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.laneOf.set(name, i);
      this.names.push(name);
    }
    return i;
  }

  private push(s: LaneSegment): void {
    const open: OpenSegment = { ...s, inLastColumn: s.count, firstInLastColumn: s.fromIndex, lastBeforeLastColumn: s.fromIndex - 1 };
    this.segments.push(open);
    this.open[s.lane] = open;
  }
}

/** The lane view of a finished list of records (index order), e.g. a stored report. */
export function toLaneView(records: readonly LaneRecord[], options: { total?: number; columns?: number } = {}): LaneView {
  const last = records.length ? records[records.length - 1]!.index : 0;
  const lanes = new LaneAggregator({ total: options.total ?? last, columns: options.columns });
  for (const r of records) lanes.add(r);
  return lanes.view();
}
