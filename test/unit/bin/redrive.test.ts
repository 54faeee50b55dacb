import { parseRedriveArgs } from '../../../bin/redrive';

describe('parseRedriveArgs', () => {
  it('reads the queue and the flags', () => {
    const { queue, flags } = parseRedriveArgs(['payments', '--rate', '10', '--endpoint', 'http://127.0.0.1:4566']);
    expect(queue).toBe('payments');
    expect(Object.fromEntries(flags)).toEqual({ rate: '10', endpoint: 'http://127.0.0.1:4566' });
  });

  it.each([
    [[], /usage: npm run redrive/],
    [['a', 'b'], /usage: npm run redrive/],
    [['q', '--rate'], /--rate needs a value/],
    [['q', '--rate', 'fast'], /--rate is 'fast'/],
    [['q', '--color', 'red'], /unknown flag --color/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseRedriveArgs(argv)).toThrow(message);
  });
});
