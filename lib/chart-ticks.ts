// Round axis ticks (steps of 1, 2 or 5 × 10^k) for charts whose data changes while they are shown. Given to recharts
// explicitly, they spare it its own arbitrary-precision tick search on every redraw, and keep the axis still between
// redraws while the data grows within the same range.
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [Number.isFinite(min) ? min : 0];
  const rough = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.ceil(min / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's precision, so 0.1 + 0.2 does not show as 0.30000000000000004.
  const digits = Math.max(0, -Math.floor(Math.log10(step)));
  for (let t = first; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toFixed(digits)));
  return ticks;
}
