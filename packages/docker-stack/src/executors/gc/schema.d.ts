export interface GcExecutorOptions {
  stackDir: string;
  /** Content tags younger than this are kept (default 30). */
  keepDays?: number;
  /** Delete; without it a dry run. */
  yes?: boolean;
}
