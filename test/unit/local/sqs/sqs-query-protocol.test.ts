import { parseQueryRequest, renderQueryError, renderQueryResponse } from '../../../../local/sqs/sqs-query-protocol';

describe('parseQueryRequest', () => {
  it('turns flattened attributes into the JSON maps and lists', () => {
    // Act
    const { action, input } = parseQueryRequest(
      new URLSearchParams({
        Action: 'CreateQueue',
        Version: '2012-11-05',
        QueueName: 'orders.fifo',
        'Attribute.1.Name': 'FifoQueue',
        'Attribute.1.Value': 'true',
        'Attribute.2.Name': 'VisibilityTimeout',
        'Attribute.2.Value': '60',
        'Tag.1.Key': 'team',
        'Tag.1.Value': 'payments',
      }),
    );

    // Assess
    expect(action).toBe('CreateQueue');
    expect(input).toEqual({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true', VisibilityTimeout: '60' }, tags: { team: 'payments' } });
  });

  it('turns batch entries with message attributes into Entries, and numeric members into numbers', () => {
    // Act
    const { input } = parseQueryRequest(
      new URLSearchParams({
        Action: 'SendMessageBatch',
        QueueUrl: 'http://127.0.0.1:4566/000000000000/q',
        'SendMessageBatchRequestEntry.1.Id': 'a',
        'SendMessageBatchRequestEntry.1.MessageBody': 'first',
        'SendMessageBatchRequestEntry.1.DelaySeconds': '5',
        'SendMessageBatchRequestEntry.1.MessageAttribute.1.Name': 'kind',
        'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType': 'String',
        'SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue': 'OrderPlaced',
        'SendMessageBatchRequestEntry.2.Id': 'b',
        'SendMessageBatchRequestEntry.2.MessageBody': 'second',
      }),
    );

    // Assess
    expect(input).toEqual({
      QueueUrl: 'http://127.0.0.1:4566/000000000000/q',
      Entries: [
        { Id: 'a', MessageBody: 'first', DelaySeconds: 5, MessageAttributes: { kind: { DataType: 'String', StringValue: 'OrderPlaced' } } },
        { Id: 'b', MessageBody: 'second' },
      ],
    });
  });

  it('turns numbered names into lists and tags of TagQueue into Tags', () => {
    // Act
    const receive = parseQueryRequest(new URLSearchParams({ Action: 'ReceiveMessage', 'AttributeName.1': 'All', 'MessageAttributeName.1': 'kind', WaitTimeSeconds: '2' }));
    const tag = parseQueryRequest(new URLSearchParams({ Action: 'TagQueue', 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' }));
    const untag = parseQueryRequest(new URLSearchParams({ Action: 'UntagQueue', 'TagKey.1': 'k', 'TagKey.2': 'l' }));

    // Assess
    expect(receive.input).toEqual({ AttributeNames: ['All'], MessageAttributeNames: ['kind'], WaitTimeSeconds: 2 });
    expect(tag.input).toEqual({ Tags: { k: 'v' } });
    expect(untag.input).toEqual({ TagKeys: ['k', 'l'] });
  });

  it('leaves out the signature parameters of a presigned request', () => {
    // Act
    const { input } = parseQueryRequest(new URLSearchParams({ Action: 'ListQueues', 'X-Amz-Signature': 'abc', 'X-Amz-Date': '20240101T000000Z', QueueNamePrefix: 'o' }));

    // Assess
    expect(input).toEqual({ QueueNamePrefix: 'o' });
  });
});

describe('renderQueryResponse', () => {
  it('renders messages with their attributes as SQS XML', () => {
    // Act
    const xml = renderQueryResponse(
      'ReceiveMessage',
      {
        Messages: [
          {
            MessageId: 'm-1',
            ReceiptHandle: 'r-1',
            Body: '<hi>',
            Attributes: { SentTimestamp: '1' },
            MessageAttributes: { kind: { DataType: 'String', StringValue: 'x' } },
          },
        ],
      },
      'req-1',
    );

    // Assess
    expect(xml).toBe(
      '<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult>' +
        '<Message><MessageId>m-1</MessageId><ReceiptHandle>r-1</ReceiptHandle><Body>&lt;hi&gt;</Body>' +
        '<Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute>' +
        '<MessageAttribute><Name>kind</Name><Value><DataType>String</DataType><StringValue>x</StringValue></Value></MessageAttribute>' +
        '</Message></ReceiveMessageResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></ReceiveMessageResponse>',
    );
  });

  it('renders batch results as flattened result and error entries', () => {
    // Act
    const xml = renderQueryResponse(
      'DeleteMessageBatch',
      { Successful: [{ Id: 'a' }], Failed: [{ Id: 'b', SenderFault: true, Code: 'ReceiptHandleIsInvalid' }] },
      'req-2',
    );

    // Assess
    expect(xml).toContain(
      '<DeleteMessageBatchResult><DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>' +
        '<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code></BatchResultErrorEntry></DeleteMessageBatchResult>',
    );
  });

  it('renders an operation without output as metadata only', () => {
    expect(renderQueryResponse('DeleteMessage', {}, 'req-3')).toBe(
      '<?xml version="1.0"?><DeleteMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ResponseMetadata><RequestId>req-3</RequestId></ResponseMetadata></DeleteMessageResponse>',
    );
  });
});

describe('renderQueryError', () => {
  it('names the fault, the query error code and the message', () => {
    expect(renderQueryError('AWS.SimpleQueueService.NonExistentQueue', 'The queue "q" does not exist.', true, 'req-4')).toBe(
      '<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type>' +
        '<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The queue &quot;q&quot; does not exist.</Message><Detail/></Error><RequestId>req-4</RequestId></ErrorResponse>',
    );
  });
});
