// What the integration tests start (kinesis-local, fauxqs, the runtime) can take more than Jest's 5 s on a busy
// machine; what each test proves is bounded by its own deadlines, not by this.
jest.setTimeout(20_000);
