// What a redacted share hides, said the same way on the share page and in the author's share panel. Client-safe.

export function redactionSummary(queryStrings: boolean): string {
  return [
    'cookie values become per-report pseudonyms (a change still shows as a change)',
    'private, loopback and link-local addresses are masked',
    'credential headers (Authorization, Cookie, API keys, tokens) are dropped',
    `credentials in URLs are blanked${queryStrings ? ' and query strings removed' : ''}`,
  ].join(', ');
}
