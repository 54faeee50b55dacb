/**
 * A consumer was handed an event type it does not handle: its subscription (the bus rule behind its queue or its
 * target) and its code disagree. A retry cannot fix that: the delivery fails until its retries are spent and then
 * waits in the DLQ for the rule or the code to be fixed.
 */
export class UnexpectedEventError extends Error {
  constructor(
    readonly detailType: string,
    readonly expected: readonly string[],
  ) {
    super(`this consumer handles ${expected.join(', ')}, not ${detailType}: its subscription and its code disagree`);
    this.name = 'UnexpectedEventError';
  }
}
