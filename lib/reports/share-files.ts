// The files a share link offers beside its page, `/r/<id>/<name>`: the shared copy as an export. Client-safe, so the
// share listener's closed list of paths and the route that serves them name the same files.
export const SHARE_FILE_NAMES = ['report.json', 'records.csv'] as const;
export type ShareFileName = (typeof SHARE_FILE_NAMES)[number];
