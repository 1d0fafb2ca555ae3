import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';

/** One line a logger was asked to write, with the metadata of its logger and call. */
export interface CapturedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  meta: Record<string, unknown>;
}

/**
 * A root logger that keeps every line in memory instead of printing it, so that tests can read
 * what a backend logged: that nothing crashed, that failures were reported, and that no token or
 * credential ever reached the log.
 */
export class CapturingLogger implements RootLoggerService {
  readonly lines: CapturedLine[] = [];

  constructor(
    private readonly meta: Record<string, unknown> = {},
    lines?: CapturedLine[],
  ) {
    if (lines) this.lines = lines;
  }

  error(message: string, meta?: Error | object) {
    this.write('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.write('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.write('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.write('debug', message, meta);
  }
  child(meta: Record<string, unknown>): LoggerService {
    return new CapturingLogger({ ...this.meta, ...meta }, this.lines);
  }

  /** Everything logged, as one text: messages, metadata, and errors with their stacks. */
  text(): string {
    return this.lines
      .map(l => `${l.level} ${l.message} ${JSON.stringify(l.meta)}`)
      .join('\n');
  }

  /** The service factory that installs this logger as the backend's root logger. */
  factory() {
    return createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => this,
    });
  }

  private write(
    level: CapturedLine['level'],
    message: string,
    meta?: Error | object,
  ) {
    const extra =
      meta instanceof Error
        ? {
            error: {
              name: meta.name,
              message: meta.message,
              stack: meta.stack,
            },
          }
        : meta ?? {};
    this.lines.push({
      level,
      message: String(message),
      meta: { ...this.meta, ...extra },
    });
  }
}
