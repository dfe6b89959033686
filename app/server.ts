import crypto from 'node:crypto';
import * as build from '@remix-run/dev/server-build';
import { createRequestHandler } from '@remix-run/express';
import compression from 'compression';
import express from 'express';
import { closeDb } from './utils/db.server';
import { getEnv } from './utils/env.server';
import { logger } from './utils/logger.server';
import { securityHeaders } from './utils/security-headers.server';

/** Largest request body any action accepts; routes may set a lower limit themselves. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The CSP nonce of this request, for inline scripts. */
    nonce: string;
  }
}

const env = getEnv();
const production = env.NODE_ENV === 'production';
// HSTS only for real deployments: a demo on http://localhost must not pin HTTPS.
const strictTransport = production && !env.ENKATNAV_DEMO;
const app = express();
app.disable('x-powered-by');
app.set('trust proxy', 'loopback');
app.use(compression());

app.use((req, res, next) => {
  res.locals.nonce = crypto.randomBytes(16).toString('base64');
  res.set(securityHeaders(res.locals.nonce, strictTransport));
  // Refuse oversized bodies before Remix reads them; a stream without a length is capped too.
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > MAX_BODY_BYTES) {
    res.status(413).type('text/plain; charset=utf-8').send('Förfrågan är för stor.');
    return;
  }
  next();
});

app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: '1y' }));
app.use(express.static('public', { maxAge: '1h' }));

app.all(
  '*',
  createRequestHandler({
    build,
    mode: production ? 'production' : 'development',
    getLoadContext: (_req, res) => ({ nonce: res.locals.nonce as string }),
  }),
);

const server = app.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info({ port, host: env.HOST }, `Enkätnav lyssnar på http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${port}`);
});

function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  server.close(() => {
    void closeDb().finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
