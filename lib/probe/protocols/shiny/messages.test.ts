import { describe, expect, it } from 'vitest';
import { detectProtocol } from '../detect';
import { readSockjsFrame, sockjsCodec, sockjsUrl, websocketCodec } from './channel';
import { chooseRoute, classifyRoute, dataTableColumns, dataTablesForm, findRoutes, initMessage, readServerMessage } from './messages';
import { readShinyPage } from './page';
import { R_SHINY_FRAMES, R_SHINY_PAGE } from './test/r-shiny-1.7';

const SESSION = 'd44809c6607cd13187a823c5e33db499';
const values = R_SHINY_FRAMES.find((f) => f.includes('"values"'))!;

describe('a Shiny page', () => {
  it('reads what R Shiny serves: version, outputs by kind, file inputs', () => {
    const page = readShinyPage(R_SHINY_PAGE)!;
    expect(page).toMatchObject({ version: '1.7.4', datatables: ['table'], downloads: ['report'], fileInputs: ['upload'], outputIds: ['table', 'report', 'received'], sizedOutputs: ['table'], sockjs: false });
    expect(page.evidence).toBe('the page lists shiny-javascript 1.7.4 in its html-dependencies');
  });

  it('knows Shiny by its script alone, and Shiny Server by its SockJS client', () => {
    const page = readShinyPage('<script src="shared/shiny.min.js"></script><script src="__assets__/sockjs.min.js"></script><div id="x" class="shiny-text-output"></div>');
    expect(page).toMatchObject({ version: null, outputIds: ['x'], sockjs: true, evidence: 'the page loads shiny.min.js' });
    expect(readShinyPage('<html><script src="app.js"></script><div id="shiny-thing"></div></html>')).toBeNull();
  });

  it('auto: Shiny, socket.io or plain HTTP, with the reason', () => {
    const ok = (bodyPrefix: string, type = 'text/html; charset=UTF-8') => detectProtocol({ status: 200, headers: { 'content-type': type }, bodyPrefix }, 1);
    expect(ok(R_SHINY_PAGE)).toEqual({ requested: 'auto', protocol: 'shiny', reason: 'the page lists shiny-javascript 1.7.4 in its html-dependencies', atIndex: 1 });
    expect(ok('<script src="/socket.io/socket.io.js"></script>')).toMatchObject({ protocol: 'engineio', reason: 'the page loads /socket.io/socket.io.js, the socket.io client' });
    expect(ok('{"hostname":"a"}', 'application/json')).toMatchObject({ protocol: 'http', reason: 'a application/json answer that is neither a Shiny nor a socket.io page; plain HTTP' });
    expect(detectProtocol({ status: 503, headers: {}, bodyPrefix: R_SHINY_PAGE }, 1)).toMatchObject({ protocol: 'http', reason: 'request 1 answered HTTP 503, not a page; plain HTTP' });
    expect(detectProtocol(null, 1).protocol).toBe('http');
  });
});

