import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import { normalizedOrigin } from '../server/protocol/access.js';
import { resolveSimulatorConfig, SimulatorConfigError, type SimulatorConfigInput } from '../sources/simulator/config.js';
import { connectionOptions, KafkaOptionsError } from './kafka.js';
import { resolveSourceKind, type Config } from './schema.js';

/** The rules across settings, and (service only) what the service will open: checked by loadConfig in the same pass as the schema. */

const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
const isHost = (host: string): boolean => isIP(host) !== 0 || HOSTNAME.test(host);

/** Cross-field rules of the service sections; the simulator's are checked with the source (sourceProblems). */
export function serviceConfigProblems(config: Config): string[] {
  const problems: string[] = [];
  if (config.source.kind === 'file' && config.file.path === '') problems.push('file.path: required when source.kind is file');
  if (config.source.kind === 'kafka' && config.kafka.brokers.length === 0) problems.push('kafka.brokers: required when source.kind is kafka');
  if (config.kafka.saslMechanism !== 'none' && config.kafka.saslUsername === '') problems.push('kafka.saslUsername: required when kafka.saslMechanism is set');
  if (config.kafka.batchRetryMaxMs < config.kafka.batchRetryInitialMs) problems.push('kafka.batchRetryMaxMs: must be at least kafka.batchRetryInitialMs');
  if (config.kafka.heartbeatIntervalMs >= config.kafka.sessionTimeoutMs) problems.push('kafka.heartbeatIntervalMs: must be below kafka.sessionTimeoutMs');
  if (2 * config.input.maxFutureMs > config.detection.allowedLatenessMs) {
    problems.push('input.maxFutureMs: must be at most half of detection.allowedLatenessMs (a mention accepted that far ahead moves its key\'s time, and the key\'s on-time mentions must stay within the lateness)');
  }
  if (config.webhooks.maxBackoffMs < config.webhooks.initialBackoffMs) problems.push('webhooks.maxBackoffMs: must be at least webhooks.initialBackoffMs');
  const names = new Set<string>();
  config.webhooks.targets.forEach((target, i) => {
    if (names.has(target.name)) problems.push(`webhooks.targets.${i}.name: ${JSON.stringify(target.name)} is used by another target`);
    names.add(target.name);
    let url: URL | undefined;
    try {
      url = new URL(target.url);
    } catch {
      url = undefined;
    }
    // The URL is not echoed: a Slack webhook URL is itself a credential.
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) problems.push(`webhooks.targets.${i}.url (${target.name}): not an http(s) URL`);
  });
  if (config.feed.idleTimeoutMs <= config.feed.heartbeatMs) problems.push('feed.idleTimeoutMs: must be above feed.heartbeatMs (a client answers the pings the heartbeat sends)');
  if (!isHost(config.server.host)) problems.push(`server.host (STORMWATCH_SERVER_HOST): ${JSON.stringify(config.server.host)} is neither an IP address nor a host name`);
  for (const host of config.server.allowedHosts) {
    if (host !== '*' && !isHost(host.replace(/^\[(.*)\]$/, '$1'))) problems.push(`server.allowedHosts (STORMWATCH_SERVER_ALLOWED_HOSTS): ${JSON.stringify(host)} is neither an IP address, a host name nor *`);
  }
  for (const origin of config.server.allowedOrigins) {
    if (origin !== '*' && normalizedOrigin(origin) === undefined) problems.push(`server.allowedOrigins (STORMWATCH_SERVER_ALLOWED_ORIGINS): ${JSON.stringify(origin)} is not an origin (scheme://host[:port]) nor *`);
  }
  return problems;
}

/** Why `path` cannot be created or appended to (checked without writing), or undefined. */
function unwritable(path: string): string | undefined {
  const target = resolve(path);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) return `${path} is a folder`;
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      return `cannot write ${path}: ${(error as Error).message}`;
    }
  }
  // The file, its rotation (<path>.1) and missing folders are created in the nearest existing folder.
  let dir = dirname(target);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    if (!statSync(dir).isDirectory()) return `cannot create ${path}: ${dir} is not a folder`;
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    return `cannot create ${path} in ${dir}: ${(error as Error).message}`;
  }
  return undefined;
}

/** What the service will open for its source and write, checked before it starts. */
export function sourceProblems(config: Config, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const kind = resolveSourceKind(config);
  if (kind === 'simulator') {
    const { speedup: _speedup, ...simulator } = config.simulator;
    try {
      resolveSimulatorConfig(simulator as SimulatorConfigInput);
    } catch (error) {
      if (!(error instanceof SimulatorConfigError)) throw error;
      problems.push(...error.problems.map((p) => `simulator${p.replaceAll('/', '.')}`));
    }
  } else if (kind === 'file') {
    try {
      accessSync(config.file.path, constants.R_OK);
    } catch (error) {
      problems.push(`file.path (STORMWATCH_FILE_PATH): cannot read ${config.file.path}: ${(error as Error).message}`);
    }
  } else {
    try {
      connectionOptions(config.kafka, { env });
    } catch (error) {
      if (!(error instanceof KafkaOptionsError)) throw error;
      problems.push(...error.problems);
    }
  }
  for (const target of config.webhooks.targets) {
    // A receiver of the JSON body has no other way to know the event is ours.
    if (target.format === 'json' && webhookSecret(target.name, env) === undefined) problems.push(`webhooks.targets (${target.name}): ${webhookSecretVariable(target.name)} is not set (json targets are always signed)`);
  }
  if (config.webhooks.targets.length > 0) {
    const problem = unwritable(config.webhooks.deadLetterPath);
    if (problem !== undefined) problems.push(`webhooks.deadLetterPath (STORMWATCH_WEBHOOKS_DEAD_LETTER_PATH): ${problem}`);
  }
  // Kafka keeps its dead letters on a topic; the other sources write them to a file.
  if (kind !== 'kafka') {
    const problem = unwritable(config.deadLetters.path);
    if (problem !== undefined) problems.push(`deadLetters.path (STORMWATCH_DEAD_LETTERS_PATH): ${problem}`);
    const feedback = unwritable(config.feedback.path);
    if (feedback !== undefined) problems.push(`feedback.path (STORMWATCH_FEEDBACK_PATH): ${feedback}`);
  }
  return problems;
}

export const WEBHOOK_SECRET_PREFIX = 'STORMWATCH_WEBHOOK_SECRET_';

/** The environment variable holding a webhook target's secret: STORMWATCH_WEBHOOK_SECRET_<NAME>. */
export function webhookSecretVariable(name: string): string {
  return WEBHOOK_SECRET_PREFIX + name.toUpperCase().replaceAll('-', '_');
}

/** A webhook target's secret (never part of the config, never logged); undefined when unset or empty. */
export function webhookSecret(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[webhookSecretVariable(name)];
  return value === undefined || value === '' ? undefined : value;
}
