const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

/** Hour of day (0-23) of an instant in the configured time zone. */
export function hourOfDay(ms: number, utcOffsetMinutes: number): number {
  const local = ms + utcOffsetMinutes * 60_000;
  return Math.floor((((local % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS);
}

/** "Tuesday 14:00": the slot a person compares against. */
export function weekdayHourLabel(ms: number, utcOffsetMinutes: number): string {
  const local = new Date(ms + utcOffsetMinutes * 60_000);
  return `${WEEKDAYS[local.getUTCDay()]} ${String(local.getUTCHours()).padStart(2, '0')}:00`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
