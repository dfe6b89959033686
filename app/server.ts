import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as build from '@remix-run/dev/server-build';
import { createRequestHandler } from '@remix-run/express';
import compression from 'compression';
import expressStaticGzip from 'express-static-gzip';
import express from 'express';
import { startJobLoop } from './models/ops/jobs.server';
import { CSRF_REFUSAL, issueCsrfCookie, originAllowed } from './utils/csrf.server';
import { closeDb, getDb } from './utils/db.server';
import { getEnv } from './utils/env.server';
import { getSurveys } from './models/surveys/surveys.server';
import { serveCoreValidation } from './models/surveys/validate.server';
import { syncPublishedSurveys } from './models/surveys/versions.server';
import { isValidationWorker, startValidationWorkers } from './models/surveys/validation-pool.server';
import { logger } from './utils/logger.server';
import { assetHeaders, securityHeaders } from './utils/security-headers.server';
import { refillAfterResponses } from './utils/survey-model-pool';

/** Largest request body any action accepts; routes may set a lower limit themselves. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/**
 * Survey uploads and JSON edits (/admin/enkater) and the ledger upload (/admin/medel/<id>) may
 * be a little larger, so that a file just over its 2 MB limit gets the page's own message, not a bare 413.
 */
export const SURVEY_UPLOAD_BODY_BYTES = 8 * 1024 * 1024;

declare module '@remix-run/node' {
  interface AppLoadContext {
    /** The CSP nonce of this request, for inline scripts. */
    nonce: string;
    /** The client's address as Express sees it (trusting a proxy on loopback), for rate limits. */
    clientIp?: string;
  }
}

const env = getEnv();
// A broken survey file must stop the start, naming the file, rather than fail on first use.
try {
  getSurveys();
} catch (e) {
  console.error(`Enkätnav cannot start: ${(e as Error).message}`);
  process.exit(1);
}
const production = env.NODE_ENV === 'production';
// HSTS only for real deployments: a demo on http://localhost must not pin HTTPS.
const strictTransport = production && !env.ENKATNAV_DEMO;
const app = express();
app.disable('x-powered-by');
app.set('trust proxy', /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY);
app.use(compression());

// Spare form models (~/utils/survey-model-pool) are rebuilt once a response has been sent.
const refillSpares = refillAfterResponses();
app.use((req, res, next) => {
  res.once('finish', () => discardUnreadBody(req));
  res.once('close', () => setImmediate(refillSpares));
  res.locals.nonce = crypto.randomBytes(16).toString('base64');
  res.set(req.path.startsWith(build.publicPath) ? assetHeaders() : securityHeaders(res.locals.nonce, strictTransport));
  // Refuse oversized bodies before Remix reads them; a stream without a length is capped too.
  const length = Number(req.headers['content-length'] ?? 0);
  const surveyUpload = req.path === '/admin/enkater' || req.path.startsWith('/admin/enkater/');
  // The ledger upload of a grant year (2 MB files) likewise answers with the page's own message.
  const ledgerUpload = /^\/admin\/medel\/\d+\/?$/.test(req.path);
  if (length > (surveyUpload || ledgerUpload ? SURVEY_UPLOAD_BODY_BYTES : MAX_BODY_BYTES)) {
    // In the error shape each client reads: the JSON API's, the form's, or plain text.
    const message = `request body too large: at most ${MAX_BODY_BYTES} bytes`;
    if (req.path.startsWith('/api/')) res.status(413).json({ error: { code: 'payload_too_large', message } });
    else if (req.path.startsWith('/svar/')) res.status(413).json({ ok: false, error: message, message: 'Svaren är för stora för att sparas. Korta ner långa texter och försök igen.' });
    else if (ledgerUpload) res.status(413).type('text/plain; charset=utf-8').send('Filen är för stor: registret får vara högst 2 MB. Gå tillbaka och välj en mindre fil.');
    else if (surveyUpload) res.status(413).type('text/plain; charset=utf-8').send('Filen är för stor: en enkät får vara högst 2 MB. Gå tillbaka och välj en mindre fil.');
    else res.status(413).type('text/plain; charset=utf-8').send('Förfrågan är för stor.');
    return;
  }
  next();
});

