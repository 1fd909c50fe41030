import websocket from '@fastify/websocket';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Registry } from 'prom-client';
import { randomUUID } from 'node:crypto';
import type { AcknowledgeOutcome, AcknowledgeRequest } from '../acknowledgements.js';
import { verdicts, type Feedback, type Verdict } from '../events/feedback.js';
import type { FeedbackLog, FeedbackStore } from '../feedback/store.js';
import type { ClassificationEvent } from '../events/classification.js';
import type { Logger } from '../logging.js';
import type { Readiness } from '../service.js';
import type { EpisodeCurve } from '../episodes/curves.js';
import type { EpisodeBoard, EpisodeView } from '../episodes/board.js';
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
  /** Feedback on episodes: counted in `store`, kept in `log`; omit for an app without POST /feedback. */
  feedback?: { store: FeedbackStore; log: FeedbackLog; nowMs?: () => number };
  /** An episode's volume against the usual over time, for GET /api/episodes/:episodeId. */
  curve?: (episodeId: string) => EpisodeCurve | undefined;
  /** The latest events of the feed, oldest first, for GET /api/events. */
  recentEvents?: (limit: number) => ClassificationEvent[];
  /** A request refused by the access policy (403), with the header that was refused. */
  onRefused?: (reason: AccessRefusal, value: string) => void;
}

const MAX_EPISODES_LIMIT = 1000;
/** The query of the list endpoints: ?limit= (1 to MAX_EPISODES_LIMIT) and ?token=. */
const limitQuery = (defaultLimit: number) => ({
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_EPISODES_LIMIT, default: defaultLimit }, token: { type: 'string', maxLength: 1024 } },
  additionalProperties: false,
});
const UNKNOWN_EPISODE = { error: 'unknown_episode', message: 'no such episode on this instance (active or recently ended)' };

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
      '/api/episodes/:episodeId': 'one active or recently ended episode, with its feedback and its curve (volume per minute against the usual band, negative share)',
      '/api/events': 'the latest classification events of the feed, oldest first (?limit=N)',
      'POST /api/episodes/:episodeId/ack': 'acknowledge an open episode: {by, note?}',
      'POST /api/episodes/:episodeId/feedback': 'a verdict on an episode: {verdict: confirmed | false_alarm | wrong_level, by, note?}',
      '/api/feedback': 'feedback counts and precision per level, and the latest verdicts (?limit=N)',
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
      schema: { querystring: limitQuery(100) },
    },
    async (request, reply) => {
      // The same data as the feed: the same token when one is configured.
      if (!tokenAccepted(options.feed.options.token, presentedToken(request))) return reply.code(401).send({ error: 'unauthorized' });
      return options.board.snapshot(request.query.limit ?? 100);
    },
  );

  const authorized = (request: FastifyRequest): boolean => tokenAccepted(options.feed.options.token, presentedToken(request));
  const episodeParams = { type: 'object', properties: { episodeId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['episodeId'] };
  const feedback = options.feedback;
  /** The episode a request names (active or recently ended), or undefined once 401 or 404 is sent. */
  const episodeOf = (request: FastifyRequest<{ Params: { episodeId: string } }>, reply: FastifyReply): EpisodeView | undefined => {
    if (!authorized(request)) void reply.code(401).send({ error: 'unauthorized' });
    else {
      const view = options.board.find(request.params.episodeId);
      if (view !== undefined) return view;
      void reply.code(404).send(UNKNOWN_EPISODE);
    }
    return undefined;
  };
  /** Options of a POST by a person about an episode: `{by, note?}` and `fields` (all required). */
  const personPost = (fields: Record<string, unknown>) => ({
    schema: {
      params: episodeParams,
      body: {
        type: 'object',
        properties: { by: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' }, note: { type: 'string', maxLength: 1000 }, ...fields },
        required: ['by', ...Object.keys(fields)],
        additionalProperties: false,
      },
    },
    bodyLimit: 8 * 1024,
  });

  app.get<{ Params: { episodeId: string } }>('/api/episodes/:episodeId', { schema: { params: episodeParams } }, async (request, reply) => {
    const view = episodeOf(request, reply);
    if (view === undefined) return reply;
    return { ...view, feedback: feedback?.store.recent(MAX_EPISODES_LIMIT, view.episodeId) ?? [], curve: options.curve?.(view.episodeId) ?? null };
  });

  app.get<{ Querystring: { limit?: number; token?: string } }>(
    '/api/events',
    { schema: { querystring: limitQuery(200) } },
    async (request, reply) => {
      if (!authorized(request)) return reply.code(401).send({ error: 'unauthorized' });
      return { events: options.recentEvents?.(request.query.limit ?? 200) ?? [] };
    },
  );

  if (feedback !== undefined) {
    app.post<{ Params: { episodeId: string }; Body: { verdict: Verdict; by: string; note?: string } }>(
      '/api/episodes/:episodeId/feedback',
      personPost({ verdict: { type: 'string', enum: [...verdicts] } }),
      async (request, reply) => {
        const view = episodeOf(request, reply);
        if (view === undefined) return reply;
        if (!feedback.log.isReady()) return reply.code(503).send({ error: 'feedback_unavailable', message: `${feedback.log.name} is not ready` });
        const note = request.body.note?.trim();
        const record: Feedback = {
          id: randomUUID(),
          episodeId: view.episodeId,
          key: view.key,
          level: view.level,
          verdict: request.body.verdict,
          by: request.body.by.trim(),
          ...(note !== undefined && note !== '' ? { note } : {}),
          at: new Date((feedback.nowMs ?? Date.now)()).toISOString(),
          peakSeverity: view.peakSeverity,
        };
        await feedback.log.append(record);
        return reply.code(202).send({ status: 'kept', feedback: record });
      },
    );

    app.get<{ Querystring: { limit?: number; token?: string } }>(
      '/api/feedback',
      { schema: { querystring: limitQuery(100) } },
      async (request, reply) => {
        if (!authorized(request)) return reply.code(401).send({ error: 'unauthorized' });
        return { byLevel: feedback.store.summary(), recent: feedback.store.recent(request.query.limit ?? 100) };
      },
    );
  }

  const acknowledge = options.acknowledge;
  if (acknowledge !== undefined) {
    app.post<{ Params: { episodeId: string }; Body: AcknowledgeRequest }>(
      '/api/episodes/:episodeId/ack',
      personPost({}),
      async (request, reply) => {
        const view = episodeOf(request, reply);
        if (view === undefined) return reply;
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
