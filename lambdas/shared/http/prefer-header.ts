import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * The preferences of a request's `Prefer` headers (RFC 7240), by lower-cased name: the value of each (`undefined`
 * for a bare token such as `respond-async`), parameters after `;` ignored. Several headers and comma-separated
 * lists are all read; a quoted value may hold commas and semicolons; the first occurrence of a name wins (§2).
 */
export function preferences(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): ReadonlyMap<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const header of preferHeaderValues(event)) {
    for (const preference of splitOutsideQuotes(header, ',')) {
      const [nameAndValue = ''] = splitOutsideQuotes(preference, ';');
      const equals = nameAndValue.indexOf('=');
      const name = (equals < 0 ? nameAndValue : nameAndValue.slice(0, equals)).trim().toLowerCase();
      if (name === '' || found.has(name)) continue;
      const raw = equals < 0 ? undefined : nameAndValue.slice(equals + 1).trim();
      found.set(name, raw === undefined ? undefined : unquote(raw));
    }
  }
  return found;
}

/** Whether the client prefers an asynchronous answer (`Prefer: respond-async`). */
export function prefersRespondAsync(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): boolean {
  return preferences(event).has('respond-async');
}

/** Every `Prefer` header value, whatever its case; API Gateway keeps repeated headers in `multiValueHeaders`. */
function preferHeaderValues(event: Pick<APIGatewayProxyEvent, 'headers' | 'multiValueHeaders'>): string[] {
  const fromMulti = Object.entries(event.multiValueHeaders ?? {}).flatMap(([name, values]) =>
    name.toLowerCase() === 'prefer' ? (values ?? []) : [],
  );
  if (fromMulti.length > 0) return fromMulti;
  return Object.entries(event.headers ?? {}).flatMap(([name, value]) => (name.toLowerCase() === 'prefer' && value !== undefined ? [value] : []));
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quoted && char === '\\') {
      current += char + text.charAt(i + 1);
      i++;
    } else if (char === '"') {
      quoted = !quoted;
      current += char;
    } else if (char === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.filter((part) => part.trim() !== '');
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}
