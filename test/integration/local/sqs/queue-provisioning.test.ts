import { CreateQueueCommand, GetQueueAttributesCommand, ListQueueTagsCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CfnTemplate } from '../../../../local/assembly/cloud-assembly';
import { assignPhysicalIds, IntrinsicResolver } from '../../../../local/assembly/intrinsics';
import { QueueAddressing } from '../../../../local/sqs/queue-addressing';
import { createQueues, QueueDefinitionError, type LocalQueue } from '../../../../local/sqs/queue-provisioning';
import { TimeScale } from '../../../../local/shared/time-scale';
import { useSqsThroughEdge } from './sqs-through-edge';
import { LOCAL_CONTEXT as CONTEXT } from '../../../unit/local/assembly/local-context';


/** What CDK synthesizes for a FIFO QueueWorker with its dead-letter queue, and a named standard queue. */
const TEMPLATE: CfnTemplate = {
  Conditions: { Never: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    PaymentsQueue3F8C5A1B: {
      Type: 'AWS::SQS::Queue',
      Properties: {
        FifoQueue: true,
        ContentBasedDeduplication: false,
        VisibilityTimeout: 60,
        ReceiveMessageWaitTimeSeconds: 20,
        MessageRetentionPeriod: 345600,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['PaymentsDlq9A8B7C6D', 'Arn'] }, maxReceiveCount: 3 },
        Tags: [{ Key: 'service', Value: 'payments' }],
      },
    },
    PaymentsDlq9A8B7C6D: { Type: 'AWS::SQS::Queue', Properties: { FifoQueue: true, MessageRetentionPeriod: 1209600 } },
    NotificationsQueue5E6F7A8B: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'notifications', DelaySeconds: 2 } },
    NeverQueue1A2B3C4D: { Type: 'AWS::SQS::Queue', Condition: 'Never' },
  },
};

describe('createQueues', () => {
  const local = useSqsThroughEdge();
  let queues: LocalQueue[];

  beforeAll(async () => {
    const resolver = new IntrinsicResolver(TEMPLATE, CONTEXT, assignPhysicalIds(TEMPLATE, CONTEXT, { edgeUrl: local.edgeUrl }));
    queues = await createQueues({ sqs: local.fauxqs, template: TEMPLATE, resolver, addressing: new QueueAddressing({ edgeUrl: local.edgeUrl, accountId: '000000000000' }) });
  });

  const attributesOf = async (url: string) =>
    (await local.client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};

  it('creates every queue whose condition holds, named and addressed as Ref and GetAtt resolve them', async () => {
    // Act
    const { QueueUrls: urls = [] } = await local.client.send(new ListQueuesCommand({}));

    // Assess
    expect(queues.map((queue) => queue.name)).toEqual(['HybridShop-PaymentsQueue3F8C5A1B.fifo', 'HybridShop-PaymentsDlq9A8B7C6D.fifo', 'notifications']);
    expect(urls.sort()).toEqual(queues.map((queue) => queue.url).sort());
    expect(queues[2]).toEqual({
      logicalId: 'NotificationsQueue5E6F7A8B',
      name: 'notifications',
      arn: 'arn:aws:sqs:us-east-1:000000000000:notifications',
      url: `${local.edgeUrl}/000000000000/notifications`,
      fifo: false,
      visibilityTimeoutSeconds: 30,
    });
  });

  it('keeps the FIFO settings, timeouts and the redrive policy to the dead-letter queue', async () => {
    // Act
    const attributes = await attributesOf(queues[0].url);

    // Assess
    expect(attributes).toMatchObject({
      FifoQueue: 'true',
      ContentBasedDeduplication: 'false',
      VisibilityTimeout: '60',
      ReceiveMessageWaitTimeSeconds: '20',
      MessageRetentionPeriod: '345600',
    });
    expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: queues[1].arn, maxReceiveCount: 3 });
    expect(queues[0]).toMatchObject({ fifo: true, visibilityTimeoutSeconds: 60, deadLetterTargetArn: queues[1].arn, maxReceiveCount: 3 });
  });

  it('keeps the delay of a standard queue and the tags of a queue', async () => {
    // Act
    const attributes = await attributesOf(queues[2].url);
    const { Tags: tags } = await local.client.send(new ListQueueTagsCommand({ QueueUrl: queues[0].url }));

    // Assess
    expect(attributes.DelaySeconds).toBe('2');
    expect(tags).toEqual({ service: 'payments' });
  });

  it('creates a dead-letter queue before the queue whose redrive policy names it', async () => {
    // Prepare
    const created: string[] = [];
    const recorder = { send: async (command: CreateQueueCommand) => created.push(command.input.QueueName ?? '') } as unknown as SQSClient;
    const resolver = new IntrinsicResolver(TEMPLATE, CONTEXT, assignPhysicalIds(TEMPLATE, CONTEXT, { edgeUrl: local.edgeUrl }));

    // Act
    await createQueues({ sqs: recorder, template: TEMPLATE, resolver, addressing: new QueueAddressing({ edgeUrl: local.edgeUrl, accountId: '000000000000' }) });

    // Assess
    expect(created.indexOf('HybridShop-PaymentsDlq9A8B7C6D.fifo')).toBeLessThan(created.indexOf('HybridShop-PaymentsQueue3F8C5A1B.fifo'));
  });

  it('scales the visibility timeout (30 s when absent), the delay and the long poll to whole seconds with a time scale', async () => {
    // Prepare
    const scaled: CfnTemplate = {
      Resources: {
        ScaledQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'scaled', VisibilityTimeout: 18, DelaySeconds: 5, ReceiveMessageWaitTimeSeconds: 20 } },
        DefaultQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'scaled-default' } },
      },
    };
    const resolver = new IntrinsicResolver(scaled, CONTEXT, assignPhysicalIds(scaled, CONTEXT, { edgeUrl: local.edgeUrl }));
    const addressing = new QueueAddressing({ edgeUrl: local.edgeUrl, accountId: '000000000000' });

    // Act
    const [withTimes, withoutTimes] = await createQueues({ sqs: local.fauxqs, template: scaled, resolver, addressing, timeScale: new TimeScale(0.05) });

    // Assess
    expect(await attributesOf(withTimes.url)).toMatchObject({ VisibilityTimeout: '1', DelaySeconds: '1', ReceiveMessageWaitTimeSeconds: '1' });
    expect(await attributesOf(withoutTimes.url)).toMatchObject({ VisibilityTimeout: '2', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0' });
    expect(withTimes.visibilityTimeoutSeconds).toBe(1);
    expect(withoutTimes.visibilityTimeoutSeconds).toBe(2);
  });

  it('rejects a redrive policy without a dead-letter queue, naming the queue', async () => {
    // Prepare
    const broken: CfnTemplate = { Resources: { BrokenQueue: { Type: 'AWS::SQS::Queue', Properties: { RedrivePolicy: { maxReceiveCount: 3 } } } } };
    const resolver = new IntrinsicResolver(broken, CONTEXT, assignPhysicalIds(broken, CONTEXT, { edgeUrl: local.edgeUrl }));

    // Act
    const creating = createQueues({ sqs: local.fauxqs, template: broken, resolver, addressing: new QueueAddressing({ edgeUrl: local.edgeUrl, accountId: '000000000000' }) });

    // Assess
    await expect(creating).rejects.toThrow(new QueueDefinitionError('BrokenQueue.RedrivePolicy needs a deadLetterTargetArn'));
  });
});
