#!/usr/bin/env node
// `npm start`: builds the app when the build is missing or older than the sources, then serves it
// (scripts/server.mjs) on PORT, 3000 by default.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const status = buildIfStale('first start or sources changed');
if (status !== 0) process.exit(status);

const port = process.env.PORT ?? '3000';
const server = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], { cwd: root, stdio: 'inherit', env: { ...process.env, PORT: port } });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
