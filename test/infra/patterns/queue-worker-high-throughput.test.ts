import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { QueueWorker } from '../../../lib/patterns/queue-worker';
import { ServiceFunction } from '../../../lib/patterns/service-function';
import { HELLO } from '../support/apps';
import { propertiesOf } from '../support/template';

describe('QueueWorker highThroughput', () => {
  /** A stack of its own app, synthesized once, bundling nothing: the tests read only the queues' properties. */
  const newStack = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'HighThroughput');

  it("puts a FIFO queue in high-throughput mode: throughput and deduplication per message group, the dead-letter queue's left as it is", () => {
    // Prepare
    const stack = newStack();
    const worker = new QueueWorker(stack, 'Commands', {
      handler: new ServiceFunction(stack, 'Consumer', { entry: HELLO, serviceName: 'payments' }),
      fifo: true,
      highThroughput: true,
    });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(propertiesOf(template, worker.queue)).toMatchObject({ FifoQueue: true, FifoThroughputLimit: 'perMessageGroupId', DeduplicationScope: 'messageGroup' });
    expect(propertiesOf(template, worker.deadLetterQueue).FifoThroughputLimit).toBeUndefined();
  });

  it('leaves a FIFO queue in its default mode without it', () => {
    const stack = newStack();
    const worker = new QueueWorker(stack, 'Commands', { handler: new ServiceFunction(stack, 'Consumer', { entry: HELLO, serviceName: 'payments' }), fifo: true });

    const properties = propertiesOf(Template.fromStack(stack), worker.queue);

    expect(properties.FifoThroughputLimit).toBeUndefined();
    expect(properties.DeduplicationScope).toBeUndefined();
  });

  it('refuses high throughput for a standard queue, naming the fix', () => {
    const stack = newStack();
    const handler = new ServiceFunction(stack, 'Consumer', { entry: HELLO, serviceName: 'payments' });

    expect(() => new QueueWorker(stack, 'Commands', { handler, highThroughput: true })).toThrow(/highThroughput is true for a standard queue: .*set fifo too/);
  });
});
