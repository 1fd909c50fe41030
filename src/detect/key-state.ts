import type { ClassificationEvent } from '../events/classification.js';
import { AlarmModel } from './alarm/alarm-model.js';
import { KeyClassifier } from './classifier/classifier.js';
import type { DetectionConfig } from './config.js';
import type { DriverTracker } from './drivers/driver-tracker.js';
import { NegativityModel } from './negativity/negativity-model.js';
import { RateModel } from './rate/rate-model.js';
import type { BucketRing } from './window/bucket-ring.js';

/** All detection state of one key. */
export class KeyState {
  ring: BucketRing | undefined;
  readonly rate = new RateModel();
  readonly negativity = new NegativityModel();
  readonly alarm = new AlarmModel();
  readonly classifier: KeyClassifier;
  drivers: DriverTracker | undefined;
  /** Last bucket folded into the baseline and classified. */
  closedThrough: number;
  /** Latest bucket holding data. */
  lastDataBucket: number;
  /** The open episode's latest event (handed to the instance that takes the key over). */
  lastEvent: ClassificationEvent | undefined;
  /** The key's own stream time: the latest event time of its accepted mentions. */
  streamMs = Number.NEGATIVE_INFINITY;
  /** The engine's accepted count at this key's latest mention: recency for `maxKeys`. */
  lastSeen = 0;
  /** Restored keys only: the exporter's closed buckets for this key; mentions at or before are late. */
  lateThrough = Number.NEGATIVE_INFINITY;

  constructor(
    readonly key: string,
    /** The key's settings under its policy (thresholds, floors, cooldowns). */
    public config: DetectionConfig,
    firstBucket: number,
  ) {
    this.classifier = new KeyClassifier(key, config);
    this.closedThrough = firstBucket - 1;
    this.lastDataBucket = firstBucket;
  }
}
