// The event log: writing (log.ts, called where each operation completes),
// reading and following (read.ts), filters and Podman's printed forms.
export * from './types.js'
export {eventsBackend, eventsLogPath, tmpDirOf, writeEvent, systemEvent} from './log.js'
export {readEvents, eventMillis, type ReadEventsOptions} from './read.js'
export {eventFilter} from './filter.js'
export {humanReadable, templateData, goTimeOf} from './format.js'
