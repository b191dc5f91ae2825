// Worker entry in plain JS: registers tsx in this thread, then loads the TypeScript writer.
import { register } from 'tsx/esm/api'

register()
await import('./writerWorker.ts')
