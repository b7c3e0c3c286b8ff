/**
 * A page that runs a query against a real `upkeep serve` (proxied by Vite under /api) and shows
 * the answer in the ResultsPanel, recording decode and first-render times in window.resultTimings.
 * It lets the results panel be tested in a real browser on its own.
 */
import { mount, tick, unmount } from 'svelte';
import ResultsPanel from '../../src/results/ResultsPanel.svelte';
import { decodeArrowResult } from '../../src/results/decode.js';

interface Timings {
  fetchMs: number;
  bytes: number;
  decodeMs: number;
  renderMs: number;
}
declare global {
  interface Window {
    resultTimings?: Timings;
  }
}

const token = new URLSearchParams(location.search).get('token') ?? '';
const form = document.getElementById('query-form') as HTMLFormElement;
const target = document.getElementById('results')!;
const errorLine = document.getElementById('error')!;
let panel: ReturnType<typeof mount> | undefined;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void run(new FormData(form).get('query') as string);
});

async function run(query: string): Promise<void> {
  window.resultTimings = undefined;
  errorLine.textContent = '';
  const started = performance.now();
  const response = await fetch('/api/query', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/vnd.apache.arrow.stream' },
    body: JSON.stringify({ query }),
  });
  if (!response.ok) {
    errorLine.textContent = JSON.stringify(await response.json());
    return;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  const fetched = performance.now();
  const result = decodeArrowResult(bytes, fetched - started);
  const decoded = performance.now();
  if (panel) await unmount(panel);
  panel = mount(ResultsPanel, { target, props: { result } });
  await tick();
  await new Promise(requestAnimationFrame);
  window.resultTimings = { fetchMs: fetched - started, bytes: bytes.length, decodeMs: decoded - fetched, renderMs: performance.now() - decoded };
}
