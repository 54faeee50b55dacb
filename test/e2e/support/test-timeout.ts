// Asynchronous flows are awaited by polling with their own deadlines (up to 15 s); each test's budget sits above them.
jest.setTimeout(30_000);
