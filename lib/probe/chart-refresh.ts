// Which chart of a live run to redraw next. A recharts chart costs tens of milliseconds to redraw, so redrawing all of
// them at once blocks the page for longer than a frame budget allows; redrawing one per tick, in turn, and only one
// whose data changed, keeps every task short and every chart at most a few ticks behind.
export class ChartRefreshRotation<K extends string> {
  private readonly shown = new Map<K, number>();
  private next = 0;

  constructor(private readonly order: readonly K[]) {}

  /** The chart to redraw now, given each chart's data version, or null when every chart shows its latest data. */
  pick(versions: Readonly<Record<K, number>>): K | null {
    for (let step = 0; step < this.order.length; step++) {
      const i = (this.next + step) % this.order.length;
      const key = this.order[i]!;
      if (this.shown.get(key) !== versions[key]) {
        this.shown.set(key, versions[key]);
        this.next = i + 1;
        return key;
      }
    }
    return null;
  }
}
