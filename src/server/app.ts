import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import type { AcknowledgeOutcome, AcknowledgeRequest } from '../acknowledgements.js';
import type { ClassificationEvent } from '../events/classification.js';
import type { Logger } from '../logging.js';
import type { Readiness } from '../service.js';
import type { EpisodeBoard } from '../sinks/episode-board.js';
import { feedHubPlugin, isClientFault, type FeedHub } from './feed-hub.js';
import { defaultPublicDir, registerLivePage } from './live-page.js';
import { accessPolicy, hostAllowed, originAllowed, type AccessPolicy, type AccessRefusal } from './protocol/access.js';
import { presentedToken, tokenAccepted } from './protocol/auth.js';
import { SUBPROTOCOL } from './protocol/messages.js';

export interface AppOptions {
  feed: FeedHub;
  board: EpisodeBoard;
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
  /** A request refused by the access policy (403), with the header that was refused. */
  onRefused?: (reason: AccessRefusal, value: string) => void;
}

const MAX_EPISODES_LIMIT = 1000;

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

  const index = {
    name: 'stormwatch',
    endpoints: {
      '/': 'the live page (active storms and drizzles, timeline)',
      '/healthz': 'liveness: 200 while the process runs',
      '/readyz': 'readiness: 200 when the source and every sink are ready, else 503',
      '/metrics': 'Prometheus metrics',
      '/api/episodes': 'active and recently ended episodes (?limit=N)',
      'POST /api/episodes/:episodeId/ack': 'acknowledge an open episode: {by, note?}',
      '/ws': 'websocket feed: hello, snapshot, numbered events, resume (docs/websocket.md)',
    },
  };
  app.get('/api', async () => index);
  if (!registerLivePage(app, options.publicDir ?? defaultPublicDir())) app.get('/', async () => index);

  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const readiness = options.readiness();
    return reply.code(readiness.ready ? 200 : 503).send(readiness);
  });

  app.get('/metrics', async (_request, reply) => {
    const body = await options.registry.metrics();
    return reply.type(options.registry.contentType).send(body);
  });

  app.get<{ Querystring: { limit?: number; token?: string } }>(
    '/api/episodes',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: MAX_EPISODES_LIMIT, default: 100 },
            token: { type: 'string', maxLength: 1024 },
          },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      // The same data as the feed: the same token when one is configured.
      if (!tokenAccepted(options.feed.options.token, presentedToken(request))) return reply.code(401).send({ error: 'unauthorized' });
      return options.board.snapshot(request.query.limit ?? 100);
    },
  );

  const acknowledge = options.acknowledge;
  if (acknowledge !== undefined) {
    app.post<{ Params: { episodeId: string }; Body: AcknowledgeRequest }>(
      '/api/episodes/:episodeId/ack',
      {
        schema: {
          params: { type: 'object', properties: { episodeId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['episodeId'] },
          body: {
            type: 'object',
            properties: { by: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }, note: { type: 'string', maxLength: 1000 } },
            required: ['by'],
            additionalProperties: false,
          },
        },
        bodyLimit: 8 * 1024,
      },
      async (request, reply) => {
        if (!tokenAccepted(options.feed.options.token, presentedToken(request))) return reply.code(401).send({ error: 'unauthorized' });
        const view = options.board.find(request.params.episodeId);
        if (view === undefined) return reply.code(404).send({ error: 'unknown_episode', message: 'no such episode on this instance (active or recently ended)' });
        if (view.status === 'ended') return reply.code(409).send({ error: 'episode_ended', endedAt: view.endedAt });
        const body = { by: request.body.by.trim(), ...(request.body.note !== undefined ? { note: request.body.note.trim() } : {}) };
        const outcome = await acknowledge(view.latest, body);
        if (outcome.status === 'recorded') {
          options.board.recordAcknowledgement(view.episodeId, outcome.first, outcome.acknowledgement);
          return reply.code(200).send({ status: 'recorded', acknowledgement: outcome.acknowledgement, first: outcome.first });
        }
        return reply.code(202).send({ status: 'published', acknowledgement: outcome.event.acknowledgement, event: outcome.event });
      },
    );
  }

  return app;
}
