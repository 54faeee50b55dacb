import { documentClient } from '../../shared/aws/document-client';
import { integerEnv, requireEnv } from '../../shared/env';
import { jsonApiHandler } from '../../shared/http/api-handler';
import { jsonResponse } from '../../shared/http/response';
import { parseInput } from '../../shared/validation';
import { DynamoDbReservationStore } from '../adapters/dynamodb-reservation-store';
import { DEFAULT_CONTENTION_RETRY } from '../domain/contention-retry';
import { createReservation } from '../domain/create-reservation';
import { createReservationRequest } from '../domain/create-reservation-request';

const store = new DynamoDbReservationStore(documentClient(), {
  stock: requireEnv('STOCK_TABLE_NAME'),
  reservations: requireEnv('RESERVATIONS_TABLE_NAME'),
});
const deps = { store, now: () => new Date(), retry: DEFAULT_CONTENTION_RETRY };

/** POST /reservations → 201 reservation | 200 the stored one (a retry) | 400 / 409 / 422 naming the field. */
export const handler = jsonApiHandler({ maxBodyBytes: integerEnv('HTTP_MAX_BODY_BYTES') }, async (event) => {
  const request = parseInput(createReservationRequest, event.body, 'body');
  const { reservation, created } = await createReservation(deps, request);
  return jsonResponse(created ? 201 : 200, reservation);
});
