import { preferences, prefersRespondAsync } from '../../../../lambdas/shared/http/prefer-header';

const withHeaders = (headers: Record<string, string>, multiValueHeaders: Record<string, string[]> = {}) => ({ headers, multiValueHeaders });

describe('preferences', () => {
  it('reads each preference of a comma-separated list, by lower-cased name, with its value unquoted', () => {
    const found = preferences(withHeaders({ Prefer: 'Respond-Async, wait=10, handling="lenient, please"; x=1, return=minimal' }));

    expect([...found.entries()]).toEqual([
      ['respond-async', undefined],
      ['wait', '10'],
      ['handling', 'lenient, please'],
      ['return', 'minimal'],
    ]);
  });

  it('reads every Prefer header, the first occurrence of a name winning', () => {
    const found = preferences(withHeaders({ prefer: 'wait=20' }, { prefer: ['wait=5', 'respond-async, wait=20'] }));

    expect(found.get('wait')).toBe('5');
    expect(found.has('respond-async')).toBe(true);
  });

  it('skips empty elements', () => {
    expect([...preferences(withHeaders({ Prefer: ' , ,respond-async,' })).keys()]).toEqual(['respond-async']);
  });
});

describe('prefersRespondAsync', () => {
  it.each([
    ['respond-async', true],
    ['respond-async; foo=bar', true],
    ['Respond-Async; foo="a,b"', true],
    ['wait=5,respond-async', true],
    ['return=minimal, respond-async, wait=10', true],
    ['handling="lenient, please", respond-async', true],
    ['RESPOND-ASYNC', true],
    ['respond-asynchronously', false],
    ['x="respond-async"', false],
    ['return=minimal', false],
    ['', false],
  ])('is right for Prefer: %p', (value, expected) => {
    expect(prefersRespondAsync(withHeaders({ Prefer: value }))).toBe(expected);
  });

  it('reads respond-async from a second Prefer header', () => {
    expect(prefersRespondAsync(withHeaders({ Prefer: 'wait=5' }, { Prefer: ['wait=5', 'respond-async'] }))).toBe(true);
  });

  it('is false without a Prefer header', () => {
    expect(prefersRespondAsync({ headers: {}, multiValueHeaders: {} })).toBe(false);
  });
});
