import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { useSqsThroughEdge, uniqueQueueName } from './sqs-through-edge';

/** A query-protocol request to the edge: form-encoded parameters, as older SDKs post them. */
async function queryRequest(url: string, params: Record<string, string>, method: 'POST' | 'GET' = 'POST'): Promise<{ status: number; body: string }> {
  const form = new URLSearchParams(params);
  const response =
    method === 'POST'
      ? await fetch(url, { method, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      : await fetch(`${url}?${form.toString()}`);
  return { status: response.status, body: await response.text() };
}

describe('sqsService', () => {
  const local = useSqsThroughEdge();

  describe('over the JSON protocol', () => {
    it('answers queue URLs on the edge, never fauxqs own', async () => {
      // Prepare
      const name = uniqueQueueName('orders');

      // Act
      const created = await local.client.send(new CreateQueueCommand({ QueueName: name }));
      const found = await local.client.send(new GetQueueUrlCommand({ QueueName: name }));
      const listed = await local.client.send(new ListQueuesCommand({ QueueNamePrefix: name }));

      // Assess
      const expected = `${local.edgeUrl}/000000000000/${name}`;
      expect(created.QueueUrl).toBe(expected);
      expect(found.QueueUrl).toBe(expected);
      expect(listed.QueueUrls).toEqual([expected]);
    });

    it('sends and receives a message with its attributes', async () => {
      // Prepare
      const { QueueUrl: queueUrl } = await local.client.send(new CreateQueueCommand({ QueueName: uniqueQueueName('notifications') }));

      // Act
      await local.client.send(
        new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"orderId":"o-1"}', MessageAttributes: { kind: { DataType: 'String', StringValue: 'OrderPlaced' } } }),
      );
      const { Messages: messages = [] } = await local.client.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
      );

      // Assess
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({
        Body: '{"orderId":"o-1"}',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'OrderPlaced' } },
        Attributes: { ApproximateReceiveCount: '1', SentTimestamp: expect.stringMatching(/^\d+$/) },
      });
    });

    it('rejects a queue that does not exist with QueueDoesNotExist', async () => {
      // Act
      const receiving = local.client.send(new ReceiveMessageCommand({ QueueUrl: `${local.edgeUrl}/000000000000/missing` }));

      // Assess
      await expect(receiving).rejects.toBeInstanceOf(QueueDoesNotExist);
    });

    it('lists the source queues of a dead-letter queue', async () => {
      // Prepare
      const dlqName = uniqueQueueName('payments-dlq');
      await local.client.send(new CreateQueueCommand({ QueueName: dlqName }));
      const sourceName = uniqueQueueName('payments');
      await local.client.send(
        new CreateQueueCommand({
          QueueName: sourceName,
          Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:000000000000:${dlqName}`, maxReceiveCount: 3 }) },
        }),
      );

      // Act
      const sources = await local.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${local.edgeUrl}/000000000000/${dlqName}` }));

      // Assess
      expect(sources.queueUrls).toEqual([`${local.edgeUrl}/000000000000/${sourceName}`]);
    });
  });

  describe('over the query protocol', () => {
    it('sends to the queue a form post is addressed to, and receives as XML', async () => {
      // Prepare
      const name = uniqueQueueName('legacy');
      await local.client.send(new CreateQueueCommand({ QueueName: name }));
      const queueUrl = `${local.edgeUrl}/000000000000/${name}`;

      // Act
      const sent = await queryRequest(queueUrl, {
        Action: 'SendMessage',
        Version: '2012-11-05',
        MessageBody: 'a <b> & c',
        'MessageAttribute.1.Name': 'kind',
        'MessageAttribute.1.Value.DataType': 'String',
        'MessageAttribute.1.Value.StringValue': 'OrderPlaced',
      });
      const received = await queryRequest(
        `${local.edgeUrl}/`,
        { Action: 'ReceiveMessage', QueueUrl: queueUrl, 'AttributeName.1': 'All', 'MessageAttributeName.1': 'All', MaxNumberOfMessages: '10' },
        'GET',
      );

      // Assess
      expect(sent.status).toBe(200);
      expect(sent.body).toMatch(/<SendMessageResponse [^>]*><SendMessageResult><MessageId>[^<]+<\/MessageId><MD5OfMessageBody>/);
      expect(received.status).toBe(200);
      expect(received.body).toContain('<Body>a &lt;b&gt; &amp; c</Body>');
      expect(received.body).toContain('<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>OrderPlaced</StringValue></Value></MessageAttribute>');
      expect(received.body).toMatch(/<Attribute><Name>ApproximateReceiveCount<\/Name><Value>1<\/Value><\/Attribute>/);
    });

    it('creates a queue with attributes and answers its URL on the edge', async () => {
      // Prepare
      const name = uniqueQueueName('created-by-query');

      // Act
      const created = await queryRequest(`${local.edgeUrl}/`, { Action: 'CreateQueue', QueueName: name, 'Attribute.1.Name': 'VisibilityTimeout', 'Attribute.1.Value': '45' });
      const attributes = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: `${local.edgeUrl}/000000000000/${name}`, AttributeNames: ['VisibilityTimeout'] }));

      // Assess
      expect(created.body).toContain(`<CreateQueueResult><QueueUrl>${local.edgeUrl}/000000000000/${name}</QueueUrl></CreateQueueResult>`);
      expect(attributes.Attributes?.VisibilityTimeout).toBe('45');
    });

    it('answers an error as an XML ErrorResponse with the query error code', async () => {
      // Act
      const answer = await queryRequest(`${local.edgeUrl}/`, { Action: 'GetQueueUrl', QueueName: 'no-such-queue' });

      // Assess
      expect(answer.status).toBe(400);
      expect(answer.body).toContain('<Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>');
    });
  });
});

describe('sqsService in a stack pinned to another account', () => {
  const local = useSqsThroughEdge({ accountId: '123456789012' });

  it('shows queue URLs and ARNs in the stack account and redrives to a dead-letter queue named by such an ARN', async () => {
    // Prepare
    const dlqName = uniqueQueueName('dlq');
    await local.client.send(new CreateQueueCommand({ QueueName: dlqName }));
    const name = uniqueQueueName('work');
    const created = await local.client.send(
      new CreateQueueCommand({
        QueueName: name,
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${dlqName}`, maxReceiveCount: 1 }), VisibilityTimeout: '0' },
      }),
    );
    await local.client.send(new SendMessageCommand({ QueueUrl: created.QueueUrl, MessageBody: 'poison' }));

    // Act
    await local.client.send(new ReceiveMessageCommand({ QueueUrl: created.QueueUrl }));
    const second = await local.client.send(new ReceiveMessageCommand({ QueueUrl: created.QueueUrl }));
    const inDlq = await local.client.send(new ReceiveMessageCommand({ QueueUrl: `${local.edgeUrl}/123456789012/${dlqName}` }));
    const attributes = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: created.QueueUrl, AttributeNames: ['QueueArn', 'RedrivePolicy'] }));

    // Assess
    expect(created.QueueUrl).toBe(`${local.edgeUrl}/123456789012/${name}`);
    expect(second.Messages).toBeUndefined();
    expect(inDlq.Messages?.[0]?.Body).toBe('poison');
    expect(attributes.Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:123456789012:${name}`);
    expect(JSON.parse(attributes.Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: `arn:aws:sqs:us-east-1:123456789012:${dlqName}`, maxReceiveCount: 1 });
  });
});
