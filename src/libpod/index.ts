// peapod's engine as a library: the one door. A program (or a command)
// opens a Runtime and works with the objects it hands out:
//
//   const rt = await Runtime.open({root, runroot})
//   const c = rt.container('web')            // Container
//   await c.start(); await c.stop(10)
//   await rt.forContainers({all: true}, c => c.kill('TERM'))   // per-item reports
//
// This module is on every command's start-up path (`version`, `ps`,
// `images`, `inspect`): it loads only the errors, the Runtime (whose module
// imports types only) and the output formatters. Runtime.open() loads the
// config, the stores and the object classes; everything heavier loads when
// a method runs, or through `load` below.

// Errors, with Podman's messages and exit codes.
export * from './define/errors.js'
export {isActive, isRunningOrPaused, displayState} from './define/state.js'

// The typed create input: what the CLI, kube play, Quadlet and build fill.
// Types here; its checks and helpers through load.specgen() (start-up).
export type * from './specgen/index.js'

// The Runtime and its objects.
export {Runtime, type GlobalOptions, type Report, type Selection} from './runtime.js'
// The object classes are exported as types: a program gets its objects
// from the Runtime (rt.container(ref), rt.pod(ref), ...), which loads them.
export type {Container, RemoveOptions} from './container/container.js'
export type {Pod} from './pod/pod.js'
export type {Volume} from './volume/volume.js'
export type {Network} from './network/network.js'
export type {Image} from './image/image.js'
export type {Secrets, SecretDoc, SecretCreateOptions, SecretInspect} from './secret/secrets.js'

// Output: Go templates and Podman's tables (the CLI's --format).
export {compileTemplate} from './format/template.js'
export {goView} from './format/go-view.js'
export {PODMAN_TYPES} from './format/podman-types.js'
export {isJSONFormat, renderRows, tabwrite} from './format/table.js'

// Types commands and programs need.
export type {Container as ContainerDoc, ContainerConfig, ContainerState, ContainerStatus, MountSpec} from './container/types.js'
export type {StartOptions} from './container/start.js'
export type {LogLine, LogOptions} from './container/logs.js'
export type {PsOptions, PsRow} from './container/list.js'
export type {Change} from './container/diff.js'
export type {ExecOptions} from './container/exec.js'
export type {PodConfig, PodStatus} from './pod/types.js'
export type {VolumeDoc, VolumeCreateOptions} from './volume/types.js'
export type {NetworkDoc} from './network/types.js'
export type {ConnectOptions} from './network/manage.js'
export type {ImageDoc} from './image/images.js'
export type {ImportOptions} from './image/import.js'
export type {RemoveResult as ImageRemoveResult} from './image/manage.js'
export type {Credentials} from './image/registry/auth.js'
export type {Config} from './config/config.js'
export type {NameKind, Candidate} from './runtime/names.js'
export type {Attachment, AttachResult} from '../conmon/attach-client.js'

/**
 * The engine's other parts, loaded on first use so that start-up does not
 * pay for them (the registry client, tar, network setup, execa). Each is the
 * module named for what it does.
 */
