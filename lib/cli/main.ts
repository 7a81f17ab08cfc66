import { ConfigError, getConfig } from '@/lib/env';
import { errorMessage } from '@/lib/errors';
import { readTopology } from '@/lib/topology/read';
import { formatTopology } from './format-topology';

const usage = `Usage: stickyscope <command> [options]

Commands:
  topology [--json]   Read Docker Swarm and Traefik and print the correlated model

Configuration comes from the environment: DOCKER_HOST, TRAEFIK_API_URL, ... (see README).`;

/** Exit codes: 0 success, 1 a check failed, 2 bad input or the cluster could not be read. */
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  if (command === 'topology') return topology(rest);
  console.error(`stickyscope: unknown command "${command}"\n\n${usage}`);
  return 2;
}

async function topology(args: string[]): Promise<number> {
  const unknown = args.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    console.error(`stickyscope topology: unknown option ${unknown.join(' ')}`);
    return 2;
  }
  const cluster = getConfig().clusters[0];
  if (!cluster) return 2;
  const model = await readTopology(cluster);
  console.log(args.includes('--json') ? JSON.stringify(model, null, 2) : formatTopology(model));
  return model.sources.docker.status === 'error' ? 2 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`stickyscope: ${error instanceof ConfigError ? error.message : errorMessage(error)}`);
    process.exitCode = 2;
  },
);
