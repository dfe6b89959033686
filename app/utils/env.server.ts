import { z } from 'zod';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().optional(),
  /** Public base URL used in e-mailed links, e.g. https://enkatnav.example.se */
  APP_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().min(32).optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Enkätnav <noreply@enkatnav.local>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * `npm start` sets ENKATNAV_DEMO=1: a local trial on this machine, with demo data, sign-in links
   * shown in the outbox page and a session secret generated into the data folder.
   */
  ENKATNAV_DEMO: z.enum(['0', '1']).default('0').transform((v) => v === '1'),
  /** Run the reminder/outbox job loop in this process (on by default in every instance). */
  JOBS: z.enum(['on', 'off']).default('on'),
  /** Seconds between job-loop passes. */
  JOBS_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(60),
  /**
   * Which proxies to trust for the client address (per-IP rate limits), in Express's
   * `trust proxy` syntax: `loopback` (a proxy on this machine), a subnet such as `10.0.0.0/8`,
   * or a hop count. Behind a load balancer on another host, name its addresses here.
   */
  TRUST_PROXY: z.string().default('loopback'),
  /** PostgreSQL connections per instance; instances × this must stay below the server's max_connections. */
  PG_POOL_MAX: z.coerce.number().int().min(1).max(500).default(10),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/**
 * The validated environment. In production a missing SESSION_SECRET stops the start with a
 * message that says what to set; elsewhere a fixed development secret is used.
 */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid environment:\n${problems}`);
  }
  if (parsed.data.NODE_ENV === 'production' && !parsed.data.SESSION_SECRET && !parsed.data.ENKATNAV_DEMO) {
    throw new Error(
      'SESSION_SECRET must be set in production (at least 32 characters), e.g. SESSION_SECRET=$(openssl rand -hex 32). ' +
        'For a local trial, use `npm start`, which runs in demo mode.',
    );
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvForTests(): void {
  cached = undefined;
}
