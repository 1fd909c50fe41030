import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/schema.js';

export type { Logger } from 'pino';

/**
 * The service's logger: pino, JSON lines on stdout (or the destination given), one `service`
 * binding. `pino.destination` with `sync: false` would lose lines on a hard exit, so stdout is
 * written synchronously; the volume is low (bad input is rate-limited, see ReasonReporter).
 */
export function createLogger(config: Pick<Config, 'log'>, destination?: DestinationStream): Logger {
  const options = { level: config.log.level, base: { service: 'stormwatch' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export interface ReasonReporterOptions {
  /** Wall time between two log lines for the same reason. */
  intervalMs?: number;
  /** Wall clock, injected for tests. */
  nowMs?: () => number;
  level?: 'warn' | 'error';
}

interface ReasonState {
  lastLoggedMs: number;
  suppressed: number;
}

/**
 * Logs bad input once per reason, then at most once per interval with the count suppressed in
 * between, so a flood of bad records cannot flood the log. Counting is the metrics' job.
 */
export class ReasonReporter {
  private readonly reasons = new Map<string, ReasonState>();
  private readonly intervalMs: number;
  private readonly nowMs: () => number;
  private readonly level: 'warn' | 'error';

  constructor(
    private readonly logger: Logger,
    private readonly message: string,
    options: ReasonReporterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.nowMs = options.nowMs ?? Date.now;
    this.level = options.level ?? 'warn';
  }

  report(reason: string, context: Record<string, unknown>): void {
    const now = this.nowMs();
    const state = this.reasons.get(reason);
    if (state === undefined) {
      this.reasons.set(reason, { lastLoggedMs: now, suppressed: 0 });
      this.logger[this.level]({ ...context, reason, first: true }, this.message);
      return;
    }
    if (now - state.lastLoggedMs < this.intervalMs) {
      state.suppressed++;
      return;
    }
    this.logger[this.level]({ ...context, reason, suppressedSinceLast: state.suppressed }, this.message);
    state.lastLoggedMs = now;
    state.suppressed = 0;
  }

  /** Logs what is still suppressed (at shutdown). */
  flush(): void {
    for (const [reason, state] of this.reasons) {
      if (state.suppressed === 0) continue;
      this.logger[this.level]({ reason, suppressedSinceLast: state.suppressed }, this.message);
      state.suppressed = 0;
      state.lastLoggedMs = this.nowMs();
    }
  }
}
