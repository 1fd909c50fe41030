import type { Acknowledgements } from './acknowledgements.js';
import type { WindowRates } from './detect/engine.js';
import { expectedEvents, type ExpectedMark, type PoliciesConfig } from './detect/policy/policy.js';
import type { EpisodeCurves } from './episodes/curves.js';
import type { ClassificationEvent } from './events/classification.js';
import type { RejectReason } from './events/mention.js';
import { ReasonReporter, type Logger } from './logging.js';
import type { Metrics } from './metrics/metrics.js';
import type { DeadLetter, DeadLetterSink, EventSink, RawRecord } from './ports.js';

/** Events a failing sink may hold before the oldest are dropped (and counted). */
const MAX_OUTBOX_EVENTS = 10_000;

export interface PublisherDeps {
  /** Every sink gets every classification event, in order (episode board, websocket feed, Kafka). */
  sinks: readonly EventSink[];
  deadLetters: DeadLetterSink;
  metrics: Metrics;
  logger: Logger;
  /** Stamps acknowledgements on the events of acknowledged episodes. */
  acknowledgements: Acknowledgements;
  /** Follows each episode's volume against the usual as its events go out. */
  curves: EpisodeCurves;
  policies: PoliciesConfig;
  /** Wall clock for `emittedAt` and `rejectedAt`. */
  wallNowMs: () => number;
}

/**
 * Everything on its way out: classification events (stamped with the wall-clock `emittedAt`, the
 * calendar's `expected` mark and the acknowledgement, counted, logged) wait in one outbox per
 * sink, dead letters in one list, until a flush publishes them. A sink that fails keeps its
 * events for the next flush; the others are not held up.
 */
export class Publisher {
  private readonly outboxes: Map<EventSink, ClassificationEvent[]>;
  private letters: DeadLetter[] = [];
  private flushChain: Promise<void> = Promise.resolve();
  /** The flush queued behind the one in flight, not started yet (at most one). */
  private queuedFlush: Promise<void> | undefined;
  private expected: (event: ClassificationEvent) => ExpectedMark | undefined;
  /** Open episodes the calendar expected, by id (bounded by the open episodes). */
  private readonly expectedEpisodes = new Map<string, ExpectedMark>();
  private readonly badInput: ReasonReporter;
  private readonly failures: ReasonReporter;
  private readonly overflows: ReasonReporter;

  constructor(private readonly deps: PublisherDeps) {
    this.outboxes = new Map(deps.sinks.map((sink) => [sink, []]));
    this.expected = expectedEvents(deps.policies);
    const { logger, wallNowMs } = deps;
    this.badInput = new ReasonReporter(logger, 'rejected input record', { nowMs: wallNowMs });
    this.failures = new ReasonReporter(logger, 'unexpected failure (counted, service continues)', { nowMs: wallNowMs, level: 'error' });
    this.overflows = new ReasonReporter(logger, 'a failing sink\'s outbox is full: its oldest events are dropped for that sink (stormwatch_sink_outbox_dropped_total)', { nowMs: wallNowMs, level: 'error' });
  }

  /** The engine's listener: an event as the detector made it (`emittedAt` in event time). */
  readonly event = (event: ClassificationEvent, rates: WindowRates): void => {
    // Consumers want the moment it was sent.
    const expected = this.expectedMark(event);
    const stamped = this.deps.acknowledgements.stamp({ ...event, emittedAt: new Date(this.deps.wallNowMs()).toISOString(), ...(expected !== undefined ? { expected } : {}) });
    this.enqueue(stamped, rates);
  };

  /** The calendar of expected events, reloaded (SIGHUP). */
  setPolicies(policies: PoliciesConfig): void {
    this.expected = expectedEvents(policies);
  }

