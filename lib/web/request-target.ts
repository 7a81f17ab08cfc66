// Request targets the app can route, and why others are refused with 400 before they reach it. Pure.
//
// The router decodes paths for params and would fail with a 500 on an escape that is not UTF-8 (`/reports/%ff`);
// dot segments and backslashes mean a different path to different URL parsers, and the share listener's path check
// must see the same path as the router. Browsers never send any of these.

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

/** The path of an origin-form request target (`/reports?x=1` → `/reports`). */
export function targetPath(target: string): string {
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** Why a request target is refused, or null when it is a plain path the app can route. */
export function requestTargetProblem(target: string | undefined): string | null {
  if (!target?.startsWith('/')) return 'the request target must be a path such as /reports';
  const path = targetPath(target);
  if (path.startsWith('//')) return 'the path must not start with //';
  if (path.includes('\\')) return 'the path must not contain a backslash';
  if (DOT_SEGMENT.test(path)) return 'the path must not contain . or .. segments';
  try {
    decodeURIComponent(path);
  } catch {
    return 'the path has a percent-escape that is not valid UTF-8 (such as %ff); escape each byte of a UTF-8 character';
  }
  return null;
}
