import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SnapshotErrorCode } from '../detect/snapshot.js';

const REJECT_REASONS: readonly SnapshotErrorCode[] = ['unknown_version', 'malformed', 'config_mismatch'];

/** The keyed-state instruments (docs/state.md), on the service's registry. No key labels. */
export class StateMetrics {
  readonly restoring: Gauge;
  readonly restoreSeconds: Histogram;
  readonly keysRestored: Counter;
  readonly snapshotsWritten: Counter;
  readonly snapshotBytes: Counter;
  readonly snapshotsRejected: Counter<'reason'>;
  readonly replaySkipped: Counter;
  readonly dirtyKeys: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.restoring = new Gauge({ name: 'stormwatch_state_restoring', help: '1 while this instance restores keyed state of newly assigned partitions (not ready meanwhile)', registers });
    this.restoreSeconds = new Histogram({
      name: 'stormwatch_state_restore_seconds',
      help: 'Wall time of one restore (reading the changelog partitions of the newly assigned partitions)',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.keysRestored = new Counter({ name: 'stormwatch_state_keys_restored_total', help: 'Keys restored from the changelog', registers });
    this.snapshotsWritten = new Counter({ name: 'stormwatch_state_snapshots_written_total', help: 'Key snapshots written to the changelog (tombstones included)', registers });
    this.snapshotBytes = new Counter({ name: 'stormwatch_state_snapshot_bytes_total', help: 'Bytes of key snapshots written to the changelog', registers });
    this.snapshotsRejected = new Counter({
      name: 'stormwatch_state_snapshots_rejected_total',
      help: 'Changelog records that could not be restored (unknown_version, malformed, config_mismatch): the key starts cold',
      labelNames: ['reason'],
      registers,
    });
    this.replaySkipped = new Counter({ name: 'stormwatch_state_replay_skipped_total', help: 'Replayed mentions already included in a restored snapshot (not counted twice)', registers });
    this.dirtyKeys = new Gauge({ name: 'stormwatch_state_dirty_keys', help: 'Keys changed since their last snapshot was written', registers });
    this.restoring.set(0);
    // A closed label set starts at zero for every value (docs/metrics.md conventions).
    for (const reason of REJECT_REASONS) this.snapshotsRejected.inc({ reason }, 0);
  }
}
