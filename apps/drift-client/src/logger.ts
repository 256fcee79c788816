// drift-venue.ts imports the logger type from here until its split lands; new code imports @drift/logging.
export type { LoggerLike as Logger } from '@drift/logging';
