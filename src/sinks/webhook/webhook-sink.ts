import type { Counter } from 'prom-client';
import { classificationTypes, type ClassificationEvent, type Level } from '../../events/classification.js';
import { backoffMs } from '../../config/kafka.js';
import type { Logger } from '../../logging.js';
import { Filter } from '../../server/protocol/filter.js';
import type { EventSink } from '../../ports.js';
import type { WebhookFormat } from '../../config/schema.js';
import { summaryLine, webhookBody } from './messages.js';
import { signatureHeaders } from './signature.js';

export interface WebhookTarget {
  name: string;
  url: string;
  format: WebhookFormat;
  /** Empty: every level. */
  levels: readonly Level[];
  /** An episode is sent once its severity so far reaches this, then every event of it (its end too). */
  minSeverity: number;
  /** Brand keys; empty: every key. */
  keys: readonly string[];
  /** Shared secret for the signature headers (from the environment only); undefined: unsigned. */
  secret: string | undefined;
}

export type WebhookDeadLetterReason = 'attempts_exhausted' | 'rejected' | 'queue_full' | 'shutdown';

/** One line of the webhook dead-letter file: the event as it would have been sent, and why it was not. */
export interface WebhookDeadLetter {
  target: string;
  reason: WebhookDeadLetterReason;
  attempts: number;
  lastError?: string;
  deadAt: string;
  event: ClassificationEvent;
}

export interface WebhookSinkOptions {
  targets: readonly WebhookTarget[];
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  maxQueuedEvents: number;
  deadLetters: { write(letters: readonly WebhookDeadLetter[]): Promise<void> };
  requests: Counter<'target' | 'outcome'>;
  deadLettered: Counter<'target' | 'reason'>;
  logger: Logger;
  nowMs?: () => number;
}

/** Episodes whose peak severity a target remembers (for minSeverity); the oldest go first. */
const MAX_TRACKED_EPISODES = 10_000;
const USER_AGENT = 'stormwatch-webhook/1';

interface Failure {
  ok: false;
  retry: boolean;
  error: string;
  waitMs?: number;
}
type Attempt = { ok: true } | Failure;

/** Retry-After in seconds (the HTTP-date form is rare from webhook receivers and is ignored). */
function retryAfterMs(header: string | null): number | undefined {
  return header !== null && /^\d{1,6}$/.test(header.trim()) ? Number(header.trim()) * 1000 : undefined;
}

/** One target: its filter, a bounded queue, one delivery at a time (so its events keep their order). */
class TargetQueue {
  private readonly filter: Filter;
  private readonly peaks = new Map<string, number>();
  private readonly queue: ClassificationEvent[] = [];
  private running: Promise<void> | undefined;
  private closing = false;
  /** Set when a delivery fails after close: the target is not taking events, stop trying. */
  private gaveUp = false;
  private wake: (() => void) | undefined;
  private failing = false;

  constructor(
    readonly target: WebhookTarget,
    private readonly options: WebhookSinkOptions,
    private readonly logger: Logger,
  ) {
    const types = target.levels.length === 0 ? [] : classificationTypes.filter((t) => target.levels.some((l) => t.startsWith(`${l}.`)));
    this.filter = Filter.from({ keys: [...target.keys], types, minSeverity: target.minSeverity });
  }

