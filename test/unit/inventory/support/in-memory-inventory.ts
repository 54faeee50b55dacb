import { type FakeDynamoDb, transactionCanceled } from '../../support/fake-dynamodb';

type Item = Record<string, unknown>;
type Input = Record<string, unknown>;

/**
 * The stock and reservations tables in memory behind a `FakeDynamoDb`, answering the exact writes of
 * `DynamoDbReservationStore`: a reservation's TransactWriteItems (stock `SET available = available - :q` under
 * `attribute_exists(sku) AND available >= :q`, the reservation Put under `attribute_not_exists(orderId)`), a
 * release's (the reservation `SET #s = :released, releasedAt = :now` under `#s = :reserved`, stock `ADD available
 * :q`), and GetCommand on reservations. A refused transaction throws the cancellation DynamoDB would, with the old
 * stock item for ALL_OLD. Anything else fails the test loudly.
 */
export class InMemoryInventory {
  readonly stock = new Map<string, number>();
  readonly reservations = new Map<string, Item>();
  /** Transactions applied, in order. */
  transactions = 0;

  constructor(
    dynamo: FakeDynamoDb,
    private readonly tables = { stock: 'stock-table', reservations: 'reservations-table' },
  ) {
    dynamo
      .on('GetCommand', (input) => {
        if (input.TableName !== this.tables.reservations) throw new Error(`InMemoryInventory: Get on ${String(input.TableName)}`);
        const item = this.reservations.get(String((input.Key as Item).orderId));
        return item === undefined ? {} : { Item: structuredClone(item) };
      })
      .on('TransactWriteCommand', (input) => {
        const items = input.TransactItems as Input[];
        const reasons = items.map((entry) => this.check(entry));
        if (reasons.some((reason) => reason !== 'None')) throw transactionCanceled(...reasons);
        for (const entry of items) this.apply(entry);
        this.transactions += 1;
        return {};
      });
  }

  withStock(stock: Record<string, number>): this {
    for (const [sku, available] of Object.entries(stock)) this.stock.set(sku, available);
    return this;
  }

  private check(entry: Input): string | [string, Item] {
    if (entry.Put !== undefined) {
      const put = entry.Put as Input;
      return this.reservations.has(String((put.Item as Item).orderId)) ? 'ConditionalCheckFailed' : 'None';
    }
    const update = entry.Update as Input;
    const values = update.ExpressionAttributeValues as Item;
    if (update.TableName === this.tables.stock) {
      const sku = String((update.Key as Item).sku);
      if (update.UpdateExpression === 'ADD available :q') return 'None';
      const available = this.stock.get(sku);
      if (available === undefined) return 'ConditionalCheckFailed';
      return available >= Number(values[':q']) ? 'None' : ['ConditionalCheckFailed', { sku, available }];
    }
    const reservation = this.reservations.get(String((update.Key as Item).orderId));
    return reservation?.status === values[':reserved'] ? 'None' : 'ConditionalCheckFailed';
  }

  private apply(entry: Input): void {
    if (entry.Put !== undefined) {
      const item = (entry.Put as Input).Item as Item;
      this.reservations.set(String(item.orderId), structuredClone(item));
      return;
    }
    const update = entry.Update as Input;
    const values = update.ExpressionAttributeValues as Item;
    if (update.TableName === this.tables.stock) {
      const sku = String((update.Key as Item).sku);
      const delta = update.UpdateExpression === 'ADD available :q' ? Number(values[':q']) : -Number(values[':q']);
      this.stock.set(sku, (this.stock.get(sku) ?? 0) + delta);
      return;
    }
    const orderId = String((update.Key as Item).orderId);
    this.reservations.set(orderId, { ...this.reservations.get(orderId), status: values[':released'], releasedAt: values[':now'] });
  }
}
