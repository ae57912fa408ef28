// Browsers ask for it on every page; answer without logging a routing error each time.
export const loader = () => new Response(null, { status: 204, headers: { "Cache-Control": "public, max-age=86400" } });
