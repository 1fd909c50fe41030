import { readFileSync } from 'node:fs';
import type { Config } from './schema.js';

/**
 * Config → connection options, pure (files and env are injected), so the mapping is unit-tested.
 * Typed structurally rather than with kafkajs's types, so callers outside src/kafka/ need no kafkajs.
 */

export type KafkaSection = Config['kafka'];

/** The environment variable that holds the SASL password: never in a config file, never logged. */
export const SASL_PASSWORD_ENV = 'STORMWATCH_KAFKA_SASL_PASSWORD';

export interface TlsOptions {
  ca?: string[];
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

export type SaslOptions =
  | { mechanism: 'plain'; username: string; password: string }
  | { mechanism: 'scram-sha-256'; username: string; password: string }
  | { mechanism: 'scram-sha-512'; username: string; password: string };

export interface ConnectionOptions {
  clientId: string;
  brokers: string[];
  connectionTimeout: number;
  requestTimeout: number;
  ssl?: TlsOptions | undefined;
  sasl?: SaslOptions | undefined;
}

export class KafkaOptionsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('; '));
    this.name = 'KafkaOptionsError';
  }
}

export interface OptionsInput {
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

/** kafkajs connection options from the `kafka` section; lists every problem (unreadable files, no password). */
export function connectionOptions(kafka: KafkaSection, input: OptionsInput = {}): ConnectionOptions {
  const env = input.env ?? process.env;
  const readFile = input.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const problems: string[] = [];
  const read = (name: string, path: string): string | undefined => {
    if (path === '') return undefined;
    try {
      return readFile(path);
    } catch (error) {
      problems.push(`kafka.${name}: cannot read ${path}: ${(error as Error).message}`);
      return undefined;
    }
  };

  let ssl: TlsOptions | undefined;
  const tlsFiles = kafka.tlsCaFile !== '' || kafka.tlsCertFile !== '' || kafka.tlsKeyFile !== '';
  if (kafka.tlsEnabled) {
    ssl = { rejectUnauthorized: kafka.tlsRejectUnauthorized };
    const ca = read('tlsCaFile', kafka.tlsCaFile);
    const cert = read('tlsCertFile', kafka.tlsCertFile);
    const key = read('tlsKeyFile', kafka.tlsKeyFile);
    if (ca !== undefined) ssl.ca = [ca];
    if (cert !== undefined) ssl.cert = cert;
    if (key !== undefined) ssl.key = key;
    if ((kafka.tlsCertFile === '') !== (kafka.tlsKeyFile === '')) problems.push('kafka.tlsCertFile and kafka.tlsKeyFile: give both or neither');
  } else if (tlsFiles) {
    problems.push('kafka.tlsCaFile/tlsCertFile/tlsKeyFile: set, but kafka.tlsEnabled is false');
  }

  let sasl: SaslOptions | undefined;
  if (kafka.saslMechanism !== 'none') {
    const password = env[SASL_PASSWORD_ENV];
    if (kafka.saslUsername === '') problems.push('kafka.saslUsername: required when kafka.saslMechanism is set');
    if (password === undefined || password === '') problems.push(`${SASL_PASSWORD_ENV}: required when kafka.saslMechanism is ${kafka.saslMechanism}`);
    sasl = { mechanism: kafka.saslMechanism, username: kafka.saslUsername, password: password ?? '' };
  }

  if (problems.length > 0) throw new KafkaOptionsError(problems);
  return {
    clientId: kafka.clientId,
    brokers: [...kafka.brokers],
    connectionTimeout: kafka.connectionTimeoutMs,
    requestTimeout: kafka.requestTimeoutMs,
    ...(ssl !== undefined ? { ssl } : {}),
    ...(sasl !== undefined ? { sasl } : {}),
  };
}

/** What may be logged about the connection: no password, no key material. */
export function describeConnection(kafka: KafkaSection): Record<string, unknown> {
  return {
    brokers: kafka.brokers,
    clientId: kafka.clientId,
    groupId: kafka.groupId,
    topics: { mentions: kafka.mentionsTopic, alerts: kafka.alertsTopic, deadLetters: kafka.deadLettersTopic },
    tls: kafka.tlsEnabled,
    sasl: kafka.saslMechanism === 'none' ? 'none' : `${kafka.saslMechanism} as ${kafka.saslUsername}`,
    clock: kafka.clock,
  };
}

/** Capped exponential backoff with ±20 % jitter: attempt 0 → about `initialMs`. */
export function backoffMs(attempt: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(Math.min(maxMs, base * (0.8 + 0.4 * random())));
}
