/** Structured logs: one JSON object per line on stderr. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type Logger = {
  debug(event: string, fields?: Record<string, unknown>): void
  info(event: string, fields?: Record<string, unknown>): void
  warn(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
  readonly debugEnabled: boolean
}

export function createLogger(level: LogLevel | 'silent' = 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = level === 'silent' ? 100 : ORDER[level]
  const emit = (lvl: LogLevel, event: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return
    sink(JSON.stringify({ t: new Date().toISOString(), level: lvl, event, ...fields }, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)))
  }
  return {
    debug: (e, f) => emit('debug', e, f),
    info: (e, f) => emit('info', e, f),
    warn: (e, f) => emit('warn', e, f),
    error: (e, f) => emit('error', e, f),
    debugEnabled: min <= ORDER.debug,
  }
}
