import { Value } from '@sinclair/typebox/value';
import { DetectionConfigSchema, type DetectionConfig } from '../../src/detect/config.js';
import { deriveParams, type DetectionParams } from '../../src/detect/params.js';

/** The detection defaults with some settings changed, with their derived constants. */
export function detectionConfig(overrides: Partial<DetectionConfig> = {}): DetectionParams {
  return deriveParams({ ...(Value.Default(DetectionConfigSchema, {}) as DetectionConfig), ...overrides });
}
