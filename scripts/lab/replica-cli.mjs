// The command line every lab replica shares: `--name NAME [--port PORT] [--host ADDRESS] [--cors]`, one `listening HOST:PORT`
// line on stdout once it serves (so a parent that asked for port 0 learns the port without polling), and a clean
// stop on SIGTERM and SIGINT.
import { parseArgs } from 'node:util';

export function parseReplicaArgs(script) {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      // Read by replicas that can answer cross-origin pages; the others ignore it.
      cors: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!values.name || !/^[A-Za-z0-9._-]+$/.test(values.name) || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`usage: ${script} --name NAME [--port PORT] [--host ADDRESS] [--cors]\n`);
    process.exit(2);
  }
  return { name: values.name, port, host: values.host, cors: values.cors };
}

/** Listens, announces the port, and closes the server (and `close` first, when given) on a stop signal. */
export function serveReplica(server, { port, host }, close = (done) => done()) {
  server.keepAliveTimeout = 30_000;
  server.listen(port, host, () => {
    const address = server.address();
    process.stdout.write(`listening ${host}:${typeof address === 'object' && address ? address.port : port}\n`);
  });
  const stop = () => {
    close(() => server.close(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