  offer(event: ClassificationEvent): void {
    const peak = Math.max(this.peaks.get(event.episodeId) ?? 0, event.severity);
    if (event.type.endsWith('.ended')) this.peaks.delete(event.episodeId);
    else {
      this.peaks.delete(event.episodeId); // re-inserted last: the map stays in order of activity
      this.peaks.set(event.episodeId, peak);
      if (this.peaks.size > MAX_TRACKED_EPISODES) this.peaks.delete(this.peaks.keys().next().value!);
    }
    if (this.closing || !this.filter.matches(event, peak)) return;
    this.queue.push(event);
    if (this.queue.length > this.options.maxQueuedEvents) this.deadLetter(this.queue.shift()!, 'queue_full', 0, 'queue full');
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.gaveUp) {
      // Off the queue while in flight: the queue's bound counts waiting events only.
      await this.deliver(this.queue.shift()!);
    }
  }

  private async deliver(event: ClassificationEvent): Promise<void> {
    const o = this.options;
    let failure: Failure | undefined;
    let attempts = 0;
    while (attempts < o.maxAttempts) {
      if (failure !== undefined) {
        await this.sleep(Math.min(o.maxBackoffMs, failure.waitMs ?? backoffMs(attempts - 1, o.initialBackoffMs, o.maxBackoffMs)));
        if (this.closing) {
          this.gaveUp = true;
          return this.deadLetter(event, 'shutdown', attempts, failure.error);
        }
      }
      attempts++;
      const result = await this.attempt(event);
      o.requests.inc({ target: this.target.name, outcome: result.ok ? 'delivered' : 'failed' });
      if (result.ok) {
        if (this.failing) this.logger.info({ target: this.target.name }, 'webhook deliveries work again');
        this.failing = false;
        return;
      }
      failure = result;
      if (!this.failing) this.logger.warn({ target: this.target.name, err: failure.error, attempt: attempts }, 'webhook delivery failed; retrying with backoff');
      this.failing = true;
      if (!failure.retry) return this.deadLetter(event, 'rejected', attempts, failure.error);
    }
    this.deadLetter(event, 'attempts_exhausted', attempts, failure?.error);
  }

  private async attempt(event: ClassificationEvent): Promise<Attempt> {
    const body = webhookBody(this.target.format, event);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      'stormwatch-event-id': event.id,
      'stormwatch-event-type': event.type,
      // Signed per attempt: a retry carries a fresh timestamp, so it passes the receiver's window.
      ...(this.target.secret !== undefined ? signatureHeaders(this.target.secret, body, (this.options.nowMs ?? Date.now)()) : {}),
    };
    try {
      const response = await fetch(this.target.url, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(this.options.timeoutMs) });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      const error = `HTTP ${response.status}`;
      // Other 4xx mean the request itself is wrong (URL, signature, payload): sending it again will not help.
      const retry = response.status >= 500 || response.status === 408 || response.status === 429;
      const waitMs = retryAfterMs(response.headers.get('retry-after'));
      return { ok: false, retry, error, ...(waitMs !== undefined ? { waitMs } : {}) };
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code;
      return { ok: false, retry: true, error: [(error as Error).message, cause].filter(Boolean).join(': ') };
    }
  }

  /** Waits `ms`, or less when the sink closes meanwhile. */
  private sleep(ms: number): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private deadLetter(event: ClassificationEvent, reason: WebhookDeadLetterReason, attempts: number, lastError: string | undefined): void {
    this.options.deadLettered.inc({ target: this.target.name, reason });
    this.logger.error({ target: this.target.name, reason, attempts, lastError, eventId: event.id }, `webhook event dead-lettered: ${summaryLine(event)}`);
    const letter: WebhookDeadLetter = { target: this.target.name, reason, attempts, ...(lastError !== undefined ? { lastError } : {}), deadAt: new Date((this.options.nowMs ?? Date.now)()).toISOString(), event };
    void this.options.deadLetters.write([letter]);
  }

  /**
   * Delivers what is queued while the target takes it, without retrying: at the first failure that
   * event and those behind it are dead-lettered as `shutdown`, so a dead target cannot hold up the stop.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.wake?.();
    await this.running;
    for (const event of this.queue.splice(0)) this.deadLetter(event, 'shutdown', 0, undefined);
  }
}

/**
 * Classification events to HTTP webhooks (Slack-compatible or the event as JSON), signed, filtered
 * per target. Best effort like the websocket feed: publish only queues, so a slow or failing
 * receiver never holds up the pipeline; each target retries with capped backoff and writes what it
 * gives up on to the webhook dead-letter file. docs/webhooks.md.
 */
export class WebhookSink implements EventSink {
  readonly name = 'webhooks';
  private readonly queues: TargetQueue[];
  private closing: Promise<void> | undefined;

  constructor(options: WebhookSinkOptions) {
    const logger = options.logger.child({ component: 'webhook-sink' });
    this.queues = options.targets.map((target) => new TargetQueue(target, options, logger));
  }

  async publish(events: readonly ClassificationEvent[]): Promise<void> {
    if (this.closing !== undefined) return;
    for (const event of events) for (const queue of this.queues) queue.offer(event);
  }

  isReady(): boolean {
    return this.closing === undefined;
  }

  close(): Promise<void> {
    this.closing ??= Promise.all(this.queues.map((q) => q.close())).then(() => undefined);
    return this.closing;
  }
}
