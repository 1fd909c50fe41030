/**
 * Splits `items` into consecutive runs whose summed `sizeOf` stays within `maxBytes` (an item
 * larger than that goes alone), keeping their order: one produce request per run stays under
 * the broker's record-batch limit however many events a flush carries.
 */
export function chunkBySize<T>(items: readonly T[], sizeOf: (item: T) => number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
