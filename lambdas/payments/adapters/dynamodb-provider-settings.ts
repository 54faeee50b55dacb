import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { parseProviderSettings, type ProviderSettings, type ProviderSettingsSource } from '../domain/payment-provider';

/** The key of the one settings item: `provider = 'default'`. */
export const PROVIDER_SETTINGS_KEY = { provider: 'default' } as const;

/** The simulated provider's settings in the provider table (key `provider`); no item → the defaults. */
export class DynamoDbProviderSettings implements ProviderSettingsSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Read consistently, so a change written a moment ago is the one in force. */
  async read(): Promise<ProviderSettings> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: PROVIDER_SETTINGS_KEY, ConsistentRead: true }),
    );
    return parseProviderSettings(out.Item);
  }
}
