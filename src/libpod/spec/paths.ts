// Paths inside a container's rootfs, resolved without leaving it: the shared
// resolver of util/safepath.ts.
export {resolveInRoot, secureJoin} from '../util/safepath.js'
