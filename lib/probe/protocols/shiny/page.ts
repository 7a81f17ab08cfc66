// What a Shiny page says before any session exists: that it is Shiny (its html-dependencies list or its shiny.js
// script), whether Shiny Server's SockJS client carries the session, and the outputs and file inputs a browser would
// bind. Pure; reads HTML with bounded regular expressions, as a page prefix may be cut anywhere.
import type { ShinyPageFacts } from '../../types';

export type ShinyPage = ShinyPageFacts & {
  /** Every output id the page binds, in page order: the ones `init` reports visible. */
  outputIds: string[];
  /** Outputs that report their size (widgets, plots, images): `init` gives them one, as a laid-out page would. */
  sizedOutputs: string[];
  /** The session travels over SockJS at `__sockjs__/` (Shiny Server, Posit Connect), not over `websocket/`. */
  sockjs: boolean;
  /** Why this is a Shiny page, for the run's detection sentence. */
  evidence: string;
};

/** Most ids kept per list: a page with more still runs, the rest are left out of `init`. */
export const MAX_PAGE_IDS = 256;

const DEPENDENCIES = /<script[^>]*type=["']application\/html-dependencies["'][^>]*>([^<]*)<\/script>/i;
const SHINY_SCRIPT = /<script[^>]*src=["'][^"']*\bshiny(?:\.min)?\.js(?:\?[^"']*)?["']/i;
const SOCKJS_CLIENT = /__assets__\/(?:sockjs[^"'/]*\.js|shiny-server(?:-client)?(?:\.min)?\.js)|\bpreShinyInit\s*\(/;
const START_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>/g;
const ATTRIBUTE = /([^\s=/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;
const OUTPUT_CLASS = /(?:^|\s)(?:shiny-[a-z-]*output|html-widget-output|shiny-download-link)(?:\s|$)/;
const SIZED_CLASS = /(?:^|\s)(?:shiny-report-size|shiny-plot-output|shiny-image-output)(?:\s|$)/;

function attributes(source: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE)) out.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? m[4] ?? '');
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}

/** `shiny-javascript[1.7.4];…` → `1.7.4`; older Shiny names the dependency `shiny`. */
function shinyVersion(dependencies: string): string | null {
  for (const entry of dependencies.split(';')) {
    const m = /^\s*(shiny-javascript|shiny)\[([^\]]*)\]\s*$/.exec(entry);
    if (m) return m[2]!;
  }
  return null;
}

/** The page's Shiny facts, or null when it is not a Shiny page. */
export function readShinyPage(html: string): ShinyPage | null {
  const deps = DEPENDENCIES.exec(html)?.[1] ?? null;
  const version = deps === null ? null : shinyVersion(deps);
  const script = SHINY_SCRIPT.exec(html);
  if (version === null && !script) return null;
  const sockjs = SOCKJS_CLIENT.test(html);
  const evidence =
    version !== null
      ? `the page lists shiny-javascript ${version} in its html-dependencies`
      : `the page loads ${/shiny(?:\.min)?\.js/.exec(script![0])![0]}`;

  const outputIds: string[] = [];
  const sizedOutputs: string[] = [];
  const datatables: string[] = [];
  const downloads: string[] = [];
  const fileInputs: string[] = [];
  const add = (list: string[], id: string) => {
    if (list.length < MAX_PAGE_IDS && !list.includes(id)) list.push(id);
  };
  for (const tag of html.matchAll(START_TAG)) {
    const attrs = attributes(tag[2] ?? '');
    const id = decodeEntities(attrs.get('id') ?? '');
    if (!id) continue;
    const cls = ` ${attrs.get('class') ?? ''} `;
    if (tag[1]!.toLowerCase() === 'input' && attrs.get('type')?.toLowerCase() === 'file') add(fileInputs, id);
    if (!OUTPUT_CLASS.test(cls)) continue;
    add(outputIds, id);
    if (SIZED_CLASS.test(cls)) add(sizedOutputs, id);
    if (/\sshiny-download-link\s/.test(cls)) add(downloads, id);
    if (/\shtml-widget-output\s/.test(cls) && /\sdatatables\s/.test(cls)) add(datatables, id);
  }
  return { version, datatables, downloads, fileInputs, outputs: outputIds.length, outputIds, sizedOutputs, sockjs, evidence };
}

/** The facts a record keeps of a page (ids, no layout). */
export function toPageFacts(page: ShinyPage): ShinyPageFacts {
  return { version: page.version, datatables: page.datatables, downloads: page.downloads, fileInputs: page.fileInputs, outputs: page.outputs };
}
