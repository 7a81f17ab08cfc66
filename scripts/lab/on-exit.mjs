// Runs a lab's synchronous cleanup when this process exits or gets SIGINT/SIGTERM, then lets the signal do what it
// would have done. Returns the function that removes the handlers again (after an orderly stop).
export function cleanupOnExit(cleanupSync) {
  const onSignal = (signal) => {
    cleanupSync();
    remove();
    // Re-raise so the default action (or the next handler) still happens.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', cleanupSync);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', cleanupSync);
  return remove;
}
