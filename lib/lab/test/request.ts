// Test-only: one plain HTTP/1.1 request on loopback with a chosen Host header, and the whole answer.
import http from 'node:http';

export type PlainResponse = { status: number; headers: http.IncomingHttpHeaders; body: string };

export type PlainRequest = { host?: string; method?: string; body?: string; cookie?: string };

export function plainRequest(url: string, { host, method = 'GET', body, cookie }: PlainRequest = {}): Promise<PlainResponse> {
  const target = new URL(url);
  const headers: http.OutgoingHttpHeaders = { host: host ?? target.host };
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'text/plain;charset=UTF-8';
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** `name=value` of each Set-Cookie, ready to send back in a Cookie header. */
export function cookiePairs(response: PlainResponse): string {
  return (response.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
}