describe('Shiny messages', () => {
  it('init reports every output visible, sizes the widget, and carries the page URL', () => {
    const init = JSON.parse(initMessage(readShinyPage(R_SHINY_PAGE)!, 'http://shiny.test:8080/app/?x=1')) as { method: string; data: Record<string, unknown> };
    expect(init.method).toBe('init');
    expect(init.data).toMatchObject({
      '.clientdata_output_table_hidden': false,
      '.clientdata_output_report_hidden': false,
      '.clientdata_output_table_width': 800,
      'upload:shiny.file': null,
      '.clientdata_url_hostname': 'shiny.test',
      '.clientdata_url_port': '8080',
      '.clientdata_url_pathname': '/app/',
      '.clientdata_url_search': '?x=1',
    });
  });

  it('reads config, values and the upload response the real server sent', () => {
    expect(readServerMessage(R_SHINY_FRAMES[0]!)?.config).toEqual({ workerId: '', sessionId: SESSION, user: null });
    expect(readServerMessage('{"busy":"busy"}')).toEqual({ busy: 'busy' });
    expect(readServerMessage('not json')).toBeNull();
    expect(readServerMessage(R_SHINY_FRAMES.at(-1)!)?.response?.value?.uploadUrl).toMatch(/^session\/[0-9a-f]+\/upload\//);
  });

  it('finds the DT and download routes in values, in JSON or cut short, and only for this session', () => {
    const routes = findRoutes(values, SESSION);
    expect(routes.map((r) => [r.kind, r.output])).toEqual([
      ['download', 'report'],
      ['dataobj', 'table'],
    ]);
    expect(routes[1]!.url).toMatch(new RegExp(`^session/${SESSION}/dataobj/table\\?w=&nonce=[0-9a-f]+$`));
    expect(findRoutes(values.slice(0, values.indexOf('nonce') + 30), SESSION).map((r) => r.kind)).toEqual(['download', 'dataobj']);
    expect(findRoutes(values, 'ffff')).toEqual([]);
  });

  it('posts DataTables parameters with the table header columns', () => {
    const columns = dataTableColumns(readServerMessage(values)!.values, 'table');
    expect(columns).toBe(4);
    const form = new URLSearchParams(dataTablesForm(columns!, 3));
    expect(form.get('draw')).toBe('3');
    expect(form.get('columns[3][data]')).toBe('3');
    expect(form.has('columns[4][data]')).toBe(false);
    expect(form.get('length')).toBe('10');
    expect(form.get('search[caseInsensitive]')).toBe('true');
  });

  it('chooses DT first, then a download, then an upload, or what was asked', () => {
    const routes = findRoutes(values, SESSION);
    expect(chooseRoute(routes, { route: 'auto', output: null })?.kind).toBe('dataobj');
    expect(chooseRoute(routes, { route: 'download', output: null })?.output).toBe('report');
    expect(chooseRoute(routes, { route: 'auto', output: 'report' })?.kind).toBe('download');
    expect(chooseRoute(routes, { route: 'upload', output: null })).toBeNull();
  });

  it('reads a route answer: 200 reached the session, 404 another process', () => {
    expect(classifyRoute(200)).toEqual({ outcome: 'ok', answer: 'HTTP 200' });
    expect(classifyRoute(404)).toEqual({ outcome: 'break', answer: 'HTTP 404 (no such session on this process)' });
    expect(classifyRoute(500).outcome).toBe('error');
  });
});

describe('the socket a Shiny page opens', () => {
  it('R Shiny: websocket/ under the page path', () => {
    expect(websocketCodec.socketUrl('http://h.test/app')).toBe('http://h.test/app/websocket/');
    expect(websocketCodec.socketUrl('http://h.test/app/?a=1')).toBe('http://h.test/app/websocket/');
  });

  it('Shiny Server: SockJS under the page folder, with the worker path parameter, multiplexed on channel 0', () => {
    expect(sockjsUrl('http://h.test/apps/sales/?w=ab12', { server: '123', session: 'abcdefgh' })).toBe('http://h.test/apps/sales/__sockjs__/w=ab12/123/abcdefgh/websocket');
    expect(sockjsCodec.opening('http://h.test/apps/sales/')).toEqual(['["0|o|"]']);
    expect(sockjsCodec.frame(['{"method":"init"}'])).toBe('["0|m|{\\"method\\":\\"init\\"}"]');
    expect(sockjsCodec.read(`a${JSON.stringify([`0|m|${R_SHINY_FRAMES[0]}`, '1|m|other channel'])}`)).toEqual({ messages: [R_SHINY_FRAMES[0]], closed: null });
    expect(sockjsCodec.read('c[3000,"Go away!"]').closed).toEqual({ code: 3000, reason: 'Go away!' });
    expect(readSockjsFrame('o')).toEqual({ payloads: [], close: null });
    expect(readSockjsFrame('x')).toBeNull();
    expect(sockjsCodec.frame([R_SHINY_FRAMES[0]!]).includes(sockjsCodec.needle('"config"'))).toBe(true);
  });
});
