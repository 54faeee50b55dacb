import { NEEDED_SERVICES } from '../../../../bin/emulator-endpoint';

/** Every needed service available, under the names LocalStack reports, but those named in `except`. */
export const allServices = (...except: string[]): Record<string, string> =>
  Object.fromEntries(Object.keys(NEEDED_SERVICES).filter((name) => !except.includes(name)).map((name) => [name, 'available']));
