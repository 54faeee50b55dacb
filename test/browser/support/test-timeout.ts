// A browser test starts the runtime and Chromium and waits on alarms at a time scale: each wait has its own deadline.
jest.setTimeout(90_000);
