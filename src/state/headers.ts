/** Header: the mentions-topic offset through which the snapshot includes the key's records. */
export const OFFSET_HEADER = 'sw-offset';
/** Header: the mentions-topic partition the key's records come from (= the changelog partition). */
export const PARTITION_HEADER = 'sw-partition';
