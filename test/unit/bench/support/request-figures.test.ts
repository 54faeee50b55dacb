import type { RequestRecord } from '../../../../bench/support/load-client-protocol';
import { answerFields } from '../../../../bench/support/load-client-protocol';
import { figuresByLabel, outcomeOf, requestFigures } from '../../../../bench/support/request-figures';

const record = (overrides: Partial<RequestRecord>): RequestRecord => ({ label: 'sync', dueAt: 1000, sentAt: 1000, doneAt: 1010, status: 201, ...overrides });

describe('requestFigures', () => {
  it('counts statuses and the expected answers of the kind, and times every request from its due time', () => {
    // Prepare: sync expects 201; one failed, one sent late
    const records = [record({}), record({ status: 503, problemType: 'x/circuit-open', doneAt: 1005 }), record({ sentAt: 1100, doneAt: 1120 })];

    // Act
    const f = requestFigures(records);

    // Assess
    expect(f.sent).toBe(3);
    expect(f.ok).toBe(2);
    expect(f.statuses).toEqual({ '201': 2, '503': 1 });
    expect(f.outcomes).toEqual({ '201': 2, '503 circuit-open': 1 });
    expect(f.latency.max).toBe(120);
    expect(f.okLatency.n).toBe(2);
    expect(f.okLatency.min).toBe(10);
    expect(f.cdf.at(-1)).toEqual({ value: 120, fraction: 1 });
  });

  it('expects 202 of async orders', () => {
    expect(requestFigures([record({ label: 'async', status: 202 }), record({ label: 'async', status: 201 })]).ok).toBe(1);
  });
});

describe('figuresByLabel', () => {
  it('gives figures per kind in first-seen order', () => {
    const byLabel = figuresByLabel([record({ label: 'async', status: 202 }), record({}), record({ label: 'async', status: 500 })]);

    expect(Object.keys(byLabel)).toEqual(['async', 'sync']);
    expect(byLabel.async.sent).toBe(2);
    expect(byLabel.async.ok).toBe(1);
  });
});

describe('outcomeOf', () => {
  it('names a problem answer by its status and the last segment of its type', () => {
    expect(outcomeOf(record({ status: 503, problemType: 'https://hybrid-shop.example/problems/circuit-open' }))).toBe('503 circuit-open');
  });

  it('names an answer without a specific type, about:blank included, by its status alone', () => {
    expect(outcomeOf(record({ status: 504, problemType: 'about:blank' }))).toBe('504');
    expect(outcomeOf(record({ status: 201 }))).toBe('201');
  });

  it('names a request that got no answer', () => {
    expect(outcomeOf(record({ status: 0, error: 'ECONNRESET' }))).toBe('no answer');
  });
});

describe('answerFields', () => {
  it('reads the problem type and the order id from a JSON body, and nothing from anything else', () => {
    expect(answerFields('{"type":"x/circuit-open","status":503}')).toEqual({ problemType: 'x/circuit-open' });
    expect(answerFields('{"orderId":"o-1","status":"PENDING"}')).toEqual({ orderId: 'o-1' });
    expect(answerFields('<html>')).toEqual({});
    expect(answerFields('{not json')).toEqual({});
  });
});
