// Which transports a Shiny session tries, in order, as a browser would: R Shiny's plain WebSocket has no fallback;
// SockJS (Shiny Server, Posit Connect, ShinyProxy) tries its WebSocket first and falls back to xhr-streaming, then
// xhr-polling, whenever a transport fails before the session opens. A run may force one to test a fallback. Pure.
import type { ShinyTransport, ShinyTransportChoice } from '../../types';

const SOCKJS_ORDER: readonly ShinyTransport[] = ['sockjs-websocket', 'sockjs-xhr-streaming', 'sockjs-xhr-polling'];

const FORCED = {
  websocket: 'sockjs-websocket',
  'xhr-streaming': 'sockjs-xhr-streaming',
  'xhr-polling': 'sockjs-xhr-polling',
} satisfies Record<Exclude<ShinyTransportChoice, 'auto'>, ShinyTransport>;

export type TransportPlan = { plan: ShinyTransport[]; problem: null } | { plan: []; problem: string };

/** The transports to try for a page that does (`sockjs`) or does not use SockJS, given the run's choice. */
export function shinyTransportPlan(sockjs: boolean, choice: ShinyTransportChoice): TransportPlan {
  if (!sockjs) {
    if (choice === 'auto' || choice === 'websocket') return { plan: ['websocket'], problem: null };
    return { plan: [], problem: `the page speaks Shiny over its plain WebSocket (websocket/), not SockJS, so it has no ${choice} transport to force` };
  }
  return { plan: choice === 'auto' ? [...SOCKJS_ORDER] : [FORCED[choice]], problem: null };
}

/**
 * The transport to try after `current` failed before its session opened (`refused` says how), or null when the plan
 * has none left or the run was stopped.
 */
export function nextTransport(plan: readonly ShinyTransport[], current: ShinyTransport, aborted: boolean): ShinyTransport | null {
  if (aborted) return null;
  const i = plan.indexOf(current);
  return i === -1 ? null : (plan[i + 1] ?? null);
}
