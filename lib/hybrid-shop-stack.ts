import { CfnOutput, Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { SyncApi } from './patterns/sync-api';
import { CatalogService } from './services/catalog-service';
import { InventoryService } from './services/inventory-service';
import { OrdersService } from './services/orders-service';

/** Hybrid Shop: the synchronous slice — catalog, inventory and orders behind API Gateway. */
export class HybridShopStack extends Stack {
  public readonly alarmTopic: sns.Topic;
  public readonly publicApi: SyncApi;
  public readonly internalApi: SyncApi;
  public readonly catalog: CatalogService;
  public readonly inventory: InventoryService;
  public readonly orders: OrdersService;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    // Every alarm of every pattern notifies this one topic; subscribe an e-mail or a pager to it.
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Hybrid Shop alarms', enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry no customer data, and CloudWatch cannot publish to a topic under the AWS-managed SNS key; a customer key would cost $1/month at idle.',
    });
    const alarmAction = new cloudwatchActions.SnsAction(this.alarmTopic);

    this.publicApi = new SyncApi(this, 'PublicApi', {
      apiName: `${this.stackName}-public`,
      description: 'Hybrid Shop public API: catalog and orders',
      alarmAction,
    });
    this.internalApi = new SyncApi(this, 'InternalApi', {
      apiName: `${this.stackName}-internal`,
      description: 'Hybrid Shop internal API: service-to-service calls, IAM auth on every route',
      alarmAction,
    });

    this.catalog = new CatalogService(this, 'Catalog', { api: this.publicApi, alarmAction });
    this.inventory = new InventoryService(this, 'Inventory', { api: this.internalApi, alarmAction });
    this.orders = new OrdersService(this, 'Orders', {
      api: this.publicApi,
      catalog: this.catalog,
      inventory: this.inventory,
      alarmAction,
    });

    new CfnOutput(this, 'PublicApiUrl', { value: this.publicApi.url, description: 'Base URL of the public API' });
    new CfnOutput(this, 'InternalApiUrl', {
      value: this.internalApi.url,
      description: 'Base URL of the internal API (SigV4-signed calls only)',
    });
    new CfnOutput(this, 'ProductsTableName', { value: this.catalog.productsTable.tableName });
    new CfnOutput(this, 'StockTableName', { value: this.inventory.stockTable.tableName });
    new CfnOutput(this, 'OrdersTableName', { value: this.orders.ordersTable.tableName });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
  }
}
