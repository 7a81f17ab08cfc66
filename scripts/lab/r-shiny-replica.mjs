// The command that runs one real R Shiny process as a lab replica (R with the shiny and DT packages): an app folder
// served on the replica's port. The folder's `www/healthz` answers the lab's readiness check as a static file.
export const RSCRIPT = process.env.RSCRIPT_BIN || '/usr/bin/Rscript';

/** A `replicaCommand` for startHaproxyLab: `shiny::runApp(appDir)` on the replica's port, loopback only. */
export function rShinyReplica(appDir) {
  if (!/^[\w./-]+$/.test(appDir)) throw new Error(`the app folder ${appDir} must be a plain path (it is written into an R expression)`);
  return ({ port }) => [RSCRIPT, '-e', `shiny::runApp('${appDir}', port=${port}, host='127.0.0.1', launch.browser=FALSE)`];
}
