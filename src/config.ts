import { readFileSync } from 'node:fs';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, detectionConfigProblems } from './detect/config.js';

/**
 * The one typed configuration of stormwatch. Defaults live in config/default.json (generated
 * from and checked against these schemas); an optional JSON file (STORMWATCH_CONFIG) and
 * environment variables (STORMWATCH_<SECTION>_<NAME>, e.g. STORMWATCH_DETECTION_BUCKET_MS)
 * override them. Validated once at start-up, listing every problem, then deep-frozen.
 */
export const InputConfigSchema = Type.Object(
  {
    maxBytes: Type.Integer({ minimum: 256, default: 64 * 1024, description: 'largest accepted mention record' }),
    maxFutureMs: Type.Integer({ minimum: 0, default: 5 * 60_000, description: 'live mode: how far ahead of the wall clock a timestamp may be' }),
    maxPastMs: Type.Integer({ minimum: 0, default: 7 * 24 * 3_600_000, description: 'live mode: how far behind the wall clock a timestamp may be' }),
  },
  { additionalProperties: false, default: {} },
);

export const LogConfigSchema = Type.Object(
  {
    level: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  },
  { additionalProperties: false, default: {} },
);

export const ConfigSchema = Type.Object(
  {
    detection: { ...DetectionConfigSchema, default: {} },
    input: InputConfigSchema,
    log: LogConfigSchema,
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_FILE = new URL('../../config/default.json', import.meta.url);

/** The defaults exactly as the schemas state them (config/default.json must equal this). */
export function schemaDefaults(): Config {
  return Value.Default(ConfigSchema, {}) as Config;
}

function camelToEnv(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** Reads STORMWATCH_<SECTION>_<NAME> variables for every leaf of the schema, typed by it. */
function envOverrides(env: NodeJS.ProcessEnv, problems: string[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [section, sectionSchema] of Object.entries(ConfigSchema.properties)) {
    const properties = (sectionSchema as { properties?: Record<string, TSchema> }).properties ?? {};
    for (const [name, schema] of Object.entries(properties)) {
      const variable = `STORMWATCH_${camelToEnv(section)}_${camelToEnv(name)}`;
      const raw = env[variable];
      if (raw === undefined || raw === '') continue;
      let value: unknown = raw;
      const kind = (schema as { type?: string }).type;
      if (kind === 'integer' || kind === 'number') {
        value = Number(raw);
        if (Number.isNaN(value)) problems.push(`${variable}=${raw}: not a number`);
      } else if (kind === 'boolean') {
        value = raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
      } else if (kind === 'array') {
        value = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
      }
      (out[section] ??= {})[name] = value;
    }
  }
  return out;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isObject(base) || !isObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Extra overrides (tests, CLI flags), applied last. */
  overrides?: unknown;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const problems: string[] = [];
  let merged: unknown = JSON.parse(readFileSync(DEFAULT_FILE, 'utf8'));
  const file = env.STORMWATCH_CONFIG;
  if (file !== undefined && file !== '') {
    try {
      merged = deepMerge(merged, JSON.parse(readFileSync(file, 'utf8')));
    } catch (error) {
      problems.push(`STORMWATCH_CONFIG=${file}: ${(error as Error).message}`);
    }
  }
  merged = deepMerge(merged, envOverrides(env, problems));
  merged = deepMerge(merged, options.overrides);
  const withDefaults = Value.Default(ConfigSchema, merged);
  for (const error of Value.Errors(ConfigSchema, withDefaults)) problems.push(`${error.path.slice(1).replaceAll('/', '.') || '(root)'}: ${error.message}`);
  if (problems.length === 0) {
    const config = withDefaults as Config;
    problems.push(...detectionConfigProblems(config.detection));
    if (problems.length === 0) return deepFreeze(config);
  }
  throw new ConfigError(problems);
}
