import { describe, expect, it } from 'vitest';
import { matchServersToTask, parseServersState } from './haproxy-servers';

// As HAProxy 2.6 answers `show servers state` (columns trimmed after srv_port).
const answer = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord
5 be_app 1 app-1 127.0.0.1 2 0 1 1 1 6 3 4 6 0 0 0 - 18101 -
5 be_app 2 app-2 127.0.0.1 2 8 1 1 0 6 3 4 6 0 0 0 - 18102 -
5 be_app 3 web-sticky.3 10.0.1.7 0 1 1 1 0 6 3 4 6 0 0 0 - 80 -
6 be_other 1 srv1 10.0.1.9 2 0 1 1 1 6 3 4 6 0 0 0 - 80 -

`;

describe('parseServersState', () => {
  it('reads backend, server, address, port, health and admin state by column name', () => {
    expect(parseServersState(answer)).toEqual([
      { backend: 'be_app', server: 'app-1', address: '127.0.0.1', port: 18101, running: true, admin: 'ready' },
      { backend: 'be_app', server: 'app-2', address: '127.0.0.1', port: 18102, running: true, admin: 'drain' },
      { backend: 'be_app', server: 'web-sticky.3', address: '10.0.1.7', port: 80, running: false, admin: 'maint' },
      { backend: 'be_other', server: 'srv1', address: '10.0.1.9', port: 80, running: true, admin: 'ready' },
    ]);
  });

  it('reads nothing from an answer that is not a server list', () => {
    expect(parseServersState('Permission denied\n')).toEqual([]);
    expect(parseServersState('')).toEqual([]);
  });
});

describe('matchServersToTask', () => {
  const servers = parseServersState(answer);
  const names = (task: Parameters<typeof matchServersToTask>[1]) => matchServersToTask(servers, task).map((s) => `${s.backend}/${s.server}`);

  it('finds the server named like the task’s hostname or service.slot, in any case', () => {
    expect(names({ hostname: 'APP-1', name: 'web-sticky.1', addresses: [] })).toEqual(['be_app/app-1']);
    expect(names({ hostname: null, name: 'web-sticky.3', addresses: [] })).toEqual(['be_app/web-sticky.3']);
  });

  it('finds the server pointing at one of the task’s addresses', () => {
    expect(names({ hostname: 'x', name: 'other.1', addresses: ['10.0.1.9'] })).toEqual(['be_other/srv1']);
  });

  it('finds nothing for an unrelated task', () => {
    expect(names({ hostname: 'app-9', name: 'web-sticky.9', addresses: ['10.9.9.9'] })).toEqual([]);
  });
});
