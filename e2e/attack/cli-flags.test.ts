// `npx stickyscope probe`: generated command lines against the flag parser in this process (cheap, so many), and a
// few real CLI runs with hostile --header and --resolve values against the allowed capture server. The CLI had the
// relay's flaw: a header value with U+010D U+010A was written as CR LF, so `--header` could add header lines and
// smuggle a second request. Reproduce a failure with STICKYSCOPE_ATTACK_SEED=<seed> (see generated-inputs.test.ts).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFlags } from '@/lib/cli/args';
import { parseProbeArgs } from '@/lib/cli/probe';
import { InputError } from '@/lib/errors';
import { hostKey } from '@/lib/net/host-key';
import { isHeaderValue, isHttpToken } from '@/lib/net/http-bytes';
import { parseIp } from '@/lib/net/address';
import { runStickyscope } from '../integration/lab-cli';
import { startCaptureServer, type CaptureServer } from './capture-server';
import { hostileText } from './hostile';
import { checkProperty } from './property';

const FILE = 'e2e/attack/cli-flags.test.ts';
const RUNS = { parser: 600, headers: 300, booleanFlags: 200 } as const;

const VALUE_FLAGS = [
  '--requests', '--interval', '--concurrency', '--cookies', '--identity', '--resolve', '--expect', '--timeout', '--header', '--protocol', '--app-session',
  '--eio-path', '--eio-version', '--namespace', '--extract-regex', '--extract-json', '--break-status', '--break-marker', '--report-to', '--experiment',
  '--experiment-at', '--experiment-service', '--shiny-route', '--shiny-output',
];
const BOOLEAN_FLAGS = ['--stop-at-first-break', '--insecure', '--no-upgrade', '--json'];

const TARGETS = ['http://allowed.test:8080/', 'http://allowed.test.:8080/', 'http://[::1]:8080/', 'http://127.1/', 'https://xn--allowd-fva.test/', 'javascript:alert(1)', 'http://u:p@x.example/'];
const RESOLVES = ['allowed.test:8080:127.0.0.1', 'ALLOWED.test.:8080:127.0.0.1', 'allowed.test:8080:[::1]', 'allowed.test:8080:169.254.169.254', 'allowed.test:8080:0x7f.1', 'allowed.test:8080:127.0.0.1\u010d\u010a', '*:8080:127.0.0.1'];
const HEADERS = ['X-Api-Key: k', 'Host: evil.example', 'X-Evil: a\u010d\u010aInjected: yes', 'X-Evil: a\r\nInjected: yes', 'X\u010d\u010aY: v', 'X-Latin: caf\u00e9', 'X-Empty:', ': no-name'];

/** Values each flag accepts, so most generated command lines get past the first check and the hostile part is tested. */
const VALID: Record<string, string[]> = {
  '--requests': ['1', '100'],
  '--interval': ['0', '10'],
  '--concurrency': ['1', '4'],
  '--cookies': ['browser', 'none'],
  '--identity': ['auto', 'header:x-replica', 'cookie:sid'],
  '--resolve': ['allowed.test:8080:127.0.0.1'],
  '--expect': ['sticky', 'spread'],
  '--timeout': ['50', '5000'],
  '--header': ['X-Api-Key: k', 'X-Latin: caf\u00e9'],
  '--protocol': ['http'],
  '--app-session': ['auto', 'off', 'sid'],
  '--report-to': ['http://127.0.0.1:3000'],
};

const flagValue = (flag: string) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(VALID[flag] ?? ['1'])) },
    { weight: flag === '--header' || flag === '--resolve' ? 3 : 1, arbitrary: fc.constantFrom(...(flag === '--resolve' ? RESOLVES : flag === '--header' ? HEADERS : ['-1', 'engineio', 'kill-task'])) },
    { weight: 1, arbitrary: flag === '--header' ? hostileText.map((t) => `X-Generated: ${t}`) : hostileText },
  );

const commandLine = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant('http://allowed.test:8080/') }, { weight: 2, arbitrary: fc.constantFrom(...TARGETS) }, { weight: 1, arbitrary: hostileText }),
    fc.uniqueArray(
      fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom('--header', '--resolve') },
        { weight: 4, arbitrary: fc.constantFrom(...Object.keys(VALID)) },
        { weight: 1, arbitrary: fc.constantFrom(...VALUE_FLAGS, ...BOOLEAN_FLAGS) },
      ),
      { maxLength: 4 },
    ),
  )
  .chain(([target, flags]) =>
    fc.tuple(...flags.map((flag) => (BOOLEAN_FLAGS.includes(flag) ? fc.constant([flag]) : flagValue(flag).map((value) => [flag, value])))).map((options) => [target, ...options.flat()]),
  );

/** Throws when a parsed probe is one the CLI must never send: a header or override that is not what it says. */
function checkParsedSpec(args: string[]): void {
  let parsed: ReturnType<typeof parseProbeArgs>;
  try {
    parsed = parseProbeArgs(args);
  } catch (error) {
    if (error instanceof InputError && error.message.length > 0) return;
    throw new Error(`parseProbeArgs threw ${String(error)} instead of a usage error`);
  }
  if ('help' in parsed) return;
  const { spec } = parsed;
  for (const [name, value] of Object.entries(spec.headers)) {
    if (!isHttpToken(name)) throw new Error(`accepted the header name ${JSON.stringify(name.slice(0, 80))}`);
    if (!isHeaderValue(value)) throw new Error(`accepted the header value ${JSON.stringify(value.slice(0, 80))}, which is not bytes a request head may carry`);
  }
  const url = new URL(spec.target);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  for (const r of spec.resolve) {
    if (parseIp(r.address) === null) throw new Error(`accepted the override address ${JSON.stringify(r.address)}`);
    if (hostKey(r.host) !== hostKey(url.hostname) || r.port !== port) throw new Error(`accepted the override ${r.host}:${r.port} for the target ${url.host}`);
  }
}

