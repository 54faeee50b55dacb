import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { routePlainDynamoDbToFake } from './raw-dynamodb-bridge';

/** A command the code under test sent, by class name (`GetCommand`, `TransactWriteCommand`…) with its input. */
export interface SentCommand {
  readonly name: string;
  // The document client's inputs are plain JS values; tests read the fields they assert on.
  readonly input: Record<string, unknown>;
}

type Responder = (input: Record<string, unknown>) => unknown;

/**
 * Stands in for DynamoDB behind every `DynamoDBDocumentClient`: `send` is replaced, the sent commands are recorded,
 * and each command class answers with what the test scripted (a value, or a thrown error). Unscripted commands fail
 * the test loudly.
 */
export class FakeDynamoDb {
  readonly sent: SentCommand[] = [];
  private readonly answers = new Map<string, Responder>();
  private readonly onceAnswers = new Map<string, Responder[]>();
  private readonly spy: jest.SpyInstance<Promise<unknown>, [{ constructor: { name: string }; input: unknown }]>;

  constructor() {
    this.spy = jest.spyOn(DynamoDBDocumentClient.prototype, 'send') as unknown as jest.SpyInstance<
      Promise<unknown>,
      [{ constructor: { name: string }; input: unknown }]
    >;
    this.spy.mockImplementation(async (command) => {
      const name = command.constructor.name;
      const input = command.input as Record<string, unknown>;
      this.sent.push({ name, input });
      const respond = this.onceAnswers.get(name)?.shift() ?? this.answers.get(name);
      if (respond === undefined) throw new Error(`FakeDynamoDb: no answer scripted for ${name}`);
      return respond(input);
    });
  }

  /** Answer every later `name` command with `respond` (replacing an earlier `on`), after any `once` answers. */
  on(name: string, respond: Responder): this {
    this.answers.set(name, respond);
    return this;
  }

  /** Answer the next `name` command with `respond`; several `once` answer in turn before `on` takes over. */
  once(name: string, respond: Responder): this {
    this.onceAnswers.set(name, [...(this.onceAnswers.get(name) ?? []), respond]);
    return this;
  }

  /** The inputs of the sent commands of one class. */
  inputsOf(name: string): Record<string, unknown>[] {
    return this.sent.filter((command) => command.name === name).map((command) => command.input);
  }

  restore(): void {
    this.spy.mockRestore();
  }
}

/** The error a single conditional write throws when its condition fails. */
export function conditionalCheckFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
}

/**
 * A cancelled transaction, one reason per item in request order: `'None'`, a code, or `[code, item]` for a
 * condition failure that returned the item (ALL_OLD). Items are marshalled, as DynamoDB sends them.
 */
export function transactionCanceled(
  ...reasons: (string | [string, Record<string, unknown>])[]
): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: reasons.map((reason) =>
      typeof reason === 'string' ? { Code: reason } : { Code: reason[0], Item: marshall(reason[1]) },
    ),
  });
}

/**
 * A fresh FakeDynamoDb for each test of the file (and every mock restored after it), through one object that stands
 * for the current test's: call it at the top of the file, use it in tests and in later hooks. `plainClient`: route the
 * plain `DynamoDBClient` to it too (see raw-dynamodb-bridge).
 */
export function fakeDynamoDbPerTest(options: { readonly plainClient?: boolean } = {}): FakeDynamoDb {
  let current: FakeDynamoDb | undefined;
  beforeEach(() => {
    current = new FakeDynamoDb();
    if (options.plainClient) routePlainDynamoDbToFake();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    current = undefined;
  });
  return new Proxy({} as FakeDynamoDb, {
    get(_target, property) {
      if (current === undefined) throw new Error('fakeDynamoDbPerTest: use it from a test or a beforeEach');
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
