/**
 * Configuration of the execution environment's plain SDK clients (EventBridge, SQS, the orders service's DynamoDB
 * client): each `send` reuses the middleware chain resolved for the command's class at its first call, instead of
 * building the chain anew for every call (about a tenth of a warm call's CPU, measured by `npm run bench:functions`
 * and a GetItem loop). Safe because no command of the shop adds middleware of its own, nor is a send given options.
 * Not for the DynamoDB document client: lib-dynamodb adds its marshalling middleware per command and refuses it.
 */
export const PLAIN_CLIENT_CONFIG = { cacheMiddleware: true } as const;