  /**
   * An episode the calendar expected when it started (a launch's surge) is marked on every event
   * while it stays at that level; one that becomes a storm is not (a storm is never muted).
   */
  private expectedMark(event: ClassificationEvent): ExpectedMark | undefined {
    let mark = this.expectedEpisodes.get(event.episodeId);
    if (mark === undefined && event.type.endsWith('.started')) {
      mark = this.expected(event);
      if (mark !== undefined) this.expectedEpisodes.set(event.episodeId, mark);
    }
    if (event.type.endsWith('.ended')) this.expectedEpisodes.delete(event.episodeId);
    return event.level === 'storm' ? undefined : mark;
  }

  /** An event to every sink's outbox (published by the next flush). */
  enqueue(event: ClassificationEvent, rates: WindowRates): void {
    this.deps.curves.observe(event, (key) => rates.windowRate(key));
    this.deps.metrics.event(event.type, event.key);
    this.deps.logger.info(
      { type: event.type, key: event.key, episodeId: event.episodeId, severity: event.severity, at: event.at },
      event.explanation,
    );
    for (const [sink, box] of this.outboxes) {
      box.push(event);
      if (box.length > MAX_OUTBOX_EVENTS) {
        const dropped = box.shift()!;
        this.deps.metrics.outboxDropped.inc({ sink: sink.name });
        this.overflows.report(sink.name, { sink: sink.name, maxEvents: MAX_OUTBOX_EVENTS, droppedId: dropped.id });
      }
    }
  }

  /** A record the pipeline rejected: counted, logged (rate-limited), and a dead letter for the next flush. */
  readonly reject = (reason: RejectReason, detail: string, raw: Uint8Array | string | null | undefined, record: RawRecord): void => {
    const { origin, key } = record;
    this.deps.metrics.reject(reason);
    this.letters.push({ reason, detail, value: raw ?? null, origin, ...(key !== undefined ? { key } : {}), rejectedAt: new Date(this.deps.wallNowMs()).toISOString() });
    this.badInput.report(reason, { detail, origin });
  };

  /** Publishes pending events to every sink and pending dead letters; serialized, so order holds. */
  flush(): Promise<void> {
    // A flush that has not started yet will take everything pending when it does: callers share it,
    // so ticks during a long outage do not pile flushes up behind the one in flight.
    if (this.queuedFlush !== undefined) return this.queuedFlush;
    const next = this.flushChain.then(() => {
      this.queuedFlush = undefined;
      return this.flushNow();
    });
    this.queuedFlush = next;
    this.flushChain = next.catch(() => undefined);
    return next;
  }

  private async flushNow(): Promise<void> {
    const { metrics, deadLetters } = this.deps;
    const letters = this.letters;
    this.letters = [];
    const results = await Promise.allSettled([
      ...[...this.outboxes].map(async ([sink, box]) => {
        if (box.length === 0) return;
        const events = box.slice();
        await sink.publish(events);
        box.splice(0, events.length);
      }),
      letters.length === 0
        ? Promise.resolve()
        : deadLetters.write(letters).then(() => {
            for (const letter of letters) metrics.deadLetters.inc({ reason: letter.reason });
          }),
    ]);
    const errors: Error[] = [];
    const sinks = [...this.outboxes.keys()];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      if (i < sinks.length) {
        metrics.error('sending', 'sink_publish_failed');
        this.failures.report(`sink_${sinks[i]!.name}`, { sink: sinks[i]!.name, err: result.reason });
        errors.push(result.reason as Error);
      } else {
        // A dead-letter sink that fails here is counted and dropped; the Kafka dead-letter sink
        // retries inside write() until it works or closes, and so holds the batch up by design.
        metrics.error('sending', 'dead_letter_write_failed');
        metrics.deadLettersDropped.inc(letters.length);
        this.failures.report('dead_letter_write', { err: result.reason });
      }
    });
    if (errors.length > 0) throw new AggregateError(errors, `${errors.length} sink(s) failed to publish`);
  }

  /** Log lines held back by rate limiting, written out (shutdown). */
  flushReports(): void {
    this.badInput.flush();
    this.failures.flush();
    this.overflows.flush();
  }
}
