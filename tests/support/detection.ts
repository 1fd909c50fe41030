import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, type DetectionConfig } from '../../src/detect/config.js';

/** The detection defaults with some settings changed. */
export function detectionConfig(overrides: Partial<DetectionConfig> = {}): DetectionConfig {
  return { ...(Value.Default(DetectionConfigSchema, {}) as DetectionConfig), ...overrides };
}