export const load = {
  /** ContainerSpec/PodSpec checks and helpers (validateContainerSpec, mountOptions, DEFAULT_SHARE, ...). */
  specgen: () => import('./specgen/index.js'),
  containerCreate: () => import('./container/create.js'),
  containerList: () => import('./container/list.js'),
  psRow: () => import('./container/ps-row.js'),
  containerLogs: () => import('./container/logs.js'),
  containerMount: () => import('./container/mount.js'),
  containerPaths: () => import('./container/paths.js'),
  containerTop: () => import('./container/top.js'),
  containerPause: () => import('./container/pause.js'),
  exec: () => import('./container/exec.js'),
  cp: () => import('./container/cp.js'),
  commit: () => import('./container/commit.js'),
  exportContainer: () => import('./container/export.js'),
  diff: () => import('./container/diff.js'),
  checkpoint: () => import('./container/checkpoint.js'),
  ops: () => import('./container/ops.js'),
  start: () => import('./container/start.js'),
  /** `update`: new cgroup limits for a container. */
  containerUpdate: () => import('./container/update.js'),
  /** The client of a monitor's attach socket (run, start -a, attach, exec -t). */
  attach: () => import('../conmon/attach-client.js'),
  podList: () => import('./pod/list.js'),
  podPsRow: () => import('./pod/ps-row.js'),
  podInspect: () => import('./pod/inspect.js'),
  /** generate systemd: the units of a container or pod. */
  systemdGenerate: () => import('./systemd/generate.js'),
  autoUpdate: () => import('./system/auto-update.js'),
  /** quadlet install/list/print/rm: the user's Quadlet files. */
  quadletManage: () => import('./quadlet/manage.js'),
  /** `system check` and the sweep of what killed commands left (rm -a, pod rm -a). */
  check: () => import('./runtime/check.js'),
  podCreate: () => import('./pod/create.js'),
  /** container clone, pod clone. */
  clone: () => import('./clone.js'),
  runtimePods: () => import('./runtime/pods.js'),
  volumeList: () => import('./volume/list.js'),
  volumeInspect: () => import('./volume/inspect.js'),
  volumeRemove: () => import('./volume/remove.js'),
  volumeArchive: () => import('./volume/archive.js'),
  networkManage: () => import('./network/manage.js'),
  networkInspect: () => import('./network/inspect.js'),
  networkStore: () => import('./network/store.js'),
  networkPort: () => import('./network/port.js'),
  rootlessNetns: () => import('./network/rootless-netns.js'),
  imageManage: () => import('./image/manage.js'),
  imageInspect: () => import('./image/inspect.js'),
  imageList: () => import('./image/list.js'),
  imageHistory: () => import('./image/history.js'),
  imageLookup: () => import('./image/lookup.js'),
  imageImport: () => import('./image/import.js'),
  imageLoad: () => import('./image/load.js'),
  imageSave: () => import('./image/save.js'),
  pull: () => import('./image/pull.js'),
  push: () => import('./image/push.js'),
  registryClient: () => import('./image/registry/client.js'),
  registryConfig: () => import('./image/registry/config.js'),
  registryAuth: () => import('./image/registry/auth.js'),
  registryProgress: () => import('./image/registry/progress.js'),
  reference: () => import('./image/reference.js'),
  manifestLists: () => import('./image/registry/lists.js'),
  manifestOps: () => import('./image/registry/list-ops.js'),
  stats: () => import('./stats/sample.js'),
  podStats: () => import('./stats/pod.js'),
  statsRender: () => import('./stats/render.js'),
  configPaths: () => import('./config/paths.js'),
  rootlessPause: () => import('./rootless/pause.js'),
  healthcheck: () => import('./container/healthcheck-run.js'),
  /** kube play / down / generate. */
  kube: () => import('./kube/index.js'),
  /** `secret ls` rows and filters, secret names. */
  secretList: () => import('./secret/list.js'),
  secrets: () => import('./secret/secrets.js'),
  /** The event log (events, system events) and `info`/`system` reports. */
  events: () => import('./events/index.js'),
  system: () => import('./system/index.js'),
  /** `generate spec`: Podman's SpecGenerator JSON of a container or pod. */
  generateSpec: () => import('./generate/spec.js'),
  /** `container runlabel`: an image label's command. */
  runlabel: () => import('./container/runlabel.js'),
  /** `image trust show/set`: policy.json. */
  trust: () => import('./image/trust.js'),
  /** `image tree`. */
  imageTree: () => import('./image/tree.js'),
  /** `image mount`/`image unmount`. */
  imageMount: () => import('./image/mount.js'),
  /** `volume mount`/`volume unmount`. */
  volumeMount: () => import('./volume/mount.js'),
  /** Names for shell completion (`__complete`). */
  names: () => import('./runtime/names.js'),
  /** Containerfile builds (build/). */
  build: () => import('./build/build.js'),
  /** build --output/--manifest: what a build does with its image after the commit. */
  buildOutput: () => import('./build/output.js'),
}

type CreateModule = typeof import('./create.js')
type StartModule = typeof import('./container/start.js')
type OpsModule = typeof import('./container/ops.js')

// Function forms the create/run path calls (loaded on first call). Elsewhere
// use the objects: rt.container(ref).start(), .remove(), .cleanup().

/** Creates a container from a spec (its documents; nothing runs yet), in a new pod when given a PodSpec. */
export async function createContainer(...a: Parameters<CreateModule['newContainer']>): Promise<Awaited<ReturnType<CreateModule['newContainer']>>> {
  return (await import('./create.js')).newContainer(...a)
}

export async function startContainer(...a: Parameters<StartModule['startContainer']>): Promise<Awaited<ReturnType<StartModule['startContainer']>>> {
  return (await import('./container/start.js')).startContainer(...a)
}

export async function cleanupContainer(...a: Parameters<OpsModule['cleanupContainer']>): Promise<void> {
  return (await import('./container/ops.js')).cleanupContainer(...a)
}

export async function removeContainer(...a: Parameters<OpsModule['removeContainer']>): Promise<string[]> {
  return (await import('./container/ops.js')).removeContainer(...a)
}

/** Creates a pod (and its infra container). */
export async function createPod(...a: Parameters<typeof import('./pod/create.js')['createPod']>): Promise<Awaited<ReturnType<typeof import('./pod/create.js')['createPod']>>> {
  return (await import('./create.js')).newPod(...a)
}