/**
 * After an answer given before the body was read (a 413 from the length header, a 401, a 404),
 * reads and drops the rest of the body, so that the connection stays usable. Remix's request
 * stream has started reading and then paused: without this the client's next request on the same
 * keep-alive connection was never answered. A body that goes on beyond the largest one any route
 * takes (a chunked stream has no length) loses its connection instead.
 */
function discardUnreadBody(req: express.Request) {
  if (req.complete || req.destroyed) return;
  let left = SURVEY_UPLOAD_BODY_BYTES;
  req.removeAllListeners('data');
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) req.socket.destroy();
  });
  req.resume();
}

// The browser build's Brotli and gzip copies, written by `npm run build` (app/tools/precompress.ts);
// the compression middleware above leaves already encoded responses alone.
app.use(
  build.publicPath,
  // Names carry content hashes and the copies are immutable: no revalidation, so no ETag or Last-Modified.
  expressStaticGzip(build.assetsBuildDirectory, { enableBrotli: true, orderPreference: ['br', 'gzip'], index: false, serveStatic: { immutable: true, maxAge: '1y', etag: false, lastModified: false } }),
);
// A file that is not in the build (an old chunk after a deploy) is a plain 404, not an HTML page:
// these responses have the asset headers, without the document's CSP.
app.use(build.publicPath, (_req, res) => {
  res.status(404).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send('Filen finns inte.');
});
app.use(express.static('public', { maxAge: '1h' }));

// Every browser gets a CSRF cookie on its first page; forms carry a token derived from it.
app.use((req, res, next) => {
  const issued = issueCsrfCookie(req.headers.cookie);
  if (issued) {
    req.headers.cookie = issued.cookieHeader;
    res.append('Set-Cookie', issued.setCookie);
  }
  // A state-changing request from another site is refused here with a 403, not by Remix's own check (a 500).
  if (req.method !== 'GET' && req.method !== 'HEAD' && !originAllowed(req.get('origin'), req.get('sec-fetch-site'), `${req.protocol}://${req.get('host')}`)) {
    res.status(403).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(CSRF_REFUSAL);
    return;
  }
  next();
});

// Versions published from the browser live in the database: every instance reads the new ones
// before serving a page (one query of ids when nothing changed). A failure here is the page's
// own to report (e.g. /healthz's 503), so it does not stop the request.
app.use((_req, _res, next) => {
  syncPublishedSurveys(getDb()).then(
    () => next(),
    () => next(),
  );
});

app.all(
  '*',
  createRequestHandler({
    build,
    mode: production ? 'production' : 'development',
    getLoadContext: (req, res) => ({ nonce: res.locals.nonce as string, clientIp: req.ip }),
  }),
);

// This build also runs on the validation worker threads (models/validation-pool.server.ts):
// there it only answers survey-core validations, and never listens or runs jobs.
if (isValidationWorker()) serveCoreValidation(getSurveys());
else startServer();

function startServer() {
  startValidationWorkers(fileURLToPath(import.meta.url));
  const server = app.listen(env.PORT, env.HOST, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : env.PORT;
    logger.info({ port, host: env.HOST }, `Enkätnav lyssnar på http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${port}`);
  });
  // An idle keep-alive connection is closed by the client (undici: its 4 s or the server's hint
  // minus 2 s, proxies: up to 60 s), not by the server first: else a client can send a request on
  // the socket the server is just closing and get ECONNRESET. headersTimeout must be above it.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  // Reminders and e-mail delivery; safe in every instance (see app/models/ops/jobs.server.ts).
  const stopJobs = env.JOBS === 'on' ? startJobLoop() : async () => {};

  function shutdown(signal: string) {
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      void stopJobs()
        .then(() => closeDb())
        .finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 10_000).unref();
  }
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
