export function EmptyCluster() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8">
      <h2 className="text-lg font-semibold">No cluster connected</h2>
      <p className="mt-2 max-w-2xl text-sm text-slate-600">
        stickyscope reads Docker Swarm (services, tasks, labels) and, when it can reach it, the Traefik API. Point it at a
        Swarm manager and restart:
      </p>
      <pre className="mt-4 overflow-x-auto rounded bg-slate-900 p-4 font-mono text-xs text-slate-100">
        {`DOCKER_HOST=unix:///var/run/docker.sock   # or tcp://manager:2375, or a read-only socket proxy
TRAEFIK_API_URL=http://traefik:8080         # optional: the live routers, services and sticky cookies
npm start`}
      </pre>
      <p className="mt-3 text-sm text-slate-600">
        Docker access is read-only: stickyscope only sends GET requests to the Docker API.
      </p>
    </div>
  );
}
