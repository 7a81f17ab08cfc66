#!/usr/bin/env node
// One lab replica of an app that keeps user state in its own memory: express with express-session's default
// in-memory store, plus a page whose data lives under a session-scoped URL (as Shiny and DataTables' server-side
// processing do).
//
//   node scripts/lab/session-replica.mjs --name replica-1 [--port 0] [--host 127.0.0.1]
//
//   GET /              counts visits in the session (`connect.sid`): {"hostname", "count"}
//   GET /page          an HTML page naming its data URL, `session/<token>/data`
//   GET /session/:token/data   200 with the data on the replica that made the page, 404 "session not found" elsewhere
//   GET /healthz       ok (no session)
//
// Every response carries `X-Replica: NAME`. Once listening it prints `listening HOST:PORT` on stdout.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import session from 'express-session';
import { parseReplicaArgs, serveReplica } from './replica-cli.mjs';

const { name, port, host } = parseReplicaArgs('session-replica.mjs');

/** Page tokens this replica issued; a real app would hold the rendered session's state here. */
const pages = new Set();
const MAX_PAGES = 10_000;

const app = express();
app.disable('x-powered-by');
app.use((_req, res, next) => {
  res.setHeader('x-replica', name);
  next();
});
app.get('/healthz', (_req, res) => res.type('text/plain').send('ok\n'));
app.get('/page', (_req, res) => {
  const token = randomBytes(12).toString('hex');
  if (pages.size >= MAX_PAGES) pages.clear();
  pages.add(token);
  res.type('html').send(`<!doctype html><title>${name}</title><script type="application/json">{"ajax":{"url":"session/${token}/data"}}</script>\n`);
});
app.get('/session/:token/data', (req, res) => {
  if (!pages.has(req.params.token)) return res.status(404).type('text/plain').send('session not found\n');
  res.json({ hostname: name, rows: [[1, 'a'], [2, 'b']] });
});
// The secret is the same on every replica, as in a real deployment: a cookie fails elsewhere only because the
// session itself lives in one replica's memory.
app.use(session({ secret: 'stickyscope-lab', resave: false, saveUninitialized: true }));
app.get('/', (req, res) => {
  req.session.count = (req.session.count ?? 0) + 1;
  res.json({ hostname: name, count: req.session.count });
});

serveReplica(http.createServer(app), { port, host });
