import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HttpResponse, type HttpRequest } from '@smithy/protocol-http';
import { PLAIN_CLIENT_CONFIG } from '../../../lambdas/shared/aws/plain-client-config';

/** A DynamoDB client configured as the shop's plain clients, whose requests are recorded and answered at once. */
function recordingClient() {
  const bodies: unknown[] = [];
  const client = new DynamoDBClient({
    ...PLAIN_CLIENT_CONFIG,
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' },
    requestHandler: {
      handle: async (request: HttpRequest) => {
        bodies.push(JSON.parse(new TextDecoder().decode(request.body as Uint8Array)));
        return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode('{}') }) };
      },
    },
  });
  return { client, bodies };
}

afterEach(() => jest.restoreAllMocks());

describe('PLAIN_CLIENT_CONFIG', () => {
  it('resolves the middleware chain of a command class once, for every later call of that class', async () => {
    // Prepare
    const { client } = recordingClient();
    const resolve = jest.spyOn(GetItemCommand.prototype, 'resolveMiddleware');

    // Act
    for (const sku of ['SKU-1', 'SKU-2', 'SKU-3']) await client.send(new GetItemCommand({ TableName: 'products', Key: { sku: { S: sku } } }));

    // Assess
    expect(resolve).toHaveBeenCalledTimes(1);
  });

  it('still sends each call its own input', async () => {
    // Prepare
    const { client, bodies } = recordingClient();

    // Act
    await client.send(new GetItemCommand({ TableName: 'products', Key: { sku: { S: 'SKU-1' } } }));
    await client.send(new GetItemCommand({ TableName: 'stock', Key: { sku: { S: 'SKU-2' } }, ConsistentRead: true }));

    // Assess
    expect(bodies).toEqual([
      { TableName: 'products', Key: { sku: { S: 'SKU-1' } } },
      { TableName: 'stock', Key: { sku: { S: 'SKU-2' } }, ConsistentRead: true },
    ]);
  });
});
