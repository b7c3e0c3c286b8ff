/** The page's side of the language worker: typed requests, answers matched by id. */
import type { Envelope, Reply, WorkerAnswers, WorkerRequest } from './protocol.js';

export class LanguageClient {
  private readonly worker = new Worker(new URL('./kql.worker.ts', import.meta.url), { type: 'module', name: 'kql-language' });
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  constructor() {
    this.worker.onmessage = (event: MessageEvent<Reply>) => {
      const waiting = this.pending.get(event.data.id);
      if (!waiting) return;
      this.pending.delete(event.data.id);
      if (event.data.ok) waiting.resolve(event.data.value);
      else waiting.reject(new Error(event.data.error));
    };
  }

  request<K extends WorkerRequest['kind']>(request: Extract<WorkerRequest, { kind: K }>): Promise<WorkerAnswers[K]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request } satisfies Envelope);
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('the language worker stopped'));
    this.pending.clear();
  }
}
