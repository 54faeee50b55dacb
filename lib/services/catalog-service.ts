import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { ServiceFunction } from '../patterns/service-function';
import type { SyncApi } from '../patterns/sync-api';
import { ServiceFunctions } from './service-functions';
import { capacityOf, type ServiceProps } from './service-props';
import { createServiceTable } from './table-defaults';
import { grantTableActions } from './table-grants';

export interface CatalogServiceProps extends ServiceProps {
  /** The public API that serves `GET /products` and `GET /products/{sku}`. */
  readonly api: SyncApi;
  /**
   * Reserve each of the service's customer-facing functions its share of the account's concurrency
   * (CUSTOMER_FACING_RESERVED_CONCURRENCY), so no consumer can take it. The account needs the quota for it: see
   * `requiredAccountConcurrency()`.
   *
   * @default false
   */
  readonly reserveConcurrency?: boolean;
}

/** The catalog: owns the products table and answers product queries synchronously. */
export class CatalogService extends Construct {
  public readonly productsTable: dynamodb.Table;
  public readonly listProducts: ServiceFunction;
  public readonly getProduct: ServiceFunction;

  constructor(scope: Construct, id: string, props: CatalogServiceProps) {
    super(scope, id);

    this.productsTable = createServiceTable(this, 'ProductsTable', { partitionKey: 'sku' }, props);
    const functions = new ServiceFunctions(this, 'catalog', props);
    const environment = { PRODUCTS_TABLE_NAME: this.productsTable.tableName };
    const reserved = props.reserveConcurrency ? capacityOf(props).customerFacingReservedConcurrency : undefined;

    this.listProducts = functions.create('ListProducts', 'list-products', {
      description: 'GET /products: one page of the catalog',
      environment,
      reservedConcurrentExecutions: reserved?.listProducts,
    });
    this.getProduct = functions.create('GetProduct', 'get-product', {
      description: 'GET /products/{sku}: one product',
      environment,
      reservedConcurrentExecutions: reserved?.getProduct,
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
