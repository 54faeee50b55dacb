import { documentClient } from '../../shared/aws/document-client';
import { requireEnv } from '../../shared/env';
import { sqsMessageHandler } from '../../shared/events/event-handler';
import { eventPublisher } from '../../shared/events/publisher';
import { logger } from '../../shared/logger';
import { metrics } from '../../shared/metrics';
import { DynamoDbPaymentStore } from '../adapters/dynamodb-payment-store';
import { DynamoDbProviderSettings } from '../adapters/dynamodb-provider-settings';
import { parsePaymentCommand } from '../domain/payment-command';
import { ProviderUnavailableError, SimulatedPaymentProvider } from '../domain/payment-provider';
import { processPayment, type ProcessPaymentDeps } from '../domain/process-payment';

const client = documentClient();
const deps: ProcessPaymentDeps = {
  store: new DynamoDbPaymentStore(client, requireEnv('PAYMENTS_TABLE_NAME')),
  provider: new SimulatedPaymentProvider({
    settings: new DynamoDbProviderSettings(client, requireEnv('PAYMENT_PROVIDER_TABLE_NAME')),
    now: () => Date.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
  }),
  events: eventPublisher(),
  now: () => new Date(),
};

/**
 * The payments FIFO queue → CHARGE / REFUND, one message group (order) in order. A failed record is reported in the
 * partial batch response together with every later record of its group, so an order's refund never overtakes its
 * charge; a provider that is down fails the record and it waits in the queue until the provider is back.
 */
export const handler = sqsMessageHandler(
  { parse: (record) => parsePaymentCommand(record.body), correlationIdOf: (command) => command.correlationId, fifo: true },
  async (command) => {
    try {
      const outcome = await processPayment(deps, command);
      logger.info('payment command processed', { orderId: command.orderId, command: command.command, outcome });
      metrics.publish('PaymentCommands', 'Count', 1, { outcome });
    } catch (error) {
      if (error instanceof ProviderUnavailableError) metrics.publish('PaymentCommands', 'Count', 1, { outcome: 'provider-unavailable' });
      throw error;
    }
  },
);
