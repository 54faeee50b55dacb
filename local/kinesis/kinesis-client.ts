import { KinesisClient } from '@aws-sdk/client-kinesis';
import { emulatorSdkConfig } from '../shared/emulator-sdk-config';
import { Http1Handler } from './http1-handler';

/**
 * An SDK Kinesis client on kinesis-local itself (not the edge), for the runtime's own work: provisioning and the
 * event source mappings' polling. HTTP/1.1 (kinesis-local cannot speak the client's default HTTP/2), no retries.
 */
export function kinesisLocalClient(endpoint: string, region: string): KinesisClient {
  return new KinesisClient({
    ...emulatorSdkConfig(endpoint, region),
    requestHandler: new Http1Handler(),
  });
}
