import { Agent } from 'node:http';
import { SQSClient } from '@aws-sdk/client-sqs';
import { emulatorSdkConfig } from '../shared/emulator-sdk-config';

/**
 * An SDK SQS client on fauxqs itself (not the edge), for the runtime's own work: provisioning, pollers, message
 * move tasks. Pooled keep-alive connections, room for many concurrent long polls, no retries (callers decide).
 */
export function fauxqsClient(endpoint: string, region: string): SQSClient {
  return new SQSClient({
    ...emulatorSdkConfig(endpoint, region),
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
  });
}

/** The URL the runtime uses for a queue on fauxqs (fauxqs finds a queue by the last segment of any URL). */
export function fauxqsQueueUrl(endpoint: string, queueName: string): string {
  return `${endpoint.replace(/\/+$/, '')}/000000000000/${queueName}`;
}
