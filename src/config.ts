import path from 'node:path';

/**
 * Settings from the environment, read once at start. Every variable is
 * documented in README.md ("Configuration").
 */
export interface Config {
  host: string;
  port: number;
  databaseUrl: string | null;
  dataDir: string;
  logLevel: string;
  /** Minutes without a request after which a session ends. */
  sessionIdleMinutes: number;
  /** Hours after sign-in after which a session ends whatever the activity. */
  sessionMaxHours: number;
  /** Send cookies with the Secure flag (set when served over HTTPS). */
  secureCookies: boolean;
  /** Failed sign-ins allowed per email (and 4x per address) in the window before refusing. */
  signInMaxFailures: number;
  signInWindowMinutes: number;
  /** SMTP server for training reminder emails (smtp://user:pass@host:587, smtps://…); null = reminders are not sent. */
  smtpUrl: string | null;
  /** ASSAY_SECRET_KEY: the key that seals stored secrets (src/secret-key.ts); null = a key file in dataDir. */
  secretKey: string | null;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}; it is "${raw}".`);
  }
  return value;
}

function smtpUrlFrom(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')) {
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL, such as smtp://user:password@mail.example.com:587.');
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    host: env.HOST || 'localhost',
    port: intFrom(env, 'PORT', 3000, 0, 65535),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: path.resolve(env.ASSAY_DATA_DIR || '.assay'),
    logLevel: env.LOG_LEVEL || 'info',
    sessionIdleMinutes: intFrom(env, 'ASSAY_SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionMaxHours: intFrom(env, 'ASSAY_SESSION_MAX_HOURS', 12, 1, 24 * 30),
    secureCookies: env.ASSAY_SECURE_COOKIES === 'true',
    signInMaxFailures: intFrom(env, 'ASSAY_SIGN_IN_MAX_FAILURES', 5, 1, 1000),
    signInWindowMinutes: intFrom(env, 'ASSAY_SIGN_IN_WINDOW_MINUTES', 15, 1, 24 * 60),
    smtpUrl: smtpUrlFrom(env.SMTP_URL),
    secretKey: env.ASSAY_SECRET_KEY || null,
  };
}
