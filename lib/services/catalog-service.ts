import * as path from 'node:path';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ServiceFunction } from '../patterns/service-function';
import { SyncApi } from '../patterns/sync-api';
import { TableAlarms } from '../patterns/table-alarms';
import { type CapacityPlan, DEFAULT_CAPACITY_PLAN } from '../capacity/capacity-plan';
import { serviceTableProps } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface CatalogServiceProps {
  /** The public API that serves `GET /products` and `GET /products/{sku}`. */
  readonly api: SyncApi;
  /**
   * Keep the service's tables and their data when the stack is deleted, with DynamoDB deletion protection on.
   *
   * @default false
   */
  readonly retainData?: boolean;
  /**
   * Reserve each of the service's customer-facing functions its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * The numbers that grow with the rate of orders: the customer-facing functions' reserved concurrency.
   *
   * @default DEFAULT_CAPACITY_PLAN: today's sizing (lib/services/concurrency-budget.ts)
   */
  readonly capacity?: CapacityPlan;
  /**
   * Where the service's alarms notify.
   * @default - alarms are created with no action
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;
}

/** The catalog: owns the products table and answers product queries synchronously. */
export class CatalogService extends Construct {
  public readonly productsTable: dynamodb.Table;
  public readonly listProducts: ServiceFunction;
  public readonly getProduct: ServiceFunction;

  constructor(scope: Construct, id: string, props: CatalogServiceProps) {
    super(scope, id);

    this.productsTable = new dynamodb.Table(this, 'ProductsTable', serviceTableProps({ partitionKey: 'sku', retainData: props.retainData }));
    new TableAlarms(this.productsTable, 'Alarms', { table: this.productsTable, alarmAction: props.alarmAction });
    const environment = { PRODUCTS_TABLE_NAME: this.productsTable.tableName };
    const reserved = props.reserveConcurrency ? (props.capacity ?? DEFAULT_CAPACITY_PLAN).customerFacingReservedConcurrency : undefined;

    this.listProducts = new ServiceFunction(this, 'ListProducts', {
      entry: path.join(__dirname, '../../lambdas/catalog/handlers/list-products.ts'),
      description: 'GET /products: one page of the catalog',
      serviceName: 'catalog',
      environment,
      reservedConcurrentExecutions: reserved?.listProducts,
      alarmAction: props.alarmAction,
    });
    this.getProduct = new ServiceFunction(this, 'GetProduct', {
      entry: path.join(__dirname, '../../lambdas/catalog/handlers/get-product.ts'),
      description: 'GET /products/{sku}: one product',
      serviceName: 'catalog',
      environment,
      reservedConcurrentExecutions: reserved?.getProduct,
      alarmAction: props.alarmAction,
    });
    // One page: a Scan (DynamoDbProductCatalog.list). One product: a GetItem (find).
    grantTableActions(this.productsTable, this.listProducts.function, ['Scan']);
    grantTableActions(this.productsTable, this.getProduct.function, ['GetItem']);

    props.api.addRoute('GET', '/products', this.listProducts);
    props.api.addRoute('GET', '/products/{sku}', this.getProduct);
  }

  /**
   * Reads products by key, in batches (BatchGetItem), and nothing else. Orders uses it to snapshot prices at order
   * time (`DynamoDbPriceList`): the one cross-service read in the system, chosen over a second synchronous hop because
   * the catalog is read-mostly and a price must be known before stock is reserved.
   */
  public grantReadProducts(grantee: iam.IGrantable): iam.Grant {
    return grantTableActions(this.productsTable, grantee, ['BatchGetItem']);
  }
}
