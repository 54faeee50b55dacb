import { baseUrlEnv, integerEnv, requireEnv } from '../../../lambdas/shared/env';
import { ConfigurationError } from '../../../lambdas/shared/errors';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('requireEnv', () => {
  it('returns the value of a set variable', () => {
    process.env.SOME_TABLE = 'products';

    expect(requireEnv('SOME_TABLE')).toBe('products');
  });

  it.each([undefined, '', '  '])('rejects a variable that is %p, naming it', (value) => {
    if (value === undefined) delete process.env.SOME_TABLE;
    else process.env.SOME_TABLE = value;

    expect(() => requireEnv('SOME_TABLE')).toThrow(new ConfigurationError('environment variable SOME_TABLE is required but not set'));
  });
});

describe('integerEnv', () => {
  it('parses an integer in range', () => {
    process.env.LIMIT = '16384';

    expect(integerEnv('LIMIT')).toBe(16384);
  });

  it('uses the default when the variable is absent', () => {
    delete process.env.LIMIT;

    expect(integerEnv('LIMIT', { default: 10 })).toBe(10);
  });

  it('rejects an absent variable that has no default', () => {
    delete process.env.LIMIT;

    expect(() => integerEnv('LIMIT')).toThrow(ConfigurationError);
  });

  it.each(['ten', '1.5', '0', '1e3', '-4'])('rejects %p even when a default exists', (value) => {
    process.env.LIMIT = value;

    expect(() => integerEnv('LIMIT', { default: 10, min: 1, max: 100 })).toThrow(/LIMIT must be an integer in \[1, 100\]/);
  });
});

describe('baseUrlEnv', () => {
  it('accepts an https URL ending in a slash', () => {
    process.env.API_URL = 'https://abc.execute-api.us-east-1.amazonaws.com/prod/';

    expect(baseUrlEnv('API_URL').href).toBe('https://abc.execute-api.us-east-1.amazonaws.com/prod/');
  });

  it.each(['not a url', 'https://abc.example/prod', 'ftp://abc.example/prod/'])('rejects %p', (value) => {
    process.env.API_URL = value;

    expect(() => baseUrlEnv('API_URL')).toThrow(ConfigurationError);
  });
});
