import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { apiHandler } from '../../shared/http/api-handler';
import { emptyResponse } from '../../shared/http/response';
import { DynamoDbReservationStore } from '../adapters/dynamodb-reservation-store';
import { DEFAULT_CONTENTION_RETRY } from '../domain/contention-retry';
import { releaseReservation } from '../domain/release-reservation';

const store = new DynamoDbReservationStore(documentClient(), {
  stock: requireEnv('STOCK_TABLE_NAME'),
  reservations: requireEnv('RESERVATIONS_TABLE_NAME'),
});
const deps = { store, now: () => new Date(), retry: DEFAULT_CONTENTION_RETRY };

/** DELETE /reservations/{orderId} → 204 (also when already released) | 400 / 404 naming `orderId`. */
export const handler = apiHandler(async (event) => {
  await releaseReservation(deps, event.pathParameters?.orderId);
  return emptyResponse(204);
});
