// Podman's cgroupfs parent for containers and pods (a constant of its own so
// that listings can name it without loading the resource-limit code).
export const DEFAULT_CGROUP_PARENT = '/libpod_parent'
