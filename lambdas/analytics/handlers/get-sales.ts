import { documentClient } from '../../shared/aws/document-client';
import { integerEnv, requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { requireGroup, STAFF_GROUP } from '../../shared/http/caller';
import { jsonResponse } from '../../shared/http/response';
import { DynamoDbSalesTable } from '../adapters/dynamodb-sales-table';
import { getSales, type GetSalesDeps } from '../domain/get-sales';

const deps: GetSalesDeps = {
  table: new DynamoDbSalesTable(documentClient(), requireEnv('ANALYTICS_TABLE_NAME')),
  // The projector's count: every shard it writes is read and summed.
  shardCount: integerEnv('SALES_SHARD_COUNT'),
  now: () => new Date(),
};

/**
 * GET /analytics/sales?from=&to=, for the staff only (members of the user pool's `staff` group)
 * → 200 `{ from, to, minutes, totals }` | 401 without a signed-in user | 403 for a user not in `staff`
 * | 400 naming `from` or `to` (malformed,
 * from after to, or more than 1440 minutes apart). Without `to`: up to the current minute; without `from`: 60 minutes.
 */
export const handler = apiHandler(async (event) => {
  requireGroup(event, STAFF_GROUP);
  const query = event.queryStringParameters ?? {};
  const report = await getSales(deps, {
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
  });
  return jsonResponse(200, report);
});
