// Browsers ask for /favicon.ico on pages that name no icon (the JSON and CSV exports, an old bookmark): send them to
// the app's icon instead of a 404.
export const dynamic = 'force-static';

export function GET(request: Request) {
  return new Response(null, { status: 308, headers: { Location: new URL('/icon.svg', request.url).pathname, 'Cache-Control': 'public, max-age=86400' } });
}
