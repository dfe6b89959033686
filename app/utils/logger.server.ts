import pino from 'pino';

/** The process logger: JSON lines on stdout, level from LOG_LEVEL. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { app: 'enkatnav' },
});
