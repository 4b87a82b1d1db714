import { logger } from '@nx/devkit';

/** Captures what executors print through Nx's logger (level + message), keeping it off the test report. */
export function captureLogger(): string[] {
  const lines: string[] = [];
  for (const level of ['info', 'warn', 'error'] as const) {
    jest.spyOn(logger, level).mockImplementation((...args: unknown[]) => void lines.push(`${level}: ${String(args[0])}`));
  }
  return lines;
}
