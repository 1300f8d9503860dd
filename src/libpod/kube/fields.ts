// The fields Kubernetes 1.30 knows on the objects kube play reads (the
// workloads down to their containers): anything else is a typo or a newer
// API. kube play warns about them; --validate=strict refuses them, as
// `kubectl apply --validate=strict` does.

const set = (s: string) => new Set(s.split(' '))

const OBJECT = set('apiVersion kind metadata spec status')
const METADATA = set('name namespace labels annotations generateName uid resourceVersion creationTimestamp ownerReferences finalizers managedFields generation deletionTimestamp deletionGracePeriodSeconds selfLink')
const POD_SPEC = set('activeDeadlineSeconds affinity automountServiceAccountToken containers dnsConfig dnsPolicy enableServiceLinks ephemeralContainers hostAliases hostIPC hostNetwork hostPID hostUsers hostname imagePullSecrets initContainers nodeName nodeSelector os overhead preemptionPolicy priority priorityClassName readinessGates resourceClaims restartPolicy runtimeClassName schedulerName schedulingGates securityContext serviceAccount serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain terminationGracePeriodSeconds tolerations topologySpreadConstraints volumes')
const CONTAINER = set('args command env envFrom image imagePullPolicy lifecycle livenessProbe name ports readinessProbe resizePolicy resources restartPolicy securityContext startupProbe stdin stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices volumeMounts workingDir')
const WORKLOAD_SPEC: Record<string, Set<string>> = {
  Deployment: set('minReadySeconds paused progressDeadlineSeconds replicas revisionHistoryLimit selector strategy template'),
  DaemonSet: set('minReadySeconds revisionHistoryLimit selector template updateStrategy'),
  Job: set('activeDeadlineSeconds backoffLimit backoffLimitPerIndex completionMode completions managedBy manualSelector maxFailedIndexes parallelism podFailurePolicy podReplacementPolicy selector suspend template ttlSecondsAfterFinished'),
}
const TEMPLATE = set('metadata spec')

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

function check(v: unknown, known: Set<string>, at: string, out: string[]): void {
  if (!isObj(v)) return
  for (const k of Object.keys(v)) if (!known.has(k)) out.push(`${at}${at ? '.' : ''}${k}`)
}

function podSpec(spec: unknown, at: string, out: string[]): void {
  check(spec, POD_SPEC, at, out)
  if (!isObj(spec)) return
  for (const list of ['initContainers', 'containers']) {
    const cs = spec[list]
    if (Array.isArray(cs)) cs.forEach((c, i) => check(c, CONTAINER, `${at}.${list}[${i}]`, out))
  }
}

/** The unknown fields of a workload document, as paths (spec.containers[0].imagePullPolic). */
export function unknownFields(kind: string, obj: Obj): string[] {
  const out: string[] = []
  check(obj, OBJECT, '', out)
  check(obj.metadata, METADATA, 'metadata', out)
  if (kind === 'Pod') podSpec(obj.spec, 'spec', out)
  else if (WORKLOAD_SPEC[kind]) {
    check(obj.spec, WORKLOAD_SPEC[kind], 'spec', out)
    const t = isObj(obj.spec) ? obj.spec.template : undefined
    check(t, TEMPLATE, 'spec.template', out)
    if (isObj(t)) {
      check(t.metadata, METADATA, 'spec.template.metadata', out)
      podSpec(t.spec, 'spec.template.spec', out)
    }
  }
  return out
}
