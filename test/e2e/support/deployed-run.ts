/** Marks the Jest run as `npm run test:deployed` (jest.deployed.config.js): `useShop` connects to the deployed stack. */
import { TARGET_VARIABLE } from './shop-target';

process.env[TARGET_VARIABLE] = 'deployed';
