/** Pre/post webhooks: a JSON POST with a timeout, retried a few times; a non-2xx answer counts as a failure. */

export interface WebhookOptions {
  timeoutMs: number;
  /** Waits before each retry; its length is the number of retries. */
  retryDelaysMs: number[];
}

export const defaultWebhookOptions: WebhookOptions = { timeoutMs: 10_000, retryDelaysMs: [1_000, 4_000] };

export type WebhookOutcome = { ok: true; status: number; attempts: number } | { ok: false; error: string; attempts: number };

export async function callWebhook(url: string, body: unknown, options: WebhookOptions = defaultWebhookOptions): Promise<WebhookOutcome> {
  let error = '';
  for (let attempt = 0; attempt <= options.retryDelaysMs.length; attempt++) {
    if (attempt > 0) await sleep(options.retryDelaysMs[attempt - 1]!);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Upkeep-Webhook/1' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, status: response.status, attempts: attempt + 1 };
      error = `answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      // A client error will not change on retry.
      if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) return { ok: false, error, attempts: attempt + 1 };
    } catch (cause) {
      const e = cause as Error;
      error = e.name === 'TimeoutError' ? `did not answer within ${options.timeoutMs} ms` : `could not be reached (${(e.cause as Error | undefined)?.message ?? e.message})`;
    }
  }
  return { ok: false, error, attempts: options.retryDelaysMs.length + 1 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
