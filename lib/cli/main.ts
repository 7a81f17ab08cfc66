import { ConfigError } from '@/lib/env';
import { errorMessage } from '@/lib/errors';
import { lintCommand } from './lint';
import { topologyCommand } from './topology';

const usage = `Usage: stickyscope <command> [options]

Commands:
  topology [--json] [--dashboard URL]
                      Read Docker Swarm and Traefik and print the correlated model
  lint [--json] [--dashboard URL]
                      Report affinity misconfigurations; exit 1 when any is an error
  probe <url> [...]   Send a run of requests and judge whether the balancer keeps one replica
                      (stickyscope probe --help lists its options)

Configuration comes from the environment: DOCKER_HOST, TRAEFIK_API_URL, ... (see README).
--dashboard URL (or STICKYSCOPE_DASHBOARD) reads a running stickyscope dashboard instead, its demo lab included.
Exit codes: 0 success, 1 a check failed, 2 bad input or the cluster could not be read,
3 a probe passed but its report could not be published (--report-to).`;

const commands: Record<string, (args: string[]) => Promise<number>> = {
  topology: topologyCommand,
  lint: lintCommand,
  probe: (args) => import('./probe').then((m) => m.probeCommand(args)),
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return 0;
  }
  const run = command ? commands[command] : undefined;
  if (!run) {
    console.error(command ? `stickyscope: unknown command "${command}"\n\n${usage}` : usage);
    return 2;
  }
  return run(rest);
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
