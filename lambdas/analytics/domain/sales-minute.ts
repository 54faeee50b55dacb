/** One minute, in milliseconds. */
export const MINUTE_MS = 60_000;

/** A minute bucket's key: the UTC minute, `YYYY-MM-DDTHH:MM`; keys sort in time order. */
export function minuteOf(instant: Date): string {
  return instant.toISOString().slice(0, 16);
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO-8601 minute (`2024-05-01T12:34`) or timestamp (`2024-05-01T12:34:56.789Z`, `…+02:00`) from 1970 on, as
 * epoch milliseconds; without an offset it is UTC. Undefined when the text is not one, or names a date or time that
 * does not exist (`2024-02-30`, `24:00`).
 */
export function parseInstant(text: string): number | undefined {
  const match = INSTANT.exec(text);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number);
  const second = Number(match[6] ?? '0');
  const millis = Math.floor(Number(`0${match[7] ?? ''}`) * 1000);
  const zone = match[8] ?? 'Z';
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const [offsetHours, offsetMinutes] = zone === 'Z' ? [0, 0] : zone.slice(1).split(':').map(Number);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MINUTE_MS;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMs;
}
