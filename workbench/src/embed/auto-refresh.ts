/**
 * Reruns `refresh` every `intervalMs` while the page is visible: a hidden tab (another tab in
 * front, a minimised window) runs no queries, and catches up at once when it is shown again if
 * a refresh fell due meanwhile.
 */
export function autoRefresh(intervalMs: number, refresh: () => void, doc: Document = document): () => void {
  let lastRun = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;
  const run = () => {
    lastRun = Date.now();
    refresh();
  };
  const start = () => {
    if (timer === undefined) timer = setInterval(run, intervalMs);
  };
  const stop = () => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
  };
  const onVisibility = () => {
    if (doc.hidden) return stop();
    if (Date.now() - lastRun >= intervalMs) run();
    start();
  };
  doc.addEventListener('visibilitychange', onVisibility);
  if (!doc.hidden) start();
  return () => {
    stop();
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
