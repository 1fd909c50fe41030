import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { AcknowledgeOutcome, AcknowledgeRequest } from '../acknowledgements.js';
import type { EpisodeCurve } from '../episodes/curves.js';
import type { ClassificationEvent } from '../events/classification.js';
import type { FeedbackLog, FeedbackStore } from '../feedback/store.js';
import type { Logger } from '../logging.js';
import type { Readiness } from '../service.js';
import { feedHubPlugin, isClientFault, type FeedHub } from './feed-hub.js';
import { accessPolicy, hostAllowed, originAllowed, type AccessPolicy, type AccessRefusal } from './protocol/access.js';
import { SUBPROTOCOL } from './protocol/messages.js';
import { registerEpisodeRoutes, type EpisodeQuery } from './routes/episodes.js';
import { registerOpsRoutes } from './routes/ops.js';

export interface AppOptions {
  feed: FeedHub;
  board: EpisodeQuery;
  registry: Registry;
  /** A pino logger for request errors; omit for a silent app (tests). */
  logger?: Logger;
  readiness: () => Readiness;
  /** Folder of the live page (index.html, app.js, style.css); default: src/server/public. */
  publicDir?: string;
  /** Hosts and origins answered (protocol/access.ts); default: loopback names and same-origin pages only. */
  access?: AccessPolicy;
  /** Acknowledges an open episode (the service's acknowledge); omit for an app without POST /ack. */
  acknowledge?: (latest: ClassificationEvent, request: AcknowledgeRequest) => Promise<AcknowledgeOutcome>;
  /** Feedback on episodes: counted in `store`, kept in `log`; omit for an app without POST /feedback. */
  feedback?: { store: FeedbackStore; log: FeedbackLog; nowMs?: () => number };
  /** An episode's volume against the usual over time, for GET /api/episodes/:episodeId. */
  curve?: (episodeId: string) => EpisodeCurve | undefined;
  /** The latest events of the feed, oldest first, for GET /api/events. */
  recentEvents?: (limit: number) => ClassificationEvent[];
  /** A request refused by the access policy (403), with the header that was refused. */
  onRefused?: (reason: AccessRefusal, value: string) => void;
}

/** Frames this many times the protocol's message limit are refused unread by the websocket layer (1009). */
const TRANSPORT_PAYLOAD_FACTOR = 4;

/**
 * The HTTP and websocket surface, built in a function so tests use inject()/injectWS(); only
 * main.ts calls listen(). Routes: / (live page), /api, /healthz, /readyz, /metrics, /api/episodes,
 * /ws (the feed protocol, docs/websocket.md).
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    // Scrapes and probes every few seconds would drown the log; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }) as unknown as FastifyInstance;

  await app.register(websocket, {
    options: {
      // Messages over feed.maxMessageBytes are closed with 4413 by the hub; this only stops
      // much larger frames before they are buffered.
      maxPayload: options.feed.options.maxMessageBytes * TRANSPORT_PAYLOAD_FACTOR,
      // Select stormwatch.v1 when offered (a browser also offers bearer.<token> to authenticate).
      handleProtocols: (protocols: Set<string>) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : (protocols.values().next().value ?? false)),
    },
    // Instead of the plugin's default (an error-level log line with a stack trace for every bad
    // frame, a log flood anyone can cause): client faults are the hub's to count and log once.
    errorHandler: (error: Error, socket: { terminate(): void }, request: FastifyRequest) => {
      if (!isClientFault(error)) request.log.error({ err: error }, 'websocket handler failed');
      socket.terminate();
    },
    // Instead of the plugin's default (close() without a code): say "going away" (1001), and do
    // not wait for clients that never answer the close handshake.
    preClose: async function (this: FastifyInstance) {
      options.feed.closeAll();
      this.websocketServer.close();
    },
  });
  // Before any route, the websocket upgrade included: a refused request gets a 403 and no upgrade.
  // /healthz stays open to every Host (probes use whatever name or address reaches the container).
  const access = options.access ?? accessPolicy({ boundHost: '127.0.0.1', interfaceAddresses: [], allowedHosts: [], allowedOrigins: [] });
  app.addHook('onRequest', async (request, reply) => {
    const host = request.headers.host;
    let refusal: AccessRefusal | undefined;
    if (request.routeOptions.url !== '/healthz' && !hostAllowed(access, host)) refusal = 'host_not_allowed';
    // A websocket upgrade or a POST from a page of another origin: cross-site requests act for nobody.
    else if ((request.ws || request.method !== 'GET') && !originAllowed(access, request.headers.origin, host)) refusal = 'origin_not_allowed';
    if (refusal === undefined) return;
    options.onRefused?.(refusal, (refusal === 'host_not_allowed' ? host : request.headers.origin) ?? '');
    return reply.code(403).send({ error: refusal });
  });
  await app.register(feedHubPlugin, { hub: options.feed, path: '/ws' });

  registerOpsRoutes(app, options);
  registerEpisodeRoutes(app, { board: options.board, token: options.feed.options.token, acknowledge: options.acknowledge, feedback: options.feedback, curve: options.curve, recentEvents: options.recentEvents });

  return app;
}
