/**
 * The order in which the runtime's edge asks its services whether a request is theirs (by `EdgeService.name`); the
 * first that matches answers it. Most services recognise requests no other claims (their X-Amz-Target prefix, a path
 * of their own); where two could claim the same request, the order decides:
 *
 * - under `/_local/`, `local-control` (faults, functions) answers every path, with 404 for those it does not know:
 *   the services with paths of their own there (`/_local/eventbridge/…`, `/_local/event-source-mappings/…`,
 *   `/_local/runtime`, `/_local/settled`, `/_local/cpu`, `/_local/contracts/`, `/_local/console…`) come before it;
 * - an API request at `/_aws/execute-api/…` or `/restapis/…` may carry `?Action=SendMessage` in its own query string,
 *   which SQS's query protocol would take: it is the API's, so the REST APIs come before SQS.
 *
 * CloudWatch and SQS both accept the query protocol (`Action=…`) but never claim the same request: CloudWatch takes
 * `Version=2010-08-01`, SQS its own version or none.
 */
export const EDGE_ROUTING_ORDER: readonly string[] = [
  'eventbridge',
  'cloudwatch',
  'lambda-invoke',
  'event-source-mapping-control',
  'runtime-control',
  'contracts',
  'console',
  'local-control',
  'apigateway-user-requests',
  'dynamodb',
  'kinesis',
  'sqs',
  'cognito-idp',
];
