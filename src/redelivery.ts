import type { RawRecord, RecordOrigin } from './ports.js';

/** A record's stream (a Kafka partition, a file, the simulator) and its position in it, when it has one. */
function streamOf(origin: RecordOrigin): string | undefined {
  if (origin.offset === undefined && origin.line === undefined) return undefined;
  return `${origin.source}/${origin.topic ?? ''}/${origin.partition ?? ''}`;
}

function positionOf(origin: RecordOrigin): bigint {
  return origin.offset !== undefined ? BigInt(origin.offset) : BigInt(origin.line ?? 0);
}

/**
 * Remembers, per stream, the last record this process ingested, so that a redelivery (a batch
 * retried after its publish failed, or records the source hands again after a rejoin) is not
 * counted twice: the sinks still get its events, from the outboxes that kept them. Relies on the
 * `BatchHandler` contract: a batch is one stream's records in rising order.
 */
export class RedeliveryFilter {
  private readonly through = new Map<string, bigint>();

  /** The records of `batch` not ingested before (the whole batch, without a copy, in the usual case). */
  fresh(batch: readonly RawRecord[]): readonly RawRecord[] {
    const first = batch[0];
    if (first === undefined || this.through.size === 0) return batch;
    const stream = streamOf(first.origin);
    const seen = stream === undefined ? undefined : this.through.get(stream);
    if (seen === undefined || positionOf(first.origin) > seen) return batch;
    return batch.filter((record) => positionOf(record.origin) > seen);
  }

  /** `records` (one stream's, in order) are in the engine now. */
  ingested(records: readonly RawRecord[]): void {
    const last = records.at(-1);
    if (last === undefined) return;
    const stream = streamOf(last.origin);
    if (stream !== undefined) this.through.set(stream, positionOf(last.origin));
  }
}
