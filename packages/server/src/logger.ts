import { type RunnerLogger, redactSecrets } from "@autoflow/core";

/** The service's one logger: every line is scrubbed before it reaches the sink. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Options for `createLogger`. */
export interface LoggerOptions {
  /** Where scrubbed lines go. Default: stderr. */
  sink?: (line: string) => void;
  /** Values that must never appear (vault key, JWT secret, OAuth client secrets), besides the token shapes core recognises. */
  secrets?: readonly string[];
  clock?: () => number;
}

/** A logger that passes every line through core's `redactSecrets`, so a token in an error message never reaches a log. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));
  const secrets = (options.secrets ?? []).filter(Boolean);
  const now = options.clock ?? Date.now;
  const write = (level: string, message: string) =>
    sink(`${new Date(now()).toISOString()} ${level} ${redactSecrets(message, secrets)}`);
  return {
    info: (message) => write("info", message),
    warn: (message) => write("warn", message),
    error: (message) => write("error", message),
  };
}

/**
 * The service's logger as a `JobRunner` logger: failed runs and `io.logger` lines go through the same scrubbing
 * sink as every other line (`debug` as `info`; a line's data as JSON after it).
 */
export function runnerLogger(logger: Logger): RunnerLogger {
  const line = (message: string, data?: Record<string, unknown>) =>
    data === undefined ? message : `${message} ${JSON.stringify(data)}`;
  return {
    debug: (message, data) => logger.info(line(message, data)),
    info: (message, data) => logger.info(line(message, data)),
    warn: (message, data) => logger.warn(line(message, data)),
    error: (message, data) => logger.error(line(message, data)),
  };
}
