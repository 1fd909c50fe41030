/**
 * Deterministic mention simulator: the embedded default source and the generator of test and
 * benchmark data. No I/O, no wall clock. See docs/simulator.md.
 */
export { createSimulator, type Simulator } from './simulator.js';
export type { SimulatedMention, Tone } from './writer.js';
export {
  SimulatorConfigSchema,
  SimulatorConfigError,
  resolveSimulatorConfig,
  defaultIncidents,
  defaultBrands,
  defaultLanguages,
  defaultPlatforms,
  DEFAULT_START_MS,
  DEFAULT_WARMUP_MS,
  incidentKinds,
  sectors,
  type SimulatorConfig,
  type SimulatorConfigInput,
  type BrandConfig,
  type IncidentConfig,
  type IncidentKind,
  type Sector,
  type TimestampFormat,
} from './config.js';
export { peakMultiplier, peakMultiplierRange, type ScheduledIncident } from './incidents.js';
export { generateMentions, generateLabelledMentions, manyKeysConfig, type ManyKeysOptions } from './generate.js';
export { corruptMention, type CorruptLine } from './corrupt.js';
export { manyBrandKeys } from './brands.js';
export { Rng } from './prng.js';
