import { describe, expect, it } from 'vitest';
import { runProbe } from '../../engine';
import { parseProbeSpec } from '../../spec';
import { scriptedShiny } from './test/scripted-shiny';
import { toShinyView } from './view';

const spec = (requests = 10) => parseProbeSpec({ target: 'http://shiny.test/', intervalMs: 0, requests });

describe('Shiny facts as shown', () => {
  it('round robin: the DT route, its 200s and 404s, and the first request that reached another process', async () => {
    const r = await runProbe(spec(), scriptedShiny().transport);
    const view = toShinyView(r.protocol)!;
    expect(view).toMatchObject({ transport: 'websocket', version: '1.7.4', route: { kind: 'dataobj', label: 'DT table', output: 'table' } });
    expect(view.session?.id).toBe(r.records[1]!.protocol!.session);
    expect(view.session?.openedAt).toBe(2);
    const routeRecords = r.records.filter((x) => x.protocol?.phase === 'route');
    expect(view.answers).toEqual({
      reached: routeRecords.filter((x) => x.status === 200).length,
      lost: routeRecords.filter((x) => x.status === 404).length,
      failed: 0,
    });
    expect(view.answers!.lost).toBeGreaterThan(0);
    expect(view.firstLost?.index).toBe(r.verdict.firstBreakAt);
  });

  it('names the process holding the session by what named it: the balancer cookie, else the worker id', async () => {
    const pinned = toShinyView((await runProbe(spec(6), scriptedShiny({ sticky: true, workerIds: true }).transport)).protocol)!;
    expect(pinned.heldBy).toEqual({ replica: 'r0', how: 'the balancer cookie SRV at request 2, which opened it' });
    const r = await runProbe(spec(6), scriptedShiny({ workerIds: true }).transport);
    const view = toShinyView(r.protocol)!;
    expect(view.workers).toEqual([view.session!.workerId]);
    expect(view.heldBy).toEqual({ replica: view.session!.workerId, how: 'its Shiny worker id at request 2, which opened it' });
    expect(pinned.answers).toEqual({ reached: 4, lost: 0, failed: 0 });
    expect(pinned.firstLost).toBeNull();
  });

  it('an app without session routes: no route, no answers, and what the run could not prove', async () => {
    const r = await runProbe(spec(5), scriptedShiny({ routes: false }).transport);
    const view = toShinyView(r.protocol)!;
    expect(view.route).toBeNull();
    expect(view.answers).toBeNull();
    expect(view.unproved.join(' ')).toContain('the app handed out no session route');
  });

  it('is null for a run that did not speak Shiny', async () => {
    const r = await runProbe(parseProbeSpec({ target: 'http://shiny.test/', protocol: 'http', requests: 2, intervalMs: 0 }), scriptedShiny().transport);
    expect(toShinyView(r.protocol)).toBeNull();
  });
});
