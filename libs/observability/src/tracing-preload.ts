import { register } from 'node:module';
import { tracingSettingsFromEnv } from './tracing.js';

/**
 * Preloaded with `node --import ./libs/observability/dist/tracing-preload.js apps/<service>/dist/main.js`
 * (the container images start every service this way). The services are ES modules, so
 * OpenTelemetry's instrumentations can only patch what they import when a loader hook is in place
 * before the application's module graph loads: that is what --import is for. Without an OTLP
 * endpoint this module registers nothing and loads no SDK, so a service without tracing runs exactly
 * as if it had not been preloaded.
 */
const settings = tracingSettingsFromEnv(process.env, process.argv[1]);

if (settings.enabled) {
  const { INSTRUMENTED_MODULES, startTracing } = await import('./tracing-sdk.js');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: [...INSTRUMENTED_MODULES] } });
  const sdk = startTracing(settings);
  // Spans wait in a batch; export what is left when the service is told to stop (Nest closes it meanwhile).
  const flush = () => void sdk.shutdown().catch(() => undefined);
  process.once('SIGTERM', flush);
  process.once('SIGINT', flush);
  process.once('beforeExit', flush);
}