describe('generated command lines for stickyscope probe (flag parser, in process)', () => {
  it('answers every command line with a probe whose headers and overrides are sound, or a usage error', async () => {
    await checkProperty('probe flags', FILE, RUNS.parser, fc.property(commandLine, (args) => checkParsedSpec(args)));
  });

  it('refuses every --header value holding a character a request head cannot carry', async () => {
    // Between letters: the CLI may trim whitespace (U+2028 is some) off the ends of a value, which removes it harmlessly.
    const badValue = fc
      .tuple(hostileText, fc.constantFrom('\u010d\u010a', '\r\n', '\n', '\0', '\u0100', '\u2028', '\x7f', '\ud800'))
      .map(([text, bad]) => `x${text}${bad}${text}x`);
    await checkProperty('--header values', FILE, RUNS.headers, fc.property(badValue, (value) => {
      let error: unknown = null;
      try {
        parseProbeArgs(['http://allowed.test:8080/', '--header', `X-Test: ${value}`]);
      } catch (e) {
        error = e;
      }
      if (!(error instanceof InputError) || !error.message.includes('--header')) throw new Error(`--header with ${JSON.stringify(value.slice(0, 80))} was not refused as a --header error: ${String(error).slice(0, 200)}`);
    }));
  });

  it('accepts only the boolean flags a command names (lib/cli/args.ts)', async () => {
    const allowed = ['json', 'strict'] as const;
    await checkProperty('boolean flags', FILE, RUNS.booleanFlags, fc.property(fc.array(fc.oneof(fc.constantFrom('--json', '--strict', '--help', '-j', 'json', '--json=1'), hostileText), { maxLength: 4 }), (args) => {
      let flags: Record<string, boolean>;
      try {
        flags = parseFlags(args, allowed);
      } catch (error) {
        if (error instanceof InputError) return;
        throw error;
      }
      if (!args.every((a) => a === '--json' || a === '--strict')) throw new Error(`accepted ${JSON.stringify(args)}`);
      expect(Object.keys(flags).sort()).toEqual(['json', 'strict']);
    }));
  });
});

describe('stickyscope probe with hostile --header and --resolve values (real CLI runs)', () => {
  let capture: CaptureServer;
  beforeAll(async () => {
    capture = await startCaptureServer('allowed');
  });
  afterAll(async () => {
    await capture?.close();
  });

  const probe = (extra: string[], requests = 1) => {
    const target = `http://allowed.test:${capture.port}/`;
    return runStickyscope(['probe', target, '--resolve', `allowed.test:${capture.port}:127.0.0.1`, '--requests', String(requests), '--timeout', '5000', ...extra], null);
  };

  it('sends exactly the requests asked for with a valid --header (control)', async () => {
    const before = capture.requests().length;
    // The capture server echoes x-attack-id, so both requests name the same "replica" and the run passes.
    const run = await probe(['--header', 'X-Attack-Id: cli-control', '--identity', 'header:x-attack-echo'], 2);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const arrived = capture.requests().slice(before);
    expect(arrived).toHaveLength(2);
    for (const request of arrived) expect(request.headers).toContainEqual({ name: 'x-attack-id', value: 'cli-control' });
  });

  const hostile: [string, string[]][] = [
    ['a --header value with U+010D U+010A', ['--header', 'X-Evil: a\u010d\u010aInjected: yes']],
    ['a --header value smuggling a second request with U+010D U+010A', ['--header', 'X-Evil: a\u010d\u010a\u010d\u010aGET /smuggled HTTP/1.1\u010d\u010aHost: allowed.test\u010d\u010a\u010d\u010a']],
    ['a --header name with U+010D U+010A', ['--header', 'X\u010d\u010aInjected: yes']],
  ];
  for (const [what, extra] of hostile) {
    it(`refuses ${what} with exit code 2 and a message; nothing is injected`, async () => {
      const before = capture.requests().length;
      const malformedBefore = capture.malformed().length;
      const run = await probe(extra);
      const arrived = capture.requests().slice(before);
      expect(arrived.flatMap((r) => r.headers.map((h) => h.name))).not.toContain('injected');
      expect(arrived.map((r) => r.target)).not.toContain('/smuggled');
      expect(capture.malformed().slice(malformedBefore)).toEqual([]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('--header');
      expect(arrived).toHaveLength(0);
    });
  }

  it('refuses a --resolve address with U+010D U+010A with exit code 2 and a message', async () => {
    const before = capture.requests().length;
    const run = await runStickyscope(['probe', `http://allowed.test:${capture.port}/`, '--resolve', `allowed.test:${capture.port}:127.0.0.1\u010d\u010a`, '--requests', '1'], null);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--resolve');
    expect(capture.requests().length - before).toBe(0);
  });
});
