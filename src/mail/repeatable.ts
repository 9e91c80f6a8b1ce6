import type { Logger } from '@nestjs/common';
import type { Queue } from 'bull';

/**
 * Registers a repeatable job and keeps it registered. Redis on these machines keeps nothing on
 * disk, so a FLUSHDB or a restart forgets repeatable jobs (and a job that never fires again
 * fails silently); a local timer adds it again. Adding an existing repeatable job is a no-op
 * (same repeat key and next-run job id), and across instances it still fires once per period.
 */
export function keepRepeatable(
  queue: Queue,
  name: string,
  everyMs: number,
  logger: Logger,
): { ensure: () => Promise<void>; stop: () => void } {
  const ensure = async () => {
    await queue.add(
      name,
      {},
      { repeat: { every: everyMs }, jobId: name, removeOnComplete: true, removeOnFail: 20 },
    );
  };
  const timer = setInterval(
    () => {
      ensure().catch((e: Error) => logger.warn(`could not (re)register ${name}: ${e.message}`));
    },
    Math.min(Math.max(everyMs, 1000), 60_000),
  );
  timer.unref();
  return { ensure, stop: () => clearInterval(timer) };
}
