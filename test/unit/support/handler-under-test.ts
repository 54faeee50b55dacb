import { type FakeDynamoDb, fakeDynamoDbPerTest } from './fake-dynamodb';

export interface HandlerUnderTest<H> {
  /** The handler, imported once before the file's tests. */
  readonly handler: H;
  /** The current test's FakeDynamoDb, behind every DynamoDB client (see fakeDynamoDbPerTest). */
  readonly dynamo: FakeDynamoDb;
}

/**
 * The Lambda handler a test file is about, loaded as at a cold start: `env` is set, then `load` imports its module,
 * once (beforeAll). Each test gets a fresh FakeDynamoDb, and every mock is restored after it. Call it at the top of
 * the file, before hooks that use `dynamo`:
 * `const { handler, dynamo } = handlerUnderTest(() => import('…/get-product'), { PRODUCTS_TABLE_NAME: 'products-table' });`
 */
export function handlerUnderTest<H extends (...args: never[]) => unknown>(
  load: () => Promise<{ readonly handler: H }>,
  env: Readonly<Record<string, string>>,
  options: { readonly plainClient?: boolean } = {},
): HandlerUnderTest<H> {
  let loaded: H | undefined;
  beforeAll(async () => {
    Object.assign(process.env, env);
    ({ handler: loaded } = await load());
  });
  const dynamo = fakeDynamoDbPerTest(options);
  const handler = ((...args: Parameters<H>) => {
    if (loaded === undefined) throw new Error('handlerUnderTest: the handler is imported in beforeAll; call it from a test');
    return loaded(...args);
  }) as H;
  return { handler, dynamo };
}
