// Bench helpers for measurements that run in a process of their own and print one JSON object.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs `node args…` from the repository root and hands the JSON it printed to `check` (which throws when it is wrong).
 * `echo`: pass its stderr through as it comes (progress lines).
 */
export function runJsonChild(label, args, check, { timeoutMs = 300_000, echo = false, env = process.env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
      err += d;
      if (echo) process.stderr.write(d);
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(guard);
      try {
        resolve(check(JSON.parse(out)));
      } catch (error) {
        reject(new Error(`${label} exited ${code}: ${error.message}\n${err.slice(-800)}`));
      }
    });
  });
}

/** A TypeScript bench script under scripts/bench, run through tsx with the app's `@/` imports. */
export function runTsBench(script, args, check, options = {}) {
  const file = path.join(root, 'scripts', 'bench', script);
  return runJsonChild(script, ['--conditions=react-server', '--import', import.meta.resolve('tsx'), file, ...args], check, {
    ...options,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
  });
}
