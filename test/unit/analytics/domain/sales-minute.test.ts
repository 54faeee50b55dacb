import { minuteOf, parseInstant } from '../../../../lambdas/analytics/domain/sales-minute';

describe('parseInstant', () => {
  it.each([
    ['2024-05-01T12:34', '2024-05-01T12:34:00.000Z'],
    ['2024-05-01T12:34:56', '2024-05-01T12:34:56.000Z'],
    ['2024-05-01T12:34:56.789Z', '2024-05-01T12:34:56.789Z'],
    ['2024-05-01T12:34:56.789123Z', '2024-05-01T12:34:56.789Z'],
    ['2024-05-01T00:30+02:00', '2024-04-30T22:30:00.000Z'],
    ['2024-04-30T23:30-01:30', '2024-05-01T01:00:00.000Z'],
    ['2024-02-29T12:00Z', '2024-02-29T12:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseInstant(text) ?? Number.NaN).toISOString()).toBe(iso);
  });

  it.each(['', '2024-05-01', '2024-05-01 12:34', '2023-02-29T12:00', '2024-04-31T00:00', '2024-05-01T24:00', '2024-05-01T12:60',
    '2024-05-01T12:34:60', '2024-05-01T12:34+24:00', '1969-12-31T23:59', '1714564800000', '2024-05-01T12:34Z junk'])(
    'rejects %p',
    (text) => {
      expect(parseInstant(text)).toBeUndefined();
    },
  );
});

describe('minuteOf', () => {
  it('names the UTC minute an instant falls in', () => {
    expect(minuteOf(new Date('2024-05-01T12:34:59.999Z'))).toBe('2024-05-01T12:34');
    expect(minuteOf(new Date('2024-05-01T14:35:00.000+02:00'))).toBe('2024-05-01T12:35');
  });
});
