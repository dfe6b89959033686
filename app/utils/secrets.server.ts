import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from './env.server';

const DEV_SECRET = 'enkatnav-development-secret-not-for-production-use';
let cached: string | undefined;

/**
 * The server secret for sessions, CSRF and access links. Production: SESSION_SECRET (checked at
 * start by getEnv). Demo (`npm start`): generated once into the data folder so links survive
 * restarts. Development and tests: a fixed, public value.
 */
export function serverSecret(): string {
  if (cached) return cached;
  const env = getEnv();
  if (env.SESSION_SECRET) cached = env.SESSION_SECRET;
  else if (env.ENKATNAV_DEMO) {
    const file = path.resolve('data', '.session-secret');
    if (!fs.existsSync(file)) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    }
    cached = fs.readFileSync(file, 'utf8').trim();
  } else cached = DEV_SECRET;
  return cached;
}

/** HMAC-SHA256 of `value` under the server secret and a purpose label, base64url. */
export function hmac(purpose: string, value: string): string {
  return createHmac('sha256', serverSecret()).update(`${purpose}\0${value}`).digest('base64url');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** For tests that change the environment. */
export function resetSecretForTests(): void {
  cached = undefined;
}
