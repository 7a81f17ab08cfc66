import 'server-only';
// A minimal reverse proxy over node:http for the lab balancer and the lbswarm VIP: forwards method, path, headers
// (Host kept, like Traefik's passHostHeader default) and body; answers 502 when the server is gone.
import http from 'node:http';

export function forward(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  target: string,
  agent: http.Agent,
  extraHeaders: Record<string, string | string[]> = {},
): void {
  const url = new URL(target);
  const upstream = http.request(
    { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers, agent },
    (upstreamRes) => {
      const headers: http.OutgoingHttpHeaders = { ...upstreamRes.headers };
      for (const [name, value] of Object.entries(extraHeaders)) {
        const existing = headers[name];
        if (name === 'set-cookie') {
          const list = Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)];
          headers[name] = [...list, ...(Array.isArray(value) ? value : [value])];
        } else headers[name] = value;
      }
      res.writeHead(upstreamRes.statusCode ?? 502, headers);
      upstreamRes.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(502, { 'content-type': 'text/plain', ...pick(extraHeaders, 'x-stickyscope-lab') });
      res.end('Bad Gateway');
    }
  });
  req.pipe(upstream);
}

function pick(headers: Record<string, string | string[]>, name: string): Record<string, string | string[]> {
  return headers[name] === undefined ? {} : { [name]: headers[name] };
}
