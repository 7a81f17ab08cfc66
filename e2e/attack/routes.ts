// What the dashboard answers, read from the source tree: every app/api/**/route.ts and the methods it exports, plus
// the routes scripts/server.mjs answers itself and the pages. A route added later is attacked without anyone
// remembering to list it here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export type ApiRoute = {
  /** The route's pattern as its folder names it, e.g. `/api/reports/[id]/records`. */
  pattern: string;
  method: string;
  /** Answered by scripts/server.mjs before Next sees it. */
  direct: boolean;
};

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

/** Every exported method of every API route file, and the direct routes. */
export function listApiRoutes(): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const file of routeFiles(path.join(root, 'app', 'api'))) {
    const pattern = `/${path.relative(path.join(root, 'app'), path.dirname(file)).split(path.sep).join('/')}`;
    const source = readFileSync(file, 'utf8');
    for (const method of METHODS) {
      if (new RegExp(`export\\s+(async\\s+)?function\\s+${method}\\b|export\\s+const\\s+${method}\\b`).test(source)) {
        routes.push({ pattern, method, direct: false });
      }
    }
  }
  // instrumentation-node.ts registers these for scripts/server.mjs, keyed `METHOD /path`.
  const direct = readFileSync(path.join(root, 'instrumentation-node.ts'), 'utf8');
  for (const m of direct.matchAll(/'([A-Z]+) (\/[^']*)'\s*:/g)) routes.push({ pattern: m[2]!, method: m[1]!, direct: true });
  return routes;
}

/** Page routes as URL patterns, e.g. `/reports/[id]`; route groups such as `(dashboard)` are left out. */
export function listPageRoutes(): string[] {
  const pages: string[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name === 'api') continue;
        walk(path.join(dir, entry.name), /^\(.*\)$/.test(entry.name) ? segments : [...segments, entry.name]);
      } else if (entry.name === 'page.tsx') {
        pages.push(`/${segments.join('/')}`);
      }
    }
  };
  walk(path.join(root, 'app'), []);
  return pages;
}

/** `pattern` with each `[param]` replaced by the value `fill` gives for it. */
export function fillPattern(pattern: string, fill: (param: string) => string): string {
  return pattern.replace(/\[([^\]]+)\]/g, (_m, param: string) => fill(param));
}
