// An engine event as Podman 4.3.1 writes it to its file logger (libpod/events
// Event, JSON keys as Go marshals them: empty fields left out, Attributes
// always present, PodID inlined from the embedded Details).

/** What kind of object the event is about. */
export type EventType = 'container' | 'image' | 'pod' | 'volume' | 'network' | 'system'

export const EVENT_TYPES: readonly EventType[] = ['container', 'image', 'pod', 'volume', 'network', 'system']

/** Podman's event statuses (libpod/events/config.go). `died` is a container's exit. */
export type EventStatus =
  | 'attach' | 'build' | 'checkpoint' | 'cleanup' | 'commit' | 'connect' | 'create' | 'died' | 'disconnect'
  | 'exec' | 'exec_died' | 'export' | 'health_status' | 'import' | 'init' | 'kill' | 'loadfromarchive' | 'mount'
  | 'pause' | 'prune' | 'pull' | 'push' | 'refresh' | 'remove' | 'rename' | 'renumber' | 'reset' | 'restart'
  | 'restore' | 'save' | 'start' | 'stop' | 'sync' | 'tag' | 'unmount' | 'unpause' | 'untag'

/** One line of the events file. Key order is Podman's. */
export interface EngineEvent {
  ContainerExitCode?: number
  ID?: string
  Image?: string
  Name: string
  Network?: string
  Status: EventStatus | string
  /** RFC 3339 with nanoseconds, UTC (Go's time.Time JSON). */
  Time: string
  Type: EventType | string
  HealthStatus?: string
  PodID?: string
  Attributes: Record<string, string> | null
}
