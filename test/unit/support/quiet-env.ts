/**
 * Import first in handler tests: silences the structured logger and EMF metrics (tests spy on them instead) before
 * the modules that create them are loaded.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.POWERTOOLS_SERVICE_NAME ??= 'unit-test';
process.env.POWERTOOLS_METRICS_NAMESPACE ??= 'HybridShopTest';

export {};
