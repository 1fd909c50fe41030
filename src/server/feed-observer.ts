import { ReasonReporter, type Logger } from '../logging.js';
import type { Metrics } from '../metrics/metrics.js';
import type { FeedHub } from './feed-hub.js';

/** Counts and logs what the feed hub reports: disconnects by reason, slow clients, resumes. */
export function observeFeed(hub: FeedHub, metrics: Metrics, logger: Logger): void {
  hub.on('disconnected', (_clients, reason) => metrics.wsDisconnects.inc({ reason }));
  hub.on('dropped', (_clientId, count) => metrics.wsMessagesDropped.inc(count));
  hub.on('slowClient', (clientId, dropped) => {
    metrics.wsSlowClientsDisconnected.inc();
    logger.warn({ clientId, dropped }, 'websocket client too slow: closed with 4409');
  });
  hub.on('resume', (outcome) => metrics.wsResumes.inc({ outcome }));
  // No stack trace: the fault is the client's. At most one line per client (it is closed), and per
  // ws error code at most one a minute with the number suppressed: anyone can open bad connections.
  const faults = new ReasonReporter(logger, 'websocket client broke the protocol: closed');
  hub.on('clientFault', (clientId, code, message) => faults.report(code, { clientId, detail: message }));
  hub.on('sendError', (clientId, error) => logger.debug({ clientId, err: error }, 'websocket client error'));
}
