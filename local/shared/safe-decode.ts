/**
 * `decodeURIComponent`, or the text as it came when it is no valid percent-encoding (`%E0%A4%A`, a lone `%`): a
 * client's malformed path segment or query is matched or signed as it was sent, never turned into an exception.
 */
export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
