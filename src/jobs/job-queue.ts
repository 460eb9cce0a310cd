/**
 * Background work behind one small interface, so features enqueue and handle
 * jobs without knowing the engine. The default engine is pg-boss on the same
 * PostgreSQL (pg-boss-queue.ts); a test or a future scale-out can swap it.
 */
export type JobHandler<T> = (data: T) => Promise<void>;

export interface JobQueue {
  start(): Promise<void>;
  /** Registers a handler; call before or after start. */
  handle<T extends object>(name: string, handler: JobHandler<T>): Promise<void>;
  send<T extends object>(name: string, data: T, options?: { singletonKey?: string }): Promise<void>;
  /** Runs `name` on a cron schedule (UTC), once across all Assay processes. */
  schedule(name: string, cron: string): Promise<void>;
  stop(): Promise<void>;
}
