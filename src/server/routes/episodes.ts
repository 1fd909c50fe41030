import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AcknowledgeOutcome, AcknowledgeRequest } from '../../acknowledgements.js';
import type { EpisodeBoard, EpisodeView } from '../../episodes/board.js';
import type { EpisodeCurve } from '../../episodes/curves.js';
import type { ClassificationEvent } from '../../events/classification.js';
import { verdicts, type Feedback, type Verdict } from '../../events/feedback.js';
import type { FeedbackLog, FeedbackStore } from '../../feedback/store.js';
import { presentedToken, tokenAccepted } from '../protocol/auth.js';

/** What the routes ask of the board of episodes. */
export type EpisodeQuery = Pick<EpisodeBoard, 'snapshot' | 'find' | 'recordAcknowledgement'>;

export interface EpisodeRouteOptions {
  board: EpisodeQuery;
  /** The feed's token: the same data, the same token when one is configured; empty: none. */
  token: string;
  acknowledge?: ((latest: ClassificationEvent, request: AcknowledgeRequest) => Promise<AcknowledgeOutcome>) | undefined;
  feedback?: { store: FeedbackStore; log: FeedbackLog; nowMs?: () => number } | undefined;
  curve?: ((episodeId: string) => EpisodeCurve | undefined) | undefined;
  recentEvents?: ((limit: number) => ClassificationEvent[]) | undefined;
}

const MAX_EPISODES_LIMIT = 1000;
/** The query of the list endpoints: ?limit= (1 to MAX_EPISODES_LIMIT) and ?token=. */
const limitQuery = (defaultLimit: number) => ({
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_EPISODES_LIMIT, default: defaultLimit }, token: { type: 'string', maxLength: 1024 } },
  additionalProperties: false,
});
const UNKNOWN_EPISODE = { error: 'unknown_episode', message: 'no such episode on this instance (active or recently ended)' };
const episodeParams = { type: 'object', properties: { episodeId: { type: 'string', minLength: 1, maxLength: 200 } }, required: ['episodeId'] };

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

/** /api/episodes, /api/events, and what people do about an episode: acknowledge it, give a verdict. */
export function registerEpisodeRoutes(app: FastifyInstance, options: EpisodeRouteOptions): void {
  const authorized = (request: FastifyRequest): boolean => tokenAccepted(options.token, presentedToken(request));
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
  registerReadRoutes(app, options, authorized, episodeOf);
  if (options.feedback !== undefined) registerFeedbackRoutes(app, options.feedback, authorized, episodeOf);
  if (options.acknowledge !== undefined) registerAcknowledgeRoute(app, options.board, options.acknowledge, episodeOf);
}

type Authorized = (request: FastifyRequest) => boolean;
type EpisodeOf = (request: FastifyRequest<{ Params: { episodeId: string } }>, reply: FastifyReply) => EpisodeView | undefined;

function registerReadRoutes(app: FastifyInstance, options: EpisodeRouteOptions, authorized: Authorized, episodeOf: EpisodeOf): void {
  app.get<{ Querystring: { limit?: number; token?: string } }>(
    '/api/episodes',
    {
      schema: { querystring: limitQuery(100) },
    },
    async (request, reply) => {
      // The same data as the feed: the same token when one is configured.
      if (!authorized(request)) return reply.code(401).send({ error: 'unauthorized' });
      return options.board.snapshot(request.query.limit ?? 100);
    },
  );

  app.get<{ Params: { episodeId: string } }>('/api/episodes/:episodeId', { schema: { params: episodeParams } }, async (request, reply) => {
    const view = episodeOf(request, reply);
    if (view === undefined) return reply;
    return { ...view, feedback: options.feedback?.store.recent(MAX_EPISODES_LIMIT, view.episodeId) ?? [], curve: options.curve?.(view.episodeId) ?? null };
  });

  app.get<{ Querystring: { limit?: number; token?: string } }>(
    '/api/events',
    { schema: { querystring: limitQuery(200) } },
    async (request, reply) => {
      if (!authorized(request)) return reply.code(401).send({ error: 'unauthorized' });
      return { events: options.recentEvents?.(request.query.limit ?? 200) ?? [] };
    },
  );
}

function registerFeedbackRoutes(app: FastifyInstance, feedback: NonNullable<EpisodeRouteOptions['feedback']>, authorized: Authorized, episodeOf: EpisodeOf): void {
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

function registerAcknowledgeRoute(app: FastifyInstance, board: EpisodeQuery, acknowledge: NonNullable<EpisodeRouteOptions['acknowledge']>, episodeOf: EpisodeOf): void {
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
        board.recordAcknowledgement(view.episodeId, outcome.first, outcome.acknowledgement);
        return reply.code(200).send({ status: 'recorded', acknowledgement: outcome.acknowledgement, first: outcome.first });
      }
      return reply.code(202).send({ status: 'published', acknowledgement: outcome.event.acknowledgement, event: outcome.event });
    },
  );
}
