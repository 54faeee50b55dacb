/**
 * The settings of an SDK client the runtime points at one of its emulators itself (dynalite, fauxqs, kinesis-local),
 * not at the edge, for its own work: the emulators check no credentials, and the callers decide about retries.
 */
export function emulatorSdkConfig(endpoint: string, region: string) {
  return {
    endpoint,
    region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
}
