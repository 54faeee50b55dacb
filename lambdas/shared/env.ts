import { ConfigurationError } from './errors';

/** Read a required environment variable, failing loudly (at cold start, where callers read it) when it is absent. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`environment variable ${name} is required but not set`);
  }
  return value;
}

export interface IntegerEnvOptions {
  /** Used when the variable is absent. @default - the variable is required */
  readonly default?: number;
  /** @default 1 */
  readonly min?: number;
  /** @default Number.MAX_SAFE_INTEGER */
  readonly max?: number;
}

/** Read an integer environment variable; a value that is not an integer in [min, max] is a configuration error. */
export function integerEnv(name: string, options: IntegerEnvOptions = {}): number {
  const { min = 1, max = Number.MAX_SAFE_INTEGER } = options;
  const raw = process.env[name];
  if ((raw === undefined || raw.trim() === '') && options.default !== undefined) return options.default;
  const text = requireEnv(name).trim();
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigurationError(`environment variable ${name} must be an integer in [${min}, ${max}], got "${text}"`);
  }
  return value;
}

/** Read an environment variable holding an absolute http(s) URL whose path ends in `/`. */
export function baseUrlEnv(name: string): URL {
  const text = requireEnv(name).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError(`environment variable ${name} must be an absolute URL, got "${text}"`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.pathname.endsWith('/')) {
    throw new ConfigurationError(`environment variable ${name} must be an http(s) URL ending in "/", got "${text}"`);
  }
  return url;
}
