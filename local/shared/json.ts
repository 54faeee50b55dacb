/**
 * JSON as the local runtime reads it: from templates, from the emulators' answers, from the SDKs' requests.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Whether `value` is an object with named members: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `isRecord` for a value parsed from JSON (or a part of one), whose members are JSON values in turn. */
export function isJsonObject(value: unknown): value is JsonObject {
  return isRecord(value);
}
